//! RubySec and FriendsOfPHP: native requirement strings (`patched_versions`, `branches`).

use atalaia_types::{Application, Ecosystem, Inventory, Package, Purl};

use crate::common;

fn app(app_type: &str, eco: Ecosystem, pkgs: &[(&str, &str)]) -> Inventory {
    Inventory {
        applications: vec![Application {
            app_type: app_type.into(),
            file_path: "lockfile".into(),
            packages: pkgs
                .iter()
                .map(|(n, v)| Package::new(eco, *n, *v, Purl::new(eco.purl_type(), "", n, v)))
                .collect(),
        }],
        ..Inventory::default()
    }
}

fn ids(inv: &Inventory, pkg: &str) -> Vec<(String, String, String)> {
    common::scan(inv)
        .vulnerabilities()
        .filter(|v| v.pkg_id == pkg)
        .map(|v| {
            (
                v.vulnerability_id.to_string(),
                v.data_source.id.clone(),
                v.fixed_version.clone(),
            )
        })
        .collect()
}

#[test]
fn rubysec_patched_versions_decide() {
    let inv = app(
        "bundler",
        Ecosystem::RubyGems,
        &[("rack", "2.0.7"), ("rack", "2.0.8")],
    );
    let old = ids(&inv, "rack@2.0.7");
    assert!(
        old.iter().any(|(id, ds, fix)| id == "CVE-2019-16782"
            && ds == "ruby-advisory-db"
            && fix == "2.0.8"),
        "{old:?}"
    );
    let new = ids(&inv, "rack@2.0.8");
    assert!(
        !new.iter().any(|(id, _, _)| id == "CVE-2019-16782"),
        "{new:?}"
    );
}

#[test]
fn friendsofphp_branches_decide() {
    let inv = app(
        "composer",
        Ecosystem::Packagist,
        &[
            ("guzzlehttp/guzzle", "7.4.2"),
            ("guzzlehttp/guzzle", "7.4.3"),
        ],
    );
    let old = ids(&inv, "guzzlehttp/guzzle@7.4.2");
    assert!(
        old.iter().any(|(id, ds, fix)| id == "CVE-2022-29248"
            && ds == "php-security-advisories"
            && fix == "7.4.3"),
        "{old:?}"
    );
    let new = ids(&inv, "guzzlehttp/guzzle@7.4.3");
    assert!(
        !new.iter().any(|(id, _, _)| id == "CVE-2022-29248"),
        "{new:?}"
    );
}
