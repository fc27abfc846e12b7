//! Secret results: Trivy's `DetectedSecret` fields plus `Layer` and atalaia's `Deleted`, and the
//! table's per-target secrets table with Trivy's severity totals.

use atalaia_report::writer::{json, table};
use atalaia_report::{Report, ReportOptions, ReportResult, ReportSecret, ResultClass};
use atalaia_secret::{Code, Line, SecretFinding, Severity};
use atalaia_types::{ArtifactKind, ArtifactMetadata, Digest, Inventory, PackageLayer};

fn finding(rule: &str, severity: Severity, line: usize) -> SecretFinding {
    SecretFinding {
        rule_id: rule.to_owned(),
        category: "AWS".to_owned(),
        severity,
        title: format!("title of {rule}"),
        start_line: line,
        end_line: line,
        code: Code {
            lines: vec![Line {
                number: line,
                content: "key = ****".to_owned(),
                is_cause: true,
                highlighted: "key = ****".to_owned(),
                first_cause: true,
                last_cause: true,
                ..Line::default()
            }],
        },
        r#match: "key = ****".to_owned(),
        offset: 12,
    }
}

fn report() -> Report {
    let mut report = Report::from_inventory(
        "img",
        ArtifactKind::ContainerImage,
        &ArtifactMetadata::default(),
        &Inventory::default(),
        &ReportOptions::default(),
    );
    let digest: Digest = format!("sha256:{}", "ab".repeat(32)).parse().unwrap();
    report.results.push(ReportResult::secret(
        "/root/.aws/credentials".to_owned(),
        vec![
            ReportSecret {
                finding: finding("aws-access-key-id", Severity::Critical, 3),
                layer: PackageLayer {
                    digest: Some(digest.clone()),
                    ..PackageLayer::default()
                },
                deleted: true,
            },
            ReportSecret {
                finding: finding("aws-account-id", Severity::High, 4),
                layer: PackageLayer::default(),
                deleted: false,
            },
        ],
    ));
    report
}

#[test]
fn json_has_trivy_fields_and_deleted() {
    let mut out = Vec::new();
    json::write(&report(), &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let r = &v["Results"][0];
    assert_eq!(r["Class"], "secret");
    assert_eq!(r["Target"], "/root/.aws/credentials");
    let s = &r["Secrets"][0];
    assert_eq!(s["RuleID"], "aws-access-key-id");
    assert_eq!(s["Severity"], "CRITICAL");
    assert_eq!(s["StartLine"], 3);
    assert_eq!(s["Offset"], 12);
    assert_eq!(s["Code"]["Lines"][0]["IsCause"], true);
    assert_eq!(s["Deleted"], true);
    assert!(s["Layer"]["Digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:abab"));
    // Defaults are left out, as Trivy leaves out empty fields.
    assert!(r["Secrets"][1].get("Deleted").is_none());
    assert!(r["Secrets"][1].get("Layer").is_none());
    // Round trip.
    let back: Report = serde_json::from_slice(&out).unwrap();
    assert_eq!(back.results[0].class, ResultClass::Secret);
    assert_eq!(back.results[0].secrets, report().results[0].secrets);
}

#[test]
fn table_prints_totals_and_a_secrets_table() {
    let mut out = Vec::new();
    table::write(&report(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("/root/.aws/credentials (secrets)"), "{text}");
    assert!(
        text.contains("Total: 2 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 1)"),
        "{text}"
    );
    for col in [
        "Category", "Title", "Severity", "Line", "Match", "Layer", "Deleted",
    ] {
        assert!(text.contains(col), "{col}: {text}");
    }
    assert!(
        text.contains("title of aws-account-id") && text.contains("key = ****"),
        "{text}"
    );
    assert!(
        text.contains("Secrets"),
        "summary has a Secrets column: {text}"
    );
}
