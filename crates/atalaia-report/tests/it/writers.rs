//! Snapshots of each writer on the fixture report, plus round-trips.

use atalaia_report::writer::{json, table};
use atalaia_report::{Report, ReportOptions, ResultClass};
use atalaia_types::{ArtifactKind, ArtifactMetadata, Inventory};

use crate::fixture;

fn render(f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut out = Vec::new();
    f(&mut out);
    String::from_utf8(out).expect("writers emit UTF-8")
}

#[test]
fn json_writer() {
    let text = render(|out| json::write(&fixture::report(), out).unwrap());
    assert!(text.ends_with("}\n"));
    insta::assert_snapshot!(text);
}

#[test]
fn table_writer_with_packages() {
    let text = render(|out| table::write(&fixture::report(), out).unwrap());
    insta::assert_snapshot!(text);
}

#[test]
fn table_writer_summary_only() {
    let report = fixture::report_with(&ReportOptions {
        list_all_pkgs: false,
    });
    assert!(report.results.iter().all(|r| r.packages.is_empty()));
    let text = render(|out| table::write(&report, out).unwrap());
    insta::assert_snapshot!(text);
}

#[test]
fn table_writer_empty_report() {
    let report = Report::from_inventory(
        "./empty",
        ArtifactKind::Filesystem,
        &ArtifactMetadata::default(),
        &Inventory::default(),
        &ReportOptions::default(),
    );
    let text = render(|out| table::write(&report, out).unwrap());
    insta::assert_snapshot!(text, @r"
    Report Summary

    No packages found in `./empty`
    ");
    let json = render(|out| json::write(&report, out).unwrap());
    // No Results, no OS, no image fields: only what Trivy prints for an empty filesystem.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "ArtifactName",
            "ArtifactType",
            "CreatedAt",
            "Metadata",
            "SchemaVersion"
        ]
    );
    assert_eq!(v["Metadata"], serde_json::json!({}));
    assert_eq!(v["ArtifactType"], "filesystem");
}

#[test]
fn json_round_trips() {
    let report = fixture::report();
    let text = render(|out| json::write(&report, out).unwrap());
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
}

#[test]
fn results_follow_trivy() {
    let report = fixture::report();
    let shape: Vec<_> = report
        .results
        .iter()
        .map(|r| (r.target.as_str(), r.class, r.ty.as_str(), r.packages.len()))
        .collect();
    assert_eq!(
        shape,
        [
            (
                "alpine:3.20 (alpine 3.20.3)",
                ResultClass::OsPkgs,
                "alpine",
                3
            ),
            ("srv/web/package-lock.json", ResultClass::LangPkgs, "npm", 3),
            ("Python", ResultClass::LangPkgs, "python-pkg", 2),
        ]
    );
    // Relationship order first (root, direct, indirect), then name.
    let npm: Vec<_> = report.results[1]
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(npm, ["web", "express", "debug"]);
    let os: Vec<_> = report.results[0]
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(os, ["busybox", "curl", "musl"]);
    assert_eq!(report.package_count(), 8);
}

#[test]
fn malformed_report_json_is_an_error() {
    for text in ["", "{", "{\"SchemaVersion\": \"two\"}", "[]"] {
        assert!(serde_json::from_str::<Report>(text).is_err(), "{text}");
    }
}

fn vuln_table(options: &table::TableOptions) -> String {
    render(|out| table::write_with(&crate::findings::report(), options, out).unwrap())
}

#[test]
fn table_writer_with_vulnerabilities() {
    let text = vuln_table(&table::TableOptions {
        vulnerabilities: true,
        ..table::TableOptions::default()
    });
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!(text);
}

#[test]
fn table_totals_list_only_the_selected_severities() {
    use atalaia_detect::Severity;
    let mut report = crate::findings::report();
    let filter = atalaia_report::FindingFilter {
        severities: vec![Severity::High, Severity::Critical],
        ..atalaia_report::FindingFilter::default()
    };
    report.apply_filter(&filter);
    let mut kept = 0;
    for r in &report.results {
        for v in &r.vulnerabilities {
            assert!(v.severity >= Severity::High, "{v:?}");
            kept += 1;
        }
    }
    assert!(kept > 0);
    let options = table::TableOptions {
        severities: filter.severities.clone(),
        vulnerabilities: true,
        color: false,
    };
    let text = render(|out| table::write_with(&report, &options, out).unwrap());
    let totals: Vec<&str> = text.lines().filter(|l| l.starts_with("Total: ")).collect();
    assert!(!totals.is_empty());
    for t in totals {
        assert!(t.contains("(HIGH: ") && t.ends_with(')'), "{t}");
        assert!(
            !t.contains("MEDIUM") && !t.contains("LOW") && !t.contains("UNKNOWN"),
            "{t}"
        );
    }
}

#[test]
fn colour_marks_only_severity_cells_and_keeps_the_layout() {
    let plain = vuln_table(&table::TableOptions {
        vulnerabilities: true,
        ..table::TableOptions::default()
    });
    let colored = vuln_table(&table::TableOptions {
        vulnerabilities: true,
        color: true,
        ..table::TableOptions::default()
    });
    assert!(colored.contains("\u{1b}[31mCRITICAL\u{1b}[0m"), "{colored}");
    // Removing the escapes gives the plain output back, byte for byte.
    let mut stripped = String::new();
    let mut rest = colored.as_str();
    while let Some(i) = rest.find('\u{1b}') {
        stripped.push_str(&rest[..i]);
        let end = rest[i..].find('m').unwrap();
        rest = &rest[i + end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
    // The header and the titles are never coloured.
    for line in colored.lines().filter(|l| l.contains('\u{1b}')) {
        assert!(!line.contains("Severity"), "{line}");
    }
}
