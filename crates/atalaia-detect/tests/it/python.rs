//! python-app: the PYSEC advisories of its pinned packages.

use std::collections::{BTreeMap, BTreeSet};

use crate::common;

#[test]
fn python_app_reports_pysec_advisories_of_pinned_packages() {
    let inv = common::inventory("python-app");
    let report = common::scan(&inv);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let mut by_pkg: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for v in report.vulnerabilities() {
        let entry = by_pkg.entry(v.pkg_name.to_ascii_lowercase()).or_default();
        entry.extend(v.vendor_ids.iter().cloned());
        entry.insert(v.vulnerability_id.to_string());
        assert_eq!(v.status, "fixed", "{v:?}");
        assert!(!v.fixed_version.is_empty());
    }
    let expect: &[(&str, &[&str])] = &[
        (
            "django",
            &[
                "PYSEC-2021-7",
                "CVE-2021-31542",
                "PYSEC-2022-190",
                "PYSEC-2024-47",
            ],
        ),
        (
            "flask",
            &["PYSEC-2018-66", "PYSEC-2019-179", "PYSEC-2023-62"],
        ),
        ("jinja2", &["PYSEC-2019-217", "PYSEC-2021-66"]),
        (
            "werkzeug",
            &["PYSEC-2019-140", "PYSEC-2023-221", "PYSEC-2023-57"],
        ),
        ("pyyaml", &["PYSEC-2021-142"]),
        (
            "urllib3",
            &["PYSEC-2019-132", "PYSEC-2021-108", "PYSEC-2023-192"],
        ),
        ("requests", &["PYSEC-2018-28", "PYSEC-2023-74"]),
        ("certifi", &["PYSEC-2022-42986", "PYSEC-2023-135"]),
    ];
    for (pkg, ids) in expect {
        let found = by_pkg
            .get(*pkg)
            .unwrap_or_else(|| panic!("no findings for {pkg}"));
        for id in *ids {
            assert!(found.contains(*id), "{pkg}: {id} missing from {found:?}");
        }
    }
    let total = report.vulnerabilities().count();
    assert!((40..=65).contains(&total), "{total} findings");
    // Django 3.2: the fix shown is the smallest above the installed version, on its branch.
    let d = report
        .vulnerabilities()
        .find(|v| v.vulnerability_id == "CVE-2021-31542")
        .unwrap();
    assert_eq!(d.fixed_version, "3.2.1");
    assert_eq!(d.primary_url, "https://avd.aquasec.com/nvd/cve-2021-31542");
    assert_eq!(d.data_source.id, "osv");
}

#[test]
fn findings_are_sorted_and_unique() {
    let inv = common::inventory("python-app");
    let report = common::scan(&inv);
    for d in &report.detections {
        let keys: Vec<_> = d
            .vulnerabilities
            .iter()
            .map(|v| {
                (
                    &v.pkg_name,
                    &v.pkg_id,
                    &v.installed_version,
                    std::cmp::Reverse(v.severity),
                    &v.vulnerability_id,
                    &v.pkg_path,
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys, sorted);
    }
    // Deterministic: a second run gives the same JSON.
    let again = common::scan(&inv);
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}
