//! Secret scanning end to end (issue 8): planted secrets of the tricky image with their layers,
//! Trivy's findings on the secrets corpus, redaction in every format, exit codes, config errors.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::{atalaia, stderr};

fn tricky_image() -> String {
    format!(
        "{}:tricky-layers",
        atalaia_test::corpus_dir().join("oci").display()
    )
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON: {e}"))
}

/// `(target, rule, start line, layer digest, deleted)` of every secret of a report.
fn secrets(report: &Value) -> Vec<(String, String, u64, String, bool)> {
    let mut v = Vec::new();
    for r in report["Results"].as_array().into_iter().flatten() {
        if r["Class"] != "secret" {
            continue;
        }
        for s in r["Secrets"]
            .as_array()
            .expect("a secret result has Secrets")
        {
            v.push((
                r["Target"].as_str().unwrap().to_owned(),
                s["RuleID"].as_str().unwrap().to_owned(),
                s["StartLine"].as_u64().unwrap(),
                s["Layer"]["Digest"].as_str().unwrap_or("").to_owned(),
                s["Deleted"].as_bool().unwrap_or(false),
            ));
        }
    }
    v
}

fn planted() -> Vec<Value> {
    let path = atalaia_test::corpus_dir().join("expected/planted-secrets.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
    let all: Vec<Value> = serde_json::from_str(&text).unwrap();
    all.into_iter()
        .filter(|p| p["image"] == "tricky-layers")
        .collect()
}

#[test]
fn tricky_image_planted_secrets_with_layers_and_deletions() {
    let out = atalaia(&["image", "--input", &tricky_image(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    let layers: Vec<String> = report["Metadata"]["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["Digest"].as_str().unwrap().to_owned())
        .collect();
    let found = secrets(&report);
    let planted = planted();
    assert_eq!(planted.len(), 6);
    for p in &planted {
        let path = p["path"].as_str().unwrap();
        let kind = p["kind"].as_str().unwrap();
        let rule = kind.split(' ').next().unwrap();
        let layer = &layers[p["layer_index"].as_u64().unwrap() as usize - 1];
        let deleted = !p["visible_in_final_fs"].as_bool().unwrap();
        assert!(
            found
                .iter()
                .any(|f| f.0 == path && f.1 == rule && &f.3 == layer && f.4 == deleted),
            "missing {path} {rule} layer {layer} deleted={deleted} in {found:#?}"
        );
    }
    // Nothing in the final filesystem is reported as deleted, nothing deleted as present.
    assert!(found.iter().any(|f| f.0 == "/root/.git-credentials" && f.4));
    assert!(found.iter().any(|f| f.0 == "/app/.env" && !f.4));
}

#[test]
fn secrets_corpus_finds_everything_trivy_finds() {
    let iac = atalaia_test::corpus_iac_dir();
    let reference = iac.join("secrets.trivy.json");
    let text = std::fs::read_to_string(&reference)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", reference.display()));
    let expected = secrets(&serde_json::from_str(&text).unwrap());
    assert!(
        expected.len() > 10,
        "reference has {} secrets",
        expected.len()
    );
    let out = atalaia(&["fs", iac.join("secrets").to_str().unwrap(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = secrets(&json(&out));
    let key = |v: &[(String, String, u64, String, bool)]| -> BTreeSet<(String, String, u64)> {
        v.iter().map(|s| (s.0.clone(), s.1.clone(), s.2)).collect()
    };
    let (want, have) = (key(&expected), key(&got));
    let missing: Vec<_> = want.difference(&have).collect();
    assert!(missing.is_empty(), "missing: {missing:#?}");
    let negative = |v: &BTreeSet<(String, String, u64)>| {
        v.iter().filter(|s| s.0.starts_with("negative/")).count()
    };
    assert!(negative(&have) <= negative(&want));
}

/// Secret bytes planted in the tricky inputs: the matched tokens, and every line of the keys'
/// bodies.
fn raw_secrets() -> Vec<String> {
    let mut raw: Vec<String> = planted()
        .iter()
        .map(|p| p["match"].as_str().unwrap().to_owned())
        .filter(|m| !m.starts_with("-----"))
        .collect();
    let inputs = atalaia_test::corpus_dir().join("inputs/tricky");
    for name in ["server.key", "deploy-key.pem"] {
        let path = inputs.join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
        raw.extend(
            text.lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 16)
                .map(str::to_owned),
        );
    }
    assert!(raw.len() > 10);
    raw
}

#[test]
fn raw_secrets_never_leave_the_process() {
    let raw = raw_secrets();
    let image = tricky_image();
    let inputs = atalaia_test::corpus_dir().join("inputs/tricky");
    let inputs = inputs.to_str().unwrap();
    for format in ["table", "json", "cyclonedx", "spdx-json"] {
        for args in [
            vec![
                "image",
                "--input",
                &image,
                "--scanners",
                "secret",
                "-f",
                format,
            ],
            vec![
                "fs",
                inputs,
                "--scanners",
                "secret",
                "-f",
                format,
                "--debug",
            ],
        ] {
            let out = atalaia(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
            for secret in &raw {
                assert!(!all.contains(secret.as_str()), "{args:?} leaks `{secret}`");
            }
            if format == "json" {
                assert!(!secrets(&json(&out)).is_empty(), "{args:?} found nothing");
            }
        }
    }
}

#[test]
fn exit_code_applies_only_when_secrets_remain() {
    let out = atalaia(&[
        "image",
        "--input",
        &tricky_image(),
        "--exit-code",
        "1",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(
        clean.path().join("README.txt"),
        "nothing to see here, move along\n",
    )
    .unwrap();
    let dir = clean.path().to_str().unwrap();
    let out = atalaia(&["fs", dir, "--exit-code", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Without `--exit-code`, findings still exit 0.
    let out = atalaia(&["image", "--input", &tricky_image()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Secret scanning off: nothing can be found.
    let out = atalaia(&[
        "image",
        "--input",
        &tricky_image(),
        "--exit-code",
        "1",
        "-f",
        "cyclonedx",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    crate::command(args)
        .current_dir(dir)
        .output()
        .expect("run atalaia")
}

#[test]
fn bad_secret_config_is_exit_two_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = atalaia(&[
        "fs",
        tmp.path().to_str().unwrap(),
        "--secret-config",
        "/nonexistent/s.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/s.yaml"),
        "{}",
        stderr(&out)
    );
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, "rules: [ {id: x, regex: '(' } ]\n").unwrap();
    let out = atalaia(&[
        "fs",
        tmp.path().to_str().unwrap(),
        "--secret-config",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.yaml"), "{}", stderr(&out));
    // `trivy-secret.yaml` in the working directory is read by default, like Trivy.
    std::fs::write(
        tmp.path().join("trivy-secret.yaml"),
        "rules: [ {id: x, regex: '(' } ]\n",
    )
    .unwrap();
    let out = run_in(tmp.path(), &["fs", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("trivy-secret.yaml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn custom_rules_from_the_default_config_are_used() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("trivy-secret.yaml"),
        "rules:\n  - id: corp-token\n    category: Corp\n    title: Corp token\n    severity: HIGH\n    keywords: [corptok_]\n    regex: 'corptok_[a-z0-9]{16}'\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("app.conf"),
        "token = corptok_0123456789abcdef\n",
    )
    .unwrap();
    let out = run_in(tmp.path(), &["fs", ".", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let found = secrets(&json(&out));
    assert!(
        found
            .iter()
            .any(|s| s.0 == "app.conf" && s.1 == "corp-token"),
        "{found:?}"
    );
}

#[test]
fn unavailable_scanners_warn_only_when_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_str().unwrap();
    let out = atalaia(&["fs", dir, "--scanners", "vuln,secret,misconfig,license"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("not available yet").count(), 1, "{err}");
    // `misconfig` runs on directories now; only `license` is still missing.
    assert!(
        err.contains("license") && !err.contains("misconfig"),
        "{err}"
    );
    assert!(!err.contains("vuln"), "{err}");
    let out = atalaia(&["fs", dir]);
    assert!(!stderr(&out).contains("not available"), "{}", stderr(&out));
    let out = atalaia(&["fs", dir, "--scanners", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn table_shows_secrets_with_trivy_totals() {
    let out = atalaia(&["image", "--input", &tricky_image()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/root/.aws/credentials (secrets)"), "{text}");
    assert!(
        text.contains("Total: 2 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 2)"),
        "{text}"
    );
    assert!(text.contains("AWS Secret Access Key"), "{text}");
}
