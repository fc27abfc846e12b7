//! Alpine: the 3.10.9 image is clean; older versions report exactly what the secdb says.

use std::collections::BTreeSet;
use std::path::Path;

use atalaia_types::Package;

use crate::common;

#[test]
fn alpine_3_10_9_reports_nothing() {
    let inv = common::inventory("alpine-3.10.9");
    assert!(inv.os.is_some());
    assert!(!inv.os_packages.is_empty());
    let report = common::scan(&inv);
    let found: Vec<_> = report.vulnerabilities().collect();
    assert!(found.is_empty(), "{found:#?}");
}

/// Sets `pkg`'s (and its source's) version to `full` (`1.1.1c-r0`).
fn set_version(pkg: &mut Package, full: &str) {
    let (v, r) = full.rsplit_once('-').unwrap();
    if pkg.release.is_empty() {
        full.clone_into(&mut pkg.version);
    } else {
        v.clone_into(&mut pkg.version);
        r.clone_into(&mut pkg.release);
    }
    if !pkg.src_version.is_empty() {
        if pkg.src_release.is_empty() {
            full.clone_into(&mut pkg.src_version);
        } else {
            v.clone_into(&mut pkg.src_version);
            r.clone_into(&mut pkg.src_release);
        }
    }
    pkg.id = format!("{}@{}", pkg.name, pkg.full_version());
}

/// (origin, fixed version, CVE) read straight from the secdb YAML.
fn secfixes(dir: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for file in ["main.yaml", "community.yaml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        for p in doc["packages"].as_sequence().unwrap() {
            let name = p["pkg"]["name"].as_str().unwrap();
            let Some(fixes) = p["pkg"]["secfixes"].as_mapping() else {
                continue;
            };
            for (ver, ids) in fixes {
                let ver = match ver {
                    serde_yaml_ng::Value::String(s) => s.clone(),
                    other => serde_yaml_ng::to_string(other).unwrap().trim().to_owned(),
                };
                for id in ids.as_sequence().into_iter().flatten() {
                    for id in id.as_str().unwrap_or_default().split_whitespace() {
                        out.push((name.to_owned(), ver.clone(), id.to_owned()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn older_versions_report_exactly_the_secdb_fixes_above_them() {
    let mut inv = common::inventory("alpine-3.10.9");
    let olds = [
        ("openssl", "1.1.1c-r0"),
        ("musl", "1.1.22-r2"),
        ("busybox", "1.30.1-r1"),
    ];
    let mut changed = 0;
    for db in &mut inv.os_packages {
        for pkg in &mut db.packages {
            let origin = if pkg.src_name.is_empty() {
                pkg.name.clone()
            } else {
                pkg.src_name.clone()
            };
            if let Some((_, v)) = olds.iter().find(|(o, _)| *o == origin) {
                set_version(pkg, v);
                changed += 1;
            }
        }
    }
    assert!(changed >= 3, "{changed} packages changed");
    let fixes = secfixes(&atalaia_test::vulndata_dir().join("alpine-secdb/v3.10"));
    let mut expected = BTreeSet::new();
    for pkg in inv.os_packages.iter().flat_map(|d| &d.packages) {
        let origin = if pkg.src_name.is_empty() {
            &pkg.name
        } else {
            &pkg.src_name
        };
        let installed = if pkg.src_version.is_empty() {
            pkg.full_version()
        } else {
            pkg.full_src_version()
        };
        for (name, fixed, id) in &fixes {
            if name == origin
                && fixed != "0"
                && atalaia_version::compare("apk", fixed, &installed).unwrap()
                    == std::cmp::Ordering::Greater
            {
                expected.insert((pkg.name.clone(), id.clone()));
            }
        }
    }
    assert!(expected
        .iter()
        .any(|(n, id)| n == "busybox" && id == "CVE-2019-5747"));
    assert!(expected.iter().any(|(_, id)| id == "CVE-2019-1547"));
    let report = common::scan(&inv);
    let got: BTreeSet<(String, String)> = report
        .vulnerabilities()
        .map(|v| (v.pkg_name.to_string(), v.vulnerability_id.to_string()))
        .collect();
    assert_eq!(got, expected);
    for v in report.vulnerabilities() {
        assert_eq!(v.data_source.id, "alpine");
        assert_eq!(v.status, "fixed");
        if v.pkg_name == "busybox" {
            assert_eq!(v.fixed_version, "1.30.1-r2");
        }
        if v.vulnerability_id == "CVE-2019-1547" {
            assert_eq!(v.fixed_version, "1.1.1d-r0");
        }
    }
}
