//! `atalaia config DIR` and `fs --scanners misconfig`: misconfigurations of configuration files
//! in Trivy's `config` results, the coverage line, and exit codes.

use crate::{atalaia, stderr};

fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("Dockerfile"),
        "FROM alpine:latest\nRUN apk add curl\nCMD [\"sh\"]\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "nothing to check\n").unwrap();
    tmp
}

fn misconfig_ids(out: &std::process::Output) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let mut ids = Vec::new();
    for r in report["Results"].as_array().into_iter().flatten() {
        assert_eq!(r["Class"], "config", "{r}");
        for m in r["Misconfigurations"].as_array().into_iter().flatten() {
            ids.push((
                r["Target"].as_str().unwrap().to_owned(),
                m["ID"].as_str().unwrap().to_owned(),
            ));
        }
    }
    ids
}

#[test]
fn config_reports_dockerfile_checks_with_coverage_and_exit_code() {
    let tmp = fixture();
    let dir = tmp.path().to_str().unwrap();
    let out = atalaia(&["config", dir, "--format", "json", "--exit-code", "5"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let ids = misconfig_ids(&out);
    // `:latest` base image (DS-0001) and no `USER` (DS-0002), both on the Dockerfile.
    for id in ["DS-0001", "DS-0002"] {
        assert!(
            ids.iter().any(|(t, i)| t == "Dockerfile" && i == id),
            "{id} missing: {ids:?}"
        );
    }
    assert!(
        stderr(&out).contains("Misconfiguration coverage"),
        "{}",
        stderr(&out)
    );
    // Without `--exit-code`, findings still exit 0.
    let out = atalaia(&["config", dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn fs_runs_misconfig_only_when_asked() {
    let tmp = fixture();
    let dir = tmp.path().to_str().unwrap();
    let out = atalaia(&["fs", dir, "--format", "json", "--scanners", "misconfig"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!misconfig_ids(&out).is_empty());
    let out = atalaia(&["fs", dir, "--format", "json", "--scanners", "secret"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["Results"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r["Class"] != "config"),
        "{report}"
    );
}

#[test]
fn config_on_a_missing_directory_is_exit_2() {
    let out = atalaia(&["config", "/nonexistent/atalaia-config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/atalaia-config"),
        "{}",
        stderr(&out)
    );
}
