//! Custom Rego checks (`--config-check`, `--check-namespaces`).

use std::path::PathBuf;

use atalaia_misconfig::{scan_dir, CustomChecks, Error, Options, Severity, Status};

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/custom")
        .join(rel)
}

fn opts(checks: &[&str], namespaces: &[&str]) -> Options {
    Options {
        custom_checks: checks.iter().map(|c| data(c)).collect(),
        check_namespaces: namespaces.iter().map(|n| (*n).to_string()).collect(),
        ..Options::default()
    }
}

fn failures<'a>(
    scan: &'a atalaia_misconfig::Scan,
    target: &str,
) -> Vec<&'a atalaia_misconfig::Misconfiguration> {
    scan.results
        .iter()
        .find(|r| r.target == target)
        .unwrap_or_else(|| panic!("{target} not scanned"))
        .failures()
        .collect()
}

#[test]
fn metadata_is_read() {
    let checks = CustomChecks::load(&[data("checks")], &["user".to_string()]).unwrap();
    let mut ids: Vec<&str> = checks.checks().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["CUSTOM-001", "CUSTOM-002", "CUSTOM-K8S-001"]);
    let m = checks.checks().find(|m| m.id == "CUSTOM-001").unwrap();
    assert_eq!(m.avd_id, "AVD-CUSTOM-001");
    assert_eq!(m.title, "Forbidden base image");
    assert_eq!(m.severity, Severity::High);
    assert_eq!(m.resolution, "Use an approved, pinned base image.");
    assert_eq!(m.selectors, ["dockerfile"]);
    assert_eq!(
        m.references,
        ["https://example.invalid/policies/base-images"]
    );
    let m = checks.checks().find(|m| m.id == "CUSTOM-002").unwrap();
    assert_eq!(m.avd_id, "CUSTOM-002");
    assert_eq!(m.severity, Severity::Medium);
}

#[test]
fn dockerfile_check_fires_with_its_own_id() {
    let scan = scan_dir(&data("target"), &opts(&["checks"], &["user"])).unwrap();
    let f = failures(&scan, "Dockerfile");
    let base = f.iter().find(|m| m.id == "CUSTOM-001").expect("CUSTOM-001");
    assert_eq!(base.message, "Base image 'ubuntu:latest' is forbidden");
    assert_eq!(base.avd_id, "AVD-CUSTOM-001");
    assert_eq!(base.severity, Severity::High);
    assert_eq!(base.title, "Forbidden base image");
    assert_eq!(base.namespace, "user.dockerfile.custom001");
    assert_eq!(base.query, "data.user.dockerfile.custom001.deny");
    assert_eq!(base.check_type, "Dockerfile Security Check");
    assert_eq!(
        (base.cause_metadata.start_line, base.cause_metadata.end_line),
        (4, 4)
    );
    assert_eq!(
        base.cause_metadata.code.lines[0].content,
        "FROM ubuntu:latest"
    );
    // A string result: a whole-file finding.
    let user = f.iter().find(|m| m.id == "CUSTOM-002").expect("CUSTOM-002");
    assert_eq!(user.cause_metadata.start_line, 0);
    assert!(user.message.contains("No USER"));
    // The built-in checks still run, and the Kubernetes check does not run on a Dockerfile.
    assert!(f.iter().any(|m| m.id == "DS-0002"));
    assert!(!f.iter().any(|m| m.id.starts_with("CUSTOM-K8S")));
    let json = serde_json::to_value(base).unwrap();
    assert_eq!(json["ID"], "CUSTOM-001");
    assert_eq!(json["Status"], "FAIL");
}

#[test]
fn kubernetes_check_fires_per_object_with_lines() {
    let scan = scan_dir(&data("target"), &opts(&["checks"], &["user"])).unwrap();
    let f = failures(&scan, "deploy.yaml");
    let labels: Vec<_> = f
        .iter()
        .filter(|m| m.id == "CUSTOM-K8S-001" && m.message.contains("label"))
        .collect();
    assert_eq!(labels.len(), 1, "{labels:?}");
    assert_eq!(labels[0].message, "Deployment 'web' has no 'owner' label");
    // `result.new(msg, input.metadata)`: the metadata mapping's lines.
    assert_eq!(
        (
            labels[0].cause_metadata.start_line,
            labels[0].cause_metadata.end_line
        ),
        (4, 6)
    );
    // `deny_no_limits` with explicit `startline`/`endline` from `__defsec_metadata`.
    let limits: Vec<_> = f
        .iter()
        .filter(|m| m.message.contains("resource limits"))
        .collect();
    assert_eq!(limits.len(), 1);
    // Both rules belong to the one check.
    assert_eq!(limits[0].id, "CUSTOM-K8S-001");
    assert_eq!(
        limits[0].message,
        "Container 'sidecar' has no resource limits"
    );
    assert_eq!(
        (
            limits[0].cause_metadata.start_line,
            limits[0].cause_metadata.end_line
        ),
        (16, 17)
    );
    assert!(!f
        .iter()
        .any(|m| m.id == "CUSTOM-001" || m.id == "CUSTOM-002"));
}

#[test]
fn passes_are_counted_and_listed() {
    let mut o = opts(&["checks"], &["user"]);
    let base = scan_dir(&data("target"), &Options::default()).unwrap();
    let with = scan_dir(&data("target"), &o).unwrap();
    let summary = |s: &atalaia_misconfig::Scan, t: &str| {
        s.results
            .iter()
            .find(|r| r.target == t)
            .unwrap()
            .misconf_summary
    };
    // Dockerfile: two custom failures, no custom pass.
    assert_eq!(
        summary(&with, "Dockerfile").failures,
        summary(&base, "Dockerfile").failures + 2
    );
    assert_eq!(
        summary(&with, "Dockerfile").successes,
        summary(&base, "Dockerfile").successes
    );
    // deploy.yaml: the Service passes the label check, as Trivy counts it.
    assert_eq!(
        summary(&with, "deploy.yaml").successes,
        summary(&base, "deploy.yaml").successes + 1
    );
    o.include_non_failures = true;
    let all = scan_dir(&data("target"), &o).unwrap();
    let r = all
        .results
        .iter()
        .find(|r| r.target == "deploy.yaml")
        .unwrap();
    assert!(r
        .misconfigurations
        .iter()
        .any(|m| m.id == "CUSTOM-K8S-001" && m.status == Status::Pass));
}

#[test]
fn namespaces_select_the_checks() {
    // Not listed: the `corp` check does not run.
    let scan = scan_dir(&data("target"), &opts(&["checks", "corp"], &["user"])).unwrap();
    assert!(!failures(&scan, "Dockerfile")
        .iter()
        .any(|m| m.id == "CORP-001"));
    // Listed alone: it runs (no selector: on every input), the `user` ones do not.
    let scan = scan_dir(&data("target"), &opts(&["checks", "corp"], &["corp"])).unwrap();
    for target in ["Dockerfile", "deploy.yaml"] {
        let f = failures(&scan, target);
        let corp: Vec<_> = f.iter().filter(|m| m.id == "CORP-001").collect();
        assert_eq!(corp.len(), 1, "{target}");
        assert_eq!(corp[0].severity, Severity::Critical);
        assert!(!f.iter().any(|m| m.id.starts_with("CUSTOM-")), "{target}");
    }
}

#[test]
fn bad_rego_is_an_error_naming_file_and_line() {
    let err = scan_dir(&data("target"), &opts(&["bad"], &["user"])).unwrap_err();
    let Error::CustomCheck(e) = &err else {
        panic!("unexpected error {err}");
    };
    assert!(e.path.ends_with("bad/broken.rego"), "{}", e.path.display());
    assert_eq!(e.line, Some(7), "{err}");
    assert!(err.to_string().contains("broken.rego:7"), "{err}");
    // A missing directory too.
    let err = CustomChecks::load(&[data("nope")], &["user".to_string()]).unwrap_err();
    assert!(err.path.ends_with("nope"));
}

#[test]
fn malformed_metadata_and_runtime_errors_do_not_panic() {
    let dir = std::env::temp_dir().join(format!("atalaia-rego-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("m.rego"),
        "# METADATA\n# custom: [unclosed\npackage user.m\n\ndeny[msg] { msg := \"x\" }\n",
    )
    .unwrap();
    let err = CustomChecks::load(std::slice::from_ref(&dir), &["user".to_string()]).unwrap_err();
    assert!(err.message.contains("METADATA"), "{err}");
    // A rule that fails at evaluation time (type error) on some input yields no finding.
    std::fs::write(
        dir.join("m.rego"),
        "package user.m\n\ndeny[msg] {\n  x := input.Stages[0].Name + 1\n  msg := sprintf(\"%v\", [x])\n}\n",
    )
    .unwrap();
    let checks = CustomChecks::load(std::slice::from_ref(&dir), &["user".to_string()]).unwrap();
    let mut r = atalaia_misconfig::scan_file("Dockerfile", b"FROM a\n", &Options::default());
    let before = r.misconf_summary.failures;
    checks.apply(&mut r, b"FROM a\n", &Options::default());
    assert_eq!(r.misconf_summary.failures, before);
    std::fs::remove_dir_all(&dir).unwrap();
}
