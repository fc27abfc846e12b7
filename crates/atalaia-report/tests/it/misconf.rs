//! Misconfiguration results (r9): the table's per-target `Tests:` / `Failures:` lines and
//! failure blocks with code, the summary's `Misconfigurations` column, and the coverage record
//! in the table and as the extra JSON field `MisconfCoverage` (absent when the scanner did not
//! run). Findings come from the real checks of `atalaia-misconfig`.

use atalaia_detect::Severity;
use atalaia_misconfig::{CauseMetadata, Code, Line, MisconfSummary, Misconfiguration, Status};
use atalaia_report::writer::{json, table};
use atalaia_report::{
    MisconfCoverage, NotEvaluatedFile, Report, ReportOptions, ReportResult, ResultClass,
};
use atalaia_types::{ArtifactKind, ArtifactMetadata, Inventory};

const DOCKERFILE: &str = "FROM alpine:latest\nRUN apk add curl \\\n    bash\nCMD [\"sh\"]\n";

/// A failure of check `id` on `lines` (`(number, text)`, all part of the cause; none for a
/// whole-file failure).
fn failure(
    id: &str,
    severity: atalaia_misconfig::Severity,
    message: &str,
    lines: &[(usize, &str)],
) -> Misconfiguration {
    let code: Vec<Line> = lines
        .iter()
        .enumerate()
        .map(|(i, (number, content))| Line {
            number: *number,
            content: (*content).to_owned(),
            is_cause: true,
            annotation: String::new(),
            truncated: false,
            first_cause: i == 0,
            last_cause: i + 1 == lines.len(),
        })
        .collect();
    Misconfiguration {
        check_type: "Dockerfile Security Check".to_owned(),
        id: id.to_owned(),
        avd_id: format!("AVD-{id}"),
        short_id: id.replace("-0", ""),
        title: format!("Title of {id}"),
        description: format!("Why {id} matters."),
        message: message.to_owned(),
        namespace: String::new(),
        query: String::new(),
        resolution: format!("Fix {id}."),
        severity,
        primary_url: format!("https://avd.aquasec.com/misconfig/{}", id.to_lowercase()),
        references: Vec::new(),
        status: Status::Fail,
        cause_metadata: CauseMetadata {
            provider: "Dockerfile".to_owned(),
            service: "general".to_owned(),
            start_line: lines.first().map_or(0, |l| l.0),
            end_line: lines.last().map_or(0, |l| l.0),
            code: Code { lines: code },
        },
        layer: None,
    }
}

fn report(with_coverage: bool) -> Report {
    use atalaia_misconfig::Severity as S;
    let mut report = Report::from_inventory(
        "project",
        ArtifactKind::Filesystem,
        &ArtifactMetadata::default(),
        &Inventory::default(),
        &ReportOptions::default(),
    );
    report.results.push(ReportResult::config(
        "Dockerfile".to_owned(),
        "dockerfile".to_owned(),
        MisconfSummary {
            successes: 24,
            failures: 3,
        },
        vec![
            failure(
                "DS-0001",
                S::Medium,
                "Specify a tag for 'alpine'",
                &[(1, "FROM alpine:latest")],
            ),
            failure("DS-0002", S::High, "Specify at least 1 USER command", &[]),
            failure(
                "DS-0025",
                S::High,
                "'--no-cache' is missed: apk add curl bash",
                &[(2, "RUN apk add curl \\"), (3, "    bash")],
            ),
        ],
    ));
    report.results.push(ReportResult::config(
        "compose.yaml".to_owned(),
        "compose".to_owned(),
        MisconfSummary {
            successes: 5,
            failures: 0,
        },
        Vec::new(),
    ));
    if with_coverage {
        report.misconf_coverage = Some(MisconfCoverage {
            files_found: 3,
            files_evaluated: 2,
            not_evaluated: vec![NotEvaluatedFile {
                path: "chart/values.yaml".to_owned(),
                reason: "Helm chart (rendering not supported yet)".to_owned(),
            }],
        });
    }
    report
}

fn table_text(report: &Report, options: &table::TableOptions) -> String {
    let mut out = Vec::new();
    table::write_with(report, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table_writer_with_misconfigurations() {
    let report = report(true);
    assert!(report
        .results
        .iter()
        .all(|r| r.class == ResultClass::Config));
    insta::assert_snapshot!(table_text(&report, &table::TableOptions::default()));
}

#[test]
fn table_misconfigurations_only_the_selected_severities() {
    let options = table::TableOptions {
        severities: vec![Severity::Critical],
        ..table::TableOptions::default()
    };
    let text = table_text(&report(false), &options);
    insta::assert_snapshot!(text);
    assert!(!text.contains("Misconfiguration coverage"));
}

#[test]
fn json_carries_coverage_only_when_the_scanner_ran() {
    let render = |r: &Report| {
        let mut out = Vec::new();
        json::write(r, &mut out).unwrap();
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()
    };
    let with = render(&report(true));
    insta::assert_json_snapshot!(with["MisconfCoverage"], @r#"
    {
      "FilesEvaluated": 2,
      "FilesFound": 3,
      "NotEvaluated": [
        {
          "Path": "chart/values.yaml",
          "Reason": "Helm chart (rendering not supported yet)"
        }
      ]
    }
    "#);
    let dockerfile = &with["Results"][0];
    assert_eq!(dockerfile["Class"], "config");
    assert_eq!(dockerfile["Type"], "dockerfile");
    assert!(dockerfile["MisconfSummary"]["Successes"].as_u64().unwrap() > 0);
    let without = render(&report(false));
    assert!(without.get("MisconfCoverage").is_none(), "{without}");
    // Trivy's own fields are unchanged by the extra one.
    for key in ["SchemaVersion", "ArtifactName", "ArtifactType", "Results"] {
        assert_eq!(with[key], without[key], "{key}");
    }
    // The record reads back; a malformed one is an error, not a panic.
    let back: MisconfCoverage = serde_json::from_value(with["MisconfCoverage"].clone()).unwrap();
    assert_eq!(Some(back), report(true).misconf_coverage);
    let bad = serde_json::json!({"FilesFound": -1, "FilesEvaluated": 0});
    assert!(serde_json::from_value::<MisconfCoverage>(bad).is_err());
}

#[test]
fn real_checks_render_with_their_code() {
    let r = atalaia_misconfig::scan_file(
        "Dockerfile",
        DOCKERFILE.as_bytes(),
        &atalaia_misconfig::Options::default(),
    );
    let mut report = report(false);
    report.results = vec![ReportResult::config(
        r.target,
        "dockerfile".to_owned(),
        r.misconf_summary,
        r.misconfigurations,
    )];
    let text = table_text(&report, &table::TableOptions::default());
    for expected in [
        "Dockerfile (dockerfile)\n=======================\nTests: ",
        "DS-0025 (HIGH): ",
        " Dockerfile:2-3\n",
        "   2 ┌ RUN apk add curl \\\n   3 └     bash\n",
        "See https://avd.aquasec.com/misconfig/ds-0001\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
