//! Real advisory data from `$ATALAIA_SHARED/vulndata`, read in place: every version an OSV
//! record (Go, crates.io, AlmaLinux, GHSA npm/Maven) or the Alpine secdb names must parse
//! under its ecosystem's scheme, and the installed/fixed pairs of the corpus must order as
//! Debian says.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use atalaia_version::osv::{affected, CompiledRange, Event, OsvRange, RangeKind};
use atalaia_version::{compare, Scheme, Version};
use serde_json::Value;

fn dir(path: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    files.sort();
    files
}

/// The `ranges` of an OSV `affected` entry, through the crate's serde mapping.
fn osv_ranges(affected: &Value) -> Vec<OsvRange> {
    match affected.get("ranges") {
        Some(ranges) => serde_json::from_value(ranges.clone()).expect("OSV ranges deserialize"),
        None => Vec::new(),
    }
}

#[test]
fn every_osv_version_in_the_shared_feeds_parses() {
    let osv = atalaia_test::vulndata_dir().join("osv");
    let mut folders = vec![osv.join("go"), osv.join("rustsec"), osv.join("ghsa")];
    folders.extend(
        dir(&osv.join("almalinux"))
            .into_iter()
            .filter(|p| p.is_dir()),
    );
    let (mut records, mut ranges, mut listed) = (0, 0, 0);
    let mut failures = Vec::new();
    for folder in folders {
        for file in dir(&folder)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let text = std::fs::read_to_string(&file).expect("readable record");
            let record: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            records += 1;
            for entry in record["affected"].as_array().into_iter().flatten() {
                let ecosystem = entry["package"]["ecosystem"].as_str().unwrap_or_default();
                let scheme = Scheme::from_osv_ecosystem(ecosystem).unwrap_or_else(|| {
                    panic!("{}: no scheme for ecosystem {ecosystem}", file.display())
                });
                for range in osv_ranges(entry) {
                    ranges += 1;
                    if let Err(e) = CompiledRange::new(scheme, &range) {
                        failures.push(format!("{}: {e}", file.display()));
                    }
                }
                for v in entry["versions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    listed += 1;
                    if let Err(e) = Version::parse(scheme, v) {
                        failures.push(format!("{}: {e}", file.display()));
                    }
                }
            }
        }
    }
    assert!(
        records > 6000 && ranges > 6000,
        "{records} records, {ranges} ranges, {listed} listed versions"
    );
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn real_osv_ranges_are_half_open() {
    // In every two-event range (`introduced` X, `fixed` Y with X below Y), X is affected and Y
    // is not.
    let osv = atalaia_test::vulndata_dir().join("osv");
    let mut checked = 0;
    for folder in [
        osv.join("go"),
        osv.join("rustsec"),
        osv.join("ghsa"),
        osv.join("almalinux/almalinux10"),
    ] {
        for file in dir(&folder)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let record: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).expect("readable"))
                    .expect("JSON");
            for entry in record["affected"].as_array().into_iter().flatten() {
                let ecosystem = entry["package"]["ecosystem"].as_str().unwrap_or_default();
                let Some(scheme) = Scheme::from_osv_ecosystem(ecosystem) else {
                    continue;
                };
                for range in osv_ranges(entry) {
                    let [Event::Introduced(x), Event::Fixed(y)] = range.events.as_slice() else {
                        continue;
                    };
                    let one = [range.clone()];
                    let below = x == "0"
                        || match range.kind {
                            RangeKind::Semver => compare("semver", x, y),
                            _ => compare(scheme.as_str(), x, y),
                        } == Ok(Ordering::Less);
                    if !below {
                        continue;
                    }
                    if x != "0" {
                        assert!(
                            affected(scheme, x, &one, &[]).unwrap(),
                            "{}: introduced {x} not affected",
                            file.display()
                        );
                    }
                    assert!(
                        !affected(scheme, y, &one, &[]).unwrap(),
                        "{}: fixed {y} still affected",
                        file.display()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 5000, "only {checked} ranges checked");
}

#[test]
fn alpine_secdb_fixed_versions_parse() {
    let secdb = atalaia_test::vulndata_dir().join("alpine-secdb");
    let mut count = 0;
    let mut failures = Vec::new();
    for release in dir(&secdb).into_iter().filter(|p| p.is_dir()) {
        for file in dir(&release)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        {
            let text = std::fs::read_to_string(&file).expect("readable secdb");
            // `        1.2.3-r0:` lines under `secfixes:` are the fixed versions.
            for line in text.lines() {
                let t = line.trim();
                if line.starts_with("        ") && !t.starts_with('-') && t.ends_with(':') {
                    let v = t.trim_end_matches(':').trim_matches(['"', '\'']);
                    count += 1;
                    if v != "0" && Version::parse(Scheme::Apk, v).is_err() {
                        failures.push(format!("{}: {v}", file.display()));
                    }
                }
            }
        }
    }
    assert!(count > 4000, "only {count} secfix versions found");
    // Typos in the secdb that apk-tools' own grammar rejects too; nothing else may be rejected.
    const SECDB_TYPOS: [&str; 15] = [
        "0.12.5.-r0",
        "0.8.21.r2",
        "1.0.4.-r0",
        "1.11-20-r0",
        "1.18.-r2",
        "1.7.5.-r1",
        "10.2.22.r0",
        "10.2.24.r0",
        "10.2.26.r0",
        "2.15.r-r1",
        "2.7.16-33",
        "4.10-1-r1",
        "4.8.0.-r1",
        "57-1-r2",
        "6.6.2p1-r0",
    ];
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| !SECDB_TYPOS.iter().any(|t| f.ends_with(&format!(": {t}"))))
        .collect();
    assert!(
        unexpected.is_empty(),
        "apk versions rejected: {unexpected:#?}"
    );
    assert_eq!(failures.len(), 24, "{failures:#?}");
}

#[test]
fn bookworm_security_updates_are_newer() {
    let tsv = atalaia_test::corpus_dir().join("expected/bookworm-security-newer.tsv");
    let text = std::fs::read_to_string(&tsv).unwrap_or_else(|e| panic!("{}: {e}", tsv.display()));
    let mut n = 0;
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            compare("dpkg", f[2], f[3]).unwrap(),
            Ordering::Less,
            "{line}"
        );
        n += 1;
    }
    assert!(n > 0, "no rows in {}", tsv.display());
}
