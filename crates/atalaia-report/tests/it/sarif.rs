//! The SARIF writer: a snapshot of the findings fixture, the fields code-scanning services read,
//! and validation against the SARIF 2.1.0 JSON schema.

use std::path::PathBuf;
use std::process::Command;

use atalaia_report::writer::sarif;
use serde_json::Value;

use crate::findings;

fn render() -> String {
    let mut out = Vec::new();
    sarif::write(&findings::report(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_writer() {
    let text = render();
    assert!(text.ends_with("}\n"));
    assert_eq!(text, render(), "identical input gives identical bytes");
    insta::assert_snapshot!(text);
}

#[test]
fn sarif_fields_follow_trivy() {
    let v: Value = serde_json::from_str(&render()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "atalaia");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let rules = driver["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    // 4 OS + 2 npm + 2 Python vulnerabilities + 2 secrets, each rule once.
    assert_eq!(results.len(), 10);
    assert_eq!(rules.len(), 10);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    let result = |id: &str| results.iter().find(|r| r["ruleId"] == id).unwrap();
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();

    // OS: located at the image repository, level from severity, CVSS v3 as security-severity.
    let musl = result("CVE-2025-26519");
    assert_eq!(musl["level"], "error");
    let loc = &musl["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        "library/alpine"
    );
    assert_eq!(loc["message"]["text"], "library/alpine: musl@1.2.5-r0");
    assert_eq!(rule("CVE-2025-26519")["name"], "OsPackageVulnerability");
    assert_eq!(
        rule("CVE-2025-26519")["properties"]["security-severity"],
        "8.1"
    );
    assert_eq!(
        rule("CVE-2025-26519")["properties"]["cvssv3_vector"],
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"
    );
    // Without CVSS: the stand-in score of the severity; UNKNOWN is a note.
    assert_eq!(
        rule("CVE-2024-9681")["properties"]["security-severity"],
        "2.0"
    );
    assert_eq!(result("CVE-2025-0001")["level"], "note");
    assert_eq!(result("CVE-2023-42363")["level"], "warning");
    assert_eq!(
        rule("CVE-2023-42363")["properties"]["tags"],
        serde_json::json!(["vulnerability", "security", "MEDIUM"])
    );

    // Lockfile packages carry their lines; installed ones their own file.
    let express = result("CVE-2024-29041");
    let region = &express["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["endLine"].as_u64()),
        (Some(10), Some(20))
    );
    assert_eq!(
        express["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "srv/web/package-lock.json"
    );
    assert_eq!(
        rule("CVE-2024-29041")["name"],
        "LanguageSpecificPackageVulnerability"
    );
    assert_eq!(
        rule("CVE-2024-29041")["helpUri"],
        "https://github.com/advisories/GHSA-rv95-896h-c2vc"
    );
    assert_eq!(
        result("CVE-2020-14343")["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "opt/venv/lib/python3.12/site-packages/PyYAML-5.3.1.dist-info/METADATA"
    );
    assert_eq!(
        result("CVE-2020-14343")["message"]["text"],
        "Package: PyYAML\nInstalled Version: 5.3.1\nVulnerability CVE-2020-14343\nSeverity: CRITICAL\n\
         Fixed Version: 5.4\nLink: [CVE-2020-14343](https://avd.aquasec.com/nvd/cve-2020-14343)"
    );

    // Secrets: their line, the redacted match.
    let secret = result("aws-secret-access-key");
    assert_eq!(
        secret["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert_eq!(
        secret["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "/app/config/.env"
    );
    assert!(secret["message"]["text"]
        .as_str()
        .unwrap()
        .ends_with("Match: AWS_SECRET=\"****\" <&> 'x'"));
    assert_eq!(rule("aws-secret-access-key")["name"], "Secret");

    // Image properties.
    assert_eq!(run["properties"]["imageName"], "alpine:3.20");
    assert_eq!(run["properties"]["repoTags"][0], "alpine:3.20");
}

fn schema_path() -> PathBuf {
    std::env::var_os("ATALAIA_SARIF_SCHEMA").map_or_else(
        || PathBuf::from("/usr/local/share/atalaia-ci/sarif-schema-2.1.0.json"),
        PathBuf::from,
    )
}

const VALIDATE: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError as e:
    print(f"jsonschema missing: {e}", file=sys.stderr)
    sys.exit(3)
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
doc = json.load(sys.stdin)
cls = jsonschema.validators.validator_for(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print(f"{list(e.absolute_path)}: {e.message[:300]}")
sys.exit(1 if errors else 0)
"#;

/// Validates a document against a JSON schema with python `jsonschema`. Fails when the tools
/// are missing and `CI` is set; returns false after a note otherwise.
#[allow(clippy::print_stderr)] // the skip note is for the person running the tests
pub(crate) fn validate_json(doc: &str, schema: &std::path::Path, what: &str) -> bool {
    use std::io::Write as _;
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    let missing = |why: String| {
        assert!(
            !in_ci,
            "{what} validation impossible in CI (run .ci/deps/formats.sh): {why}"
        );
        eprintln!("note: skipping {what} validation (run .ci/deps/formats.sh): {why}");
        false
    };
    if !schema.is_file() {
        return missing(format!("no schema at `{}`", schema.display()));
    }
    let child = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return missing(format!("cannot run python3: {e}")),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(3) {
        return missing(stderr.into_owned());
    }
    assert!(
        output.status.success(),
        "{what} is invalid against `{}`:\n{stdout}\n{stderr}",
        schema.display()
    );
    true
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema = schema_path();
    if validate_json(&render(), &schema, "SARIF") {
        // The validator really rejects: a result without its required `message`.
        let mut v: Value = serde_json::from_str(&render()).unwrap();
        v["runs"][0]["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("message");
        let bad = serde_json::to_string(&v).unwrap();
        let caught = std::panic::catch_unwind(|| validate_json(&bad, &schema, "SARIF"));
        assert!(caught.is_err(), "the schema check accepted an invalid log");
    }
}

#[test]
fn sarif_of_an_empty_filesystem_report() {
    let mut report = findings::report();
    report.results.clear();
    report.artifact_type = atalaia_types::ArtifactKind::Filesystem;
    report.artifact_name = "/srv/project".into();
    let mut out = Vec::new();
    sarif::write(&report, &mut out).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    assert_eq!(run["tool"]["driver"]["rules"], serde_json::json!([]));
    assert_eq!(
        run["originalUriBaseIds"]["ROOTPATH"]["uri"],
        "file:///srv/project/"
    );
    assert!(run.get("properties").is_none());
    validate_json(&String::from_utf8(out).unwrap(), &schema_path(), "SARIF");
}
