//! CycloneDX with a `vulnerabilities` section: the mapping of findings (ratings, CWEs,
//! advisories, aliases, analysis, `affects` pointing at the right components), unchanged output
//! without findings, and the official validator.

use std::collections::BTreeMap;

use atalaia_detect::{Cvss, DataSource, DetectedVulnerability, PkgIdentifier, Severity};
use atalaia_sbom::cyclonedx;
use atalaia_types::{ArtifactKind, Inventory, Package};
use serde_json::Value;

use crate::{fixture, validate};

fn find<'a>(inv: &'a Inventory, name: &str, file_path: &str) -> &'a Package {
    inv.packages()
        .find(|p| p.name == name && (file_path.is_empty() || p.file_path == file_path))
        .unwrap()
}

fn finding(pkg: &Package, id: &str, severity: Severity, fixed: &str) -> DetectedVulnerability {
    DetectedVulnerability {
        vulnerability_id: id.to_owned().into(),
        vendor_ids: Vec::new(),
        pkg_id: pkg.id.clone().into(),
        pkg_name: pkg.name.clone().into(),
        pkg_path: pkg.file_path.clone().into(),
        pkg_identifier: PkgIdentifier {
            purl: pkg.purl.to_string(),
            uid: String::new(),
        }
        .into(),
        installed_version: pkg.full_version().into(),
        fixed_version: fixed.to_owned(),
        status: if fixed.is_empty() {
            "affected"
        } else {
            "fixed"
        }
        .to_owned()
        .into(),
        layer: pkg.layer.clone().into(),
        severity_source: "nvd".to_owned().into(),
        primary_url: format!("https://avd.aquasec.com/nvd/{}", id.to_ascii_lowercase()).into(),
        data_source: DataSource {
            id: "ghsa".to_owned(),
            name: "GitHub Security Advisory".to_owned(),
            url: "https://github.com/advisories".to_owned(),
        }
        .into(),
        title: format!("{}: a flaw", pkg.name).into(),
        description: format!("A flaw in {}.", pkg.name).into(),
        severity,
        cwe_ids: Vec::new().into(),
        vendor_severity: BTreeMap::from([("nvd".to_owned(), severity.as_number())]).into(),
        cvss: BTreeMap::new().into(),
        references: vec![format!("https://nvd.nist.gov/vuln/detail/{id}")].into(),
        published_date: Some("2024-03-25T21:15:46.847Z".to_owned().into()),
        last_modified_date: Some("2024-11-21".to_owned().into()),
        kev: false,
        aliases: Vec::new().into(),
    }
}

fn findings(inv: &Inventory) -> Vec<DetectedVulnerability> {
    let bash = find(inv, "bash", "");
    let mut a = finding(bash, "CVE-2022-3715", Severity::High, "");
    a.data_source = DataSource {
        id: "debian".into(),
        name: "Debian Security Tracker".into(),
        url: "https://salsa.debian.org/security-tracker-team/security-tracker".into(),
    }
    .into();
    a.severity_source = "debian".into();
    a.status = "will_not_fix".into();
    a.vendor_severity = BTreeMap::from([("debian".into(), 1), ("nvd".into(), 3)]).into();
    a.cvss = BTreeMap::from([(
        "nvd".into(),
        Cvss {
            v3_vector: Some("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H".into()),
            v3_score: Some(7.8),
            v2_vector: Some("AV:N/AC:L/Au:N/C:P/I:P/A:P".into()),
            v2_score: Some(7.5),
            ..Cvss::default()
        },
    )])
    .into();
    a.cwe_ids = vec!["CWE-787".into(), "NVD-CWE-noinfo".into()].into();
    a.kev = true;

    let express = find(inv, "express", "");
    let mut b = finding(express, "CVE-2024-29041", Severity::Medium, "4.19.2");
    b.aliases = vec!["GHSA-rv95-896h-c2vc".into()].into();
    b.vendor_ids = vec!["GHSA-rv95-896h-c2vc".into()];
    b.primary_url = "https://github.com/advisories/GHSA-rv95-896h-c2vc".into();

    // The same jar in two places: each finding points at its own copy.
    let jar_b = find(inv, "org.apache.commons:commons-lang3", "/app/b.jar");
    let c = finding(jar_b, "CVE-2025-48924", Severity::Medium, "3.18.0");
    let jar_a = find(inv, "org.apache.commons:commons-lang3", "/app/a.jar");
    let d = finding(jar_a, "CVE-2025-48924", Severity::Medium, "3.18.0");

    // A finding whose package is not in the BOM is still listed.
    let mut e = finding(express, "CVE-2099-0001", Severity::Unknown, "");
    std::sync::Arc::make_mut(&mut e.pkg_identifier).purl = "pkg:npm/not-here@1.0.0".into();
    e.pkg_id = "not-here@1.0.0".into();
    e.pkg_name = "not-here".into();
    e.installed_version = "1.0.0".into();
    e.vendor_severity = Default::default();
    e.status = String::new().into();
    e.published_date = Some("not a date".into());
    vec![a, b, c, d, e]
}

fn render(inv: &Inventory, vulns: &[&DetectedVulnerability]) -> String {
    let mut out = Vec::new();
    cyclonedx::write_with_vulnerabilities(
        "example.com/team/app:1.0",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        inv,
        vulns,
        &fixture::options(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn cyclonedx_vulnerabilities() {
    let inv = fixture::small();
    let owned = findings(&inv);
    let vulns: Vec<&DetectedVulnerability> = owned.iter().collect();
    let text = render(&inv, &vulns);
    assert_eq!(
        text,
        render(&inv, &vulns),
        "identical input gives identical bytes"
    );
    let doc: Value = serde_json::from_str(&text).unwrap();
    insta::assert_snapshot!(text);

    let components = doc["components"].as_array().unwrap();
    let ref_of = |name: &str, file: &str| {
        components
            .iter()
            .find(|c| {
                c["name"] == name
                    && (file.is_empty()
                        || c["properties"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|p| p["name"] == "atalaia:FilePath" && p["value"] == file))
            })
            .unwrap()["bom-ref"]
            .clone()
    };
    let list = doc["vulnerabilities"].as_array().unwrap();
    let by_id = |id: &str| list.iter().find(|v| v["id"] == id).unwrap();
    assert_eq!(list.len(), 4, "one entry per ID");

    let bash = by_id("CVE-2022-3715");
    assert_eq!(bash["affects"][0]["ref"], ref_of("bash", ""));
    assert_eq!(bash["affects"][0]["versions"][0]["version"], "5.2.15-2+b7");
    assert_eq!(bash["cwes"], serde_json::json!([787]));
    assert_eq!(
        bash["analysis"]["response"],
        serde_json::json!(["will_not_fix"])
    );
    assert_eq!(bash["properties"][0]["name"], "atalaia:KEV");
    let methods: Vec<&str> = bash["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(methods, ["-", "CVSSv31", "CVSSv2"]); // debian (severity only), then nvd
    assert_eq!(bash["ratings"][0]["severity"], "low");
    assert_eq!(bash["ratings"][1]["score"], 7.8);
    assert_eq!(bash["updated"], "2024-11-21T00:00:00Z");

    let jar = by_id("CVE-2025-48924");
    let mut expected = vec![
        ref_of("commons-lang3", "/app/a.jar"),
        ref_of("commons-lang3", "/app/b.jar"),
    ];
    expected.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_ne!(expected[0], expected[1]);
    let got: Vec<Value> = jar["affects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ref"].clone())
        .collect();
    assert_eq!(got, expected);

    let express = by_id("CVE-2024-29041");
    assert_eq!(express["references"][0]["id"], "GHSA-rv95-896h-c2vc");
    assert_eq!(
        express["recommendation"],
        "Upgrade express to version 4.19.2"
    );
    assert_eq!(
        express["analysis"]["response"],
        serde_json::json!(["update"])
    );

    let missing = by_id("CVE-2099-0001");
    assert!(missing.get("affects").is_none());
    assert!(missing.get("published").is_none());
    assert!(missing.get("analysis").is_none());
}

#[test]
fn cyclonedx_without_findings_is_unchanged() {
    let inv = fixture::small();
    let mut plain = Vec::new();
    cyclonedx::write(
        "example.com/team/app:1.0",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &inv,
        &fixture::options(),
        &mut plain,
    )
    .unwrap();
    assert_eq!(render(&inv, &[]), String::from_utf8(plain).unwrap());
}

#[test]
fn cyclonedx_with_vulnerabilities_passes_the_official_validator() {
    let dir = tempfile::tempdir().unwrap();
    let inv = fixture::small();
    let owned = findings(&inv);
    let vulns: Vec<&DetectedVulnerability> = owned.iter().collect();
    let path = dir.path().join("with-vulnerabilities.cdx.json");
    std::fs::write(&path, render(&inv, &vulns)).unwrap();
    validate::run_validators(&[path]);
}
