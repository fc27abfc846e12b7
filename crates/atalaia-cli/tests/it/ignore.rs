//! `--ignorefile` (`.trivyignore`, `.trivyignore.yaml`) and `--vex` on python-app's findings.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::vuln::{findings, image, image_json, json};
use crate::{command, stderr};

fn run_in(dir: &Path, extra: &[&str]) -> Output {
    let img = image("python-app");
    let mut args = vec!["image", "--input", img.as_str(), "-f", "json"];
    args.extend(extra);
    command(&args).current_dir(dir).output().unwrap()
}

fn ids(report: &Value) -> BTreeSet<String> {
    findings(report)
        .into_iter()
        .map(|(_, v)| v["VulnerabilityID"].as_str().unwrap().to_owned())
        .collect()
}

/// The finding `id` of the unfiltered scan.
fn finding(all: &Value, id: &str) -> Value {
    findings(all)
        .into_iter()
        .find(|(_, v)| v["VulnerabilityID"] == id)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("{id} not found"))
}

#[test]
fn trivyignore_in_the_working_directory_hides_ids_and_their_aliases() {
    let all = image_json("python-app");
    let all_ids = ids(&all);
    // CVE-2021-31542 is reported under its CVE; its PYSEC ID is a vendor ID.
    let django = finding(&all, "CVE-2021-31542");
    assert!(django.to_string().contains("PYSEC-2021-7"), "{django}");
    assert!(all_ids.contains("CVE-2021-32052"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".trivyignore"),
        "# accepted\nPYSEC-2021-7\nCVE-2021-32052 exp:2000-01-01\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = ids(&json(&out));
    let mut expected = all_ids.clone();
    expected.remove("CVE-2021-31542");
    assert_eq!(got, expected);
    // The expired entry did not apply, and says so.
    let err = stderr(&out);
    assert!(
        err.contains("CVE-2021-32052") && err.contains("expired on 2000-01-01"),
        "{err}"
    );

    // An empty `--ignorefile` turns the default off.
    let out = run_in(dir.path(), &["--ignorefile", ""]);
    assert_eq!(ids(&json(&out)), all_ids);

    // Ignoring every finding leaves nothing for `--exit-code`.
    let every: String = all_ids.iter().map(|id| format!("{id}\n")).collect();
    let list = dir.path().join("every.txt");
    std::fs::write(&list, every).unwrap();
    let out = run_in(
        dir.path(),
        &["--ignorefile", list.to_str().unwrap(), "--exit-code", "4"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(findings(&json(&out)).is_empty());
    let out = run_in(dir.path(), &["--exit-code", "4"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[test]
fn trivyignore_yaml_matches_purls_and_paths() {
    let all = image_json("python-app");
    let flask = finding(&all, "CVE-2023-30861");
    let purl = flask["PkgIdentifier"]["PURL"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".trivyignore.yaml"),
        format!(
            "vulnerabilities:\n  - id: CVE-2023-30861\n    purls: [\"{purl}\"]\n    statement: not exposed\n  - id: CVE-2019-10906\n    paths: [\"nowhere/**\"]\n"
        ),
    )
    .unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = ids(&json(&out));
    let mut expected = ids(&all);
    expected.remove("CVE-2023-30861");
    assert!(expected.contains("CVE-2019-10906"));
    assert_eq!(got, expected);
}

#[test]
fn vex_not_affected_statements_hide_findings() {
    let all = image_json("python-app");
    let pyyaml = finding(&all, "CVE-2020-14343");
    let purl = pyyaml["PkgIdentifier"]["PURL"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vex = dir.path().join("app.openvex.json");
    std::fs::write(
        &vex,
        serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.com/vex/1",
            "author": "security@example.com",
            "timestamp": "2024-01-01T00:00:00Z",
            "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-2020-14343"},
                "products": [{"@id": purl}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path"
            }]
        })
        .to_string(),
    )
    .unwrap();
    let out = run_in(dir.path(), &["--vex", vex.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut expected = ids(&all);
    expected.remove("CVE-2020-14343");
    assert_eq!(ids(&json(&out)), expected);
}

#[test]
fn unreadable_ignore_files_and_vex_are_exit_two_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["--ignorefile", "/nonexistent/.trivyignore"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/.trivyignore"),
        "{}",
        stderr(&out)
    );
    let bad = dir.path().join("bad.trivyignore.yaml");
    std::fs::write(&bad, "vulnerabilities: [ {id: 1, nope: true} ]\n").unwrap();
    let out = run_in(dir.path(), &["--ignorefile", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.trivyignore.yaml"),
        "{}",
        stderr(&out)
    );
    let vex = dir.path().join("bad.vex.json");
    std::fs::write(&vex, "{ not json").unwrap();
    let out = run_in(dir.path(), &["--vex", vex.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.vex.json"), "{}", stderr(&out));
}
