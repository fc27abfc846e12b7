//! The first input byte picks the parser (plain ignore file, YAML ignore file, VEX document);
//! the rest is the file. Whatever parses is applied to a few fixed findings.
//! Invariants: no panic; plain files always parse; every finding ends up kept or suppressed,
//! exactly once; suppressions carry an origin.
#![no_main]

use atalaia_detect::DetectedVulnerability;
use atalaia_ignore::{IgnoreFile, IgnoreFormat, Policy, VexContext, VexDocument};
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fn findings() -> Vec<DetectedVulnerability> {
    let json = serde_json::json!([
        {"VulnerabilityID": "CVE-2021-44228", "VendorIDs": ["GHSA-jfh8-c2jp-5v3q"], "PkgName": "log4j-core",
         "PkgPath": "app/lib/log4j-core-2.14.1.jar",
         "PkgIdentifier": {"PURL": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
         "InstalledVersion": "2.14.1", "Status": "fixed", "DataSource": {"ID": "ghsa", "Name": "", "URL": ""},
         "Severity": "CRITICAL"},
        {"VulnerabilityID": "GHSA-p6mc-m468-83gw", "Aliases": ["CVE-2020-8203"], "PkgName": "lodash",
         "PkgIdentifier": {"PURL": "pkg:npm/lodash@4.17.15"}, "InstalledVersion": "4.17.15", "Status": "fixed",
         "DataSource": {"ID": "ghsa", "Name": "", "URL": ""}, "Severity": "HIGH"},
        {"VulnerabilityID": "CVE-2024-0001", "PkgName": "bash",
         "PkgIdentifier": {"PURL": "pkg:deb/debian/bash@5.1-2?arch=amd64&distro=debian-11"},
         "InstalledVersion": "5.1-2", "Status": "affected", "DataSource": {"ID": "debian", "Name": "", "URL": ""},
         "Severity": "LOW"},
        {"VulnerabilityID": "CVE-2024-0002", "PkgName": "nopurl", "PkgIdentifier": {},
         "InstalledVersion": "1", "Status": "affected", "DataSource": {"ID": "x", "Name": "", "URL": ""},
         "Severity": "LOW"}
    ]);
    serde_json::from_value(json).expect("fixed findings")
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let mut policy = Policy::new(date!(2025 - 01 - 01));
    match sel % 3 {
        0 => {
            let f = IgnoreFile::parse("fuzz", IgnoreFormat::Plain, body).expect("plain files always parse");
            policy = policy.with_ignore_file(f);
        }
        1 => match IgnoreFile::parse("fuzz.yaml", IgnoreFormat::Yaml, body) {
            Ok(f) => policy = policy.with_ignore_file(f),
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        },
        _ => match VexDocument::parse("fuzz.json", body) {
            Ok(d) => policy = policy.with_vex(d),
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        },
    }
    let ctx = VexContext {
        products: vec!["pkg:oci/app@sha256%3Aabc?repository_url=example.com%2Fapp".to_owned()],
    };
    let input = findings();
    let n = input.len();
    let out = policy.apply_vulnerabilities("app (debian 11)", input, &ctx);
    assert_eq!(out.kept.len() + out.suppressed.len(), n);
    assert!(out.suppressed.iter().all(|m| m.origin.is_some()));
    let _ = policy.expired_rules();
});
