//! rust-app (Cargo.lock and the auditable binary) and distroless-like (Go stdlib).

use std::collections::BTreeSet;

use atalaia_detect::ResultKey;

use crate::common;

#[test]
fn rust_app_reports_rustsec_from_lockfile_and_binary() {
    let inv = common::inventory("rust-app");
    let report = common::scan(&inv);
    let expected: BTreeSet<(&str, &str)> = [
        ("chrono", "RUSTSEC-2020-0159"),
        ("regex", "RUSTSEC-2022-0013"),
        ("smallvec", "RUSTSEC-2021-0003"),
        ("time", "RUSTSEC-2020-0071"),
    ]
    .into();
    let mut seen_types = BTreeSet::new();
    for d in &report.detections {
        let ResultKey::Application { app_type, .. } = &d.key else {
            assert!(d.vulnerabilities.is_empty(), "{d:?}");
            continue;
        };
        let got: BTreeSet<(&str, &str)> = d
            .vulnerabilities
            .iter()
            .flat_map(|v| {
                v.vendor_ids
                    .iter()
                    .map(move |id| (v.pkg_name.as_str(), id.as_str()))
            })
            .filter(|(_, id)| id.starts_with("RUSTSEC-"))
            .collect();
        assert_eq!(got, expected, "{app_type}");
        seen_types.insert(app_type.clone());
    }
    assert!(
        seen_types.contains("cargo") && seen_types.contains("rustbinary"),
        "{seen_types:?}"
    );
    let regex = report
        .vulnerabilities()
        .find(|v| v.pkg_name == "regex")
        .unwrap();
    assert_eq!(regex.fixed_version, "1.5.5");
    assert_eq!(regex.data_source.name, "RustSec Advisory Database");
}

#[test]
fn distroless_like_reports_go_stdlib_advisories_for_go1_19_8() {
    let inv = common::inventory("distroless-like");
    let report = common::scan(&inv);
    let stdlib: Vec<_> = report
        .vulnerabilities()
        .filter(|v| v.pkg_name == "stdlib")
        .collect();
    assert!(stdlib.len() > 20, "{} stdlib findings", stdlib.len());
    for v in &stdlib {
        assert_eq!(v.installed_version, "v1.19.8");
        assert_eq!(v.data_source.id, "govulndb");
        assert!(v.vendor_ids.iter().any(|i| i.starts_with("GO-")), "{v:?}");
    }
    let ids: BTreeSet<&str> = stdlib
        .iter()
        .flat_map(|v| v.vendor_ids.iter().map(String::as_str))
        .collect();
    // Fixed in 1.19.9 / 1.19.10: affect 1.19.8.
    for id in ["GO-2023-1751", "GO-2023-1753", "GO-2023-1840"] {
        assert!(ids.contains(id), "{id} missing");
    }
    let f = stdlib
        .iter()
        .find(|v| v.vendor_ids.contains(&"GO-2023-1751".to_owned()))
        .unwrap();
    assert_eq!(f.fixed_version, "1.19.9");
}

/// r6: go-fzf's `/usr/bin/fzf` (the same Go 1.19.8 build as distroless-like's) belongs to the
/// `fzf` dpkg package, so it is matched only through that package against the Debian feed: no
/// Go advisory, while the unowned copy in distroless-like has dozens.
#[test]
fn r6_dpkg_owned_go_binary_is_matched_only_against_the_os_feed() {
    let inv = common::inventory("go-fzf");
    let fzf = inv
        .os_packages
        .iter()
        .flat_map(|db| &db.packages)
        .find(|p| p.name == "fzf")
        .expect("the fzf dpkg package");
    assert!(
        fzf.installed_files.iter().any(|f| f == "/usr/bin/fzf"),
        "{:?}",
        fzf.installed_files
    );
    let binary = inv
        .applications
        .iter()
        .find(|a| a.app_type == "gobinary")
        .expect("the Go binary is still in the inventory");
    assert!(binary.packages.iter().any(|p| p.name == "stdlib"));
    let report = common::scan(&inv);
    let go: Vec<_> = report
        .vulnerabilities()
        .filter(|v| v.data_source.id == "govulndb" || v.pkg_name == "stdlib")
        .collect();
    assert!(go.is_empty(), "{go:?}");
}
