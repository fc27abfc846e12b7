//! `--show-suppressed` (issue 6): findings hidden by ignore files, VEX documents and
//! `--ignore-status` reported as Trivy's `ExperimentalModifiedFindings` and as the table's
//! `Suppressed Vulnerabilities` section; VEX statements about other products suppress nothing.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::vuln::{findings, image, image_json, json};
use crate::{command, stderr};

fn run_in(dir: &Path, extra: &[&str]) -> Output {
    let img = image("python-app");
    let mut args = vec!["image", "--input", img.as_str()];
    args.extend(extra);
    command(&args).current_dir(dir).output().unwrap()
}

fn purl_of(all: &Value, id: &str) -> String {
    findings(all)
        .into_iter()
        .find(|(_, v)| v["VulnerabilityID"] == id)
        .map(|(_, v)| v["PkgIdentifier"]["PURL"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{id} not found"))
}

/// Every `ExperimentalModifiedFindings` entry of the report.
fn modified(report: &Value) -> Vec<&Value> {
    report["Results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .flat_map(|r| {
            r["ExperimentalModifiedFindings"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .collect()
}

fn has(report: &Value, id: &str) -> bool {
    findings(report)
        .iter()
        .any(|(_, v)| v["VulnerabilityID"] == id)
}

fn openvex(statements: Value) -> String {
    serde_json::json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.com/vex/suppressed",
        "author": "security@example.com",
        "timestamp": "2024-01-01T00:00:00Z",
        "version": 1,
        "statements": statements,
    })
    .to_string()
}

#[test]
fn r6_show_suppressed_reports_ignored_and_vex_findings() {
    let all = image_json("python-app");
    let pyyaml = purl_of(&all, "CVE-2020-14343");
    assert!(has(&all, "CVE-2021-31542"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".trivyignore.yaml"),
        "vulnerabilities:\n  - id: CVE-2021-31542\n    statement: accepted risk\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("app.openvex.json"),
        openvex(serde_json::json!([{
            "vulnerability": {"name": "CVE-2020-14343"},
            "products": [{"@id": pyyaml}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path"
        }])),
    )
    .unwrap();
    let vex = ["--vex", "app.openvex.json"];

    // Without the flag the findings are gone and nothing says so in the report.
    let out = run_in(dir.path(), &[&vex[..], &["-f", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plain = json(&out);
    assert!(!has(&plain, "CVE-2021-31542") && !has(&plain, "CVE-2020-14343"));
    assert!(modified(&plain).is_empty());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ExperimentalModifiedFindings"));

    // With it, the same findings are listed, each with why.
    let out = run_in(
        dir.path(),
        &[&vex[..], &["-f", "json", "--show-suppressed"]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = json(&out);
    assert_eq!(findings(&shown).len(), findings(&plain).len());
    let m = modified(&shown);
    assert_eq!(m.len(), 2, "{m:?}");
    let by_id = |id: &str| {
        *m.iter()
            .find(|e| e["Finding"]["VulnerabilityID"] == id)
            .unwrap_or_else(|| panic!("{id} not suppressed: {m:?}"))
    };
    let ignored = by_id("CVE-2021-31542");
    assert_eq!(ignored["Type"], "vulnerability");
    assert_eq!(ignored["Status"], "ignored");
    assert_eq!(ignored["Statement"], "accepted risk");
    assert_eq!(ignored["Source"], ".trivyignore.yaml");
    // The finding is the whole finding, as it would have been reported.
    let original = findings(&all)
        .into_iter()
        .find(|(_, v)| v["VulnerabilityID"] == "CVE-2021-31542")
        .unwrap()
        .1
        .clone();
    assert_eq!(ignored["Finding"], original);
    let vexed = by_id("CVE-2020-14343");
    assert_eq!(vexed["Status"], "not_affected");
    assert_eq!(vexed["Statement"], "vulnerable_code_not_in_execute_path");
    assert_eq!(vexed["Source"], "app.openvex.json");
    // The exit code counts only the findings that remain.
    let out = run_in(
        dir.path(),
        &[
            &vex[..],
            &["-f", "json", "--show-suppressed", "--exit-code", "5"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));

    // The table adds Trivy's section after the result's findings.
    let out = run_in(dir.path(), &[&vex[..], &["--show-suppressed"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    let at = table
        .find("Suppressed Vulnerabilities (Total: 2)\n=====================================\n")
        .unwrap_or_else(|| panic!("{table}"));
    let section = &table[at..];
    for cell in [
        "Library",
        "Statement",
        "Source",
        "CVE-2021-31542",
        "accepted risk",
        ".trivyignore.yaml",
        "CVE-2020-14343",
        "not_affected",
        "vulnerable_code_not_in_execute_path",
        "app.openvex.json",
    ] {
        assert!(section.contains(cell), "{cell} missing: {section}");
    }
    let out = run_in(dir.path(), &vex);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Suppressed Vulnerabilities"));
}

#[test]
fn r6_ignore_status_findings_are_shown_as_suppressed() {
    let all = image_json("python-app");
    let fixed: Vec<&Value> = findings(&all)
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| v["Status"] == "fixed")
        .collect();
    assert!(!fixed.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &[
            "-f",
            "json",
            "--ignore-status",
            "fixed",
            "--show-suppressed",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert!(findings(&report)
        .iter()
        .all(|(_, v)| v["Status"] != "fixed"));
    let m = modified(&report);
    assert_eq!(m.len(), fixed.len());
    assert!(m
        .iter()
        .all(|e| e["Status"] == "ignored" && e["Source"] == "--ignore-status"));
    assert!(m.iter().all(|e| e["Finding"]["Status"] == "fixed"));
    // Without the flag they are simply left out.
    let out = run_in(dir.path(), &["-f", "json", "--ignore-status", "fixed"]);
    assert!(modified(&json(&out)).is_empty());
}

#[test]
fn r6_vex_statements_about_other_products_suppress_nothing() {
    let all = image_json("python-app");
    let pyyaml = purl_of(&all, "CVE-2020-14343");
    let (name_and_version, _) = pyyaml.split_once('@').unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("other.openvex.json"),
        openvex(serde_json::json!([
            {
                // Another image, with the package as its subcomponent.
                "vulnerability": {"name": "CVE-2020-14343"},
                "products": [{
                    "@id": "pkg:oci/other-app@sha256%3A0123?repository_url=registry.example.com%2Fother-app",
                    "subcomponents": [{"@id": pyyaml}]
                }],
                "status": "not_affected",
                "justification": "component_not_present"
            },
            {
                // The same package at another version.
                "vulnerability": {"name": "CVE-2020-14343"},
                "products": [{"@id": format!("{name_and_version}@0.0.1")}],
                "status": "not_affected",
                "justification": "component_not_present"
            }
        ])),
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &[
            "-f",
            "json",
            "--show-suppressed",
            "--vex",
            "other.openvex.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert!(has(&report, "CVE-2020-14343"));
    assert!(modified(&report).is_empty());
}
