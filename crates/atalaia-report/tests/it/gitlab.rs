//! The GitLab writers: snapshots of both report types and the 15.x fields GitLab requires
//! (no package ships GitLab's schema, so the required fields are asserted here).

use atalaia_report::writer::gitlab::{self, ReportType};
use serde_json::Value;

use crate::findings;

fn render(ty: ReportType) -> String {
    let mut out = Vec::new();
    gitlab::write(&findings::report(), ty, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn gitlab_container_scanning_writer() {
    let text = render(ReportType::ContainerScanning);
    assert_eq!(text, render(ReportType::ContainerScanning));
    insta::assert_snapshot!(text);
}

#[test]
fn gitlab_dependency_scanning_writer() {
    let text = render(ReportType::DependencyScanning);
    insta::assert_snapshot!(text);
}

/// The fields schema 15.x makes required, with their formats.
fn check_required(doc: &Value, scan_type: &str) {
    assert!(doc["version"].as_str().unwrap().starts_with("15."));
    let scan = &doc["scan"];
    assert_eq!(scan["type"], scan_type);
    assert_eq!(scan["status"], "success");
    for t in ["start_time", "end_time"] {
        let s = scan[t].as_str().unwrap();
        // ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$
        assert_eq!(s.len(), 19, "{s}");
        assert!(s.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        }));
    }
    for tool in ["analyzer", "scanner"] {
        for f in ["id", "name", "version"] {
            assert!(!scan[tool][f].as_str().unwrap().is_empty());
        }
        assert_eq!(scan[tool]["vendor"]["name"], "atalaia");
    }
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for v in vulns {
        assert!(
            ids.insert(v["id"].as_str().unwrap().to_owned()),
            "ids are unique"
        );
        assert!(["Info", "Unknown", "Low", "Medium", "High", "Critical"]
            .contains(&v["severity"].as_str().unwrap()));
        let idents = v["identifiers"].as_array().unwrap();
        assert!(!idents.is_empty());
        for i in idents {
            for f in ["type", "name", "value"] {
                assert!(!i[f].as_str().unwrap().is_empty());
            }
        }
        let dep = &v["location"]["dependency"];
        assert!(!dep["package"]["name"].as_str().unwrap().is_empty());
        assert!(!dep["version"].as_str().unwrap().is_empty());
        assert!(
            v.get("category").is_none() && v.get("cve").is_none(),
            "removed in 15.0"
        );
    }
}

#[test]
fn gitlab_container_scanning_fields() {
    let doc: Value = serde_json::from_str(&render(ReportType::ContainerScanning)).unwrap();
    check_required(&doc, "container_scanning");
    assert_eq!(doc["scan"]["start_time"], "2026-01-02T03:04:05");
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    // Secrets are a separate GitLab report: only the 8 vulnerabilities.
    assert_eq!(vulns.len(), 8);
    for v in vulns {
        assert_eq!(v["location"]["image"], "alpine:3.20");
        assert_eq!(v["location"]["operating_system"], "alpine 3.20.3");
    }
    let express = vulns
        .iter()
        .find(|v| v["identifiers"][0]["value"] == "CVE-2024-29041")
        .unwrap();
    assert_eq!(express["severity"], "Medium");
    assert_eq!(
        express["solution"],
        "Upgrade express to 4.19.2, 5.0.0-beta.3"
    );
    assert_eq!(express["identifiers"][1]["type"], "ghsa");
    assert_eq!(
        express["identifiers"][1]["url"],
        "https://github.com/advisories/GHSA-rv95-896h-c2vc"
    );
    assert_eq!(
        express["identifiers"].as_array().unwrap().len(),
        2,
        "aliases deduplicated"
    );
    let musl = vulns
        .iter()
        .find(|v| v["identifiers"][0]["value"] == "CVE-2025-26519")
        .unwrap();
    assert_eq!(musl["solution"], "No solution provided");
    assert_eq!(musl["location"]["dependency"]["package"]["name"], "musl");
    assert_eq!(musl["location"]["dependency"]["version"], "1.2.5-r0");
}

#[test]
fn gitlab_dependency_scanning_fields() {
    let doc: Value = serde_json::from_str(&render(ReportType::DependencyScanning)).unwrap();
    check_required(&doc, "dependency_scanning");
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    let file = |id: &str| {
        vulns
            .iter()
            .find(|v| v["identifiers"][0]["value"] == id)
            .unwrap()["location"]["file"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(file("CVE-2024-29041"), "srv/web/package-lock.json");
    assert_eq!(
        file("CVE-2020-14343"),
        "opt/venv/lib/python3.12/site-packages/PyYAML-5.3.1.dist-info/METADATA"
    );
    for v in vulns {
        assert!(v["location"].get("image").is_none());
    }
}

#[test]
fn gitlab_of_a_report_without_findings() {
    let mut report = findings::report();
    report.results.clear();
    report.metadata.os = None;
    let mut out = Vec::new();
    gitlab::write(&report, ReportType::ContainerScanning, &mut out).unwrap();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["vulnerabilities"], serde_json::json!([]));
    assert_eq!(doc["remediations"], serde_json::json!([]));
    check_required(&doc, "container_scanning");
}

#[test]
fn gitlab_code_quality_writer() {
    let render = || {
        let mut out = Vec::new();
        gitlab::write_code_quality(&findings::report(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let text = render();
    assert_eq!(text, render());
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap();
    // 8 vulnerabilities and 2 secrets, each with a distinct fingerprint.
    assert_eq!(issues.len(), 10);
    let prints: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 10);
    let secret = issues
        .iter()
        .find(|i| i["description"] == "Secret - aws-secret-access-key - AWS aws-secret-access-key")
        .unwrap();
    assert_eq!(secret["location"]["lines"]["begin"], 4);
    assert_eq!(secret["severity"], "critical");
    let express = issues
        .iter()
        .find(|i| {
            i["description"]
                == "CVE-2024-29041 - express - 4.18.2 - express: flaw in CVE-2024-29041"
        })
        .unwrap();
    assert_eq!(express["severity"], "minor");
    assert_eq!(express["location"]["path"], "srv/web/package-lock.json");
    insta::assert_snapshot!(text);
}
