//! node-app and java-app: exactly the GitHub advisories `osv/ghsa/INDEX.tsv` marks `applies`.

use std::collections::BTreeSet;

use crate::common;

/// (id, ecosystem, package, applies) rows of the index.
fn index() -> Vec<(String, String, String, bool)> {
    let text =
        std::fs::read_to_string(atalaia_test::vulndata_dir().join("osv/ghsa/INDEX.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_owned(),
                f[1].to_owned(),
                f[2].to_owned(),
                f[5] == "yes",
            )
        })
        .collect()
}

fn check(image: &str, ecosystem: &str) {
    let inv = common::inventory(image);
    let report = common::scan(&inv);
    let mut named: BTreeSet<(String, String)> = BTreeSet::new();
    for v in report.vulnerabilities() {
        let pkg = if ecosystem == "Maven" {
            v.pkg_name.to_string()
        } else {
            v.pkg_name.to_ascii_lowercase()
        };
        for id in v
            .vendor_ids
            .iter()
            .map(String::as_str)
            .chain(v.aliases.iter())
            .chain([v.vulnerability_id.as_str()])
        {
            if id.starts_with("GHSA-") {
                named.insert((id.to_owned(), pkg.clone()));
            }
        }
    }
    let rows: Vec<_> = index().into_iter().filter(|r| r.1 == ecosystem).collect();
    let yes: BTreeSet<(String, String)> = rows
        .iter()
        .filter(|r| r.3)
        .map(|r| (r.0.clone(), r.2.clone()))
        .collect();
    let no: BTreeSet<&str> = rows.iter().filter(|r| !r.3).map(|r| r.0.as_str()).collect();
    assert!(!yes.is_empty());
    for y in &yes {
        assert!(named.contains(y), "{image}: {y:?} missing; found {named:?}");
    }
    for (id, _) in &named {
        assert!(
            !no.contains(id.as_str()),
            "{image}: {id} must not be reported"
        );
    }
    // Every finding from the GHSA feed is one the index expects.
    for v in report
        .vulnerabilities()
        .filter(|v| v.data_source.id == "ghsa")
    {
        assert!(
            v.vendor_ids
                .iter()
                .any(|id| yes.iter().any(|(y, _)| y == id)),
            "{image}: unexpected GHSA finding {v:?}"
        );
    }
}

#[test]
fn node_app_reports_exactly_the_applicable_ghsa() {
    check("node-app", "npm");
}

#[test]
fn java_app_reports_exactly_the_applicable_ghsa() {
    check("java-app", "Maven");
}
