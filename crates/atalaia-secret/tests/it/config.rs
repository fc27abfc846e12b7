//! Custom configs in Trivy's `trivy-secret.yaml` format.

use std::path::PathBuf;

use atalaia_secret::{SecretConfig, SecretError, SecretScanner};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn scanner_with(name: &str) -> SecretScanner {
    let config = SecretConfig::from_path(&data(name)).expect("valid config");
    SecretScanner::builder()
        .config(config)
        .build()
        .expect("scanner")
}

#[test]
fn custom_rule_allow_rules_and_exclude_block() {
    let s = scanner_with("custom.yaml");
    let ids: Vec<&str> = s.rule_ids().collect();
    assert!(
        ids.contains(&"internal-token") && ids.contains(&"github-pat"),
        "built-ins stay enabled"
    );

    let findings = s.scan(
        "app/settings.ini",
        b"[svc]\nitoken = itk_0123456789abcdef\n",
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(
        (f.rule_id.as_str(), f.category.as_str(), f.severity.as_str()),
        ("internal-token", "Internal", "HIGH")
    );
    assert_eq!(f.r#match, "itoken = ********************");

    // The rule's allow rule skips fixtures; the global one skips placeholder matches (it sees
    // the whole match, not the rest of the line).
    assert!(s
        .scan("fixtures/settings.ini", b"itoken = itk_0123456789abcdef\n")
        .is_empty());
    assert!(s
        .scan("a.ini", b"itoken = itk_0000000000000000\n")
        .is_empty());
    assert_eq!(
        s.scan(
            "a.ini",
            b"itoken = itk_0000000000000001 # itk_0000000000000000\n"
        )
        .len(),
        1
    );
    // The exclude block hides secrets inside it only.
    let doc = b"BEGIN-DOC\nitoken = itk_0123456789abcdef\nEND-DOC\nitoken = itk_fedcba9876543210\n";
    let findings = s.scan("a.ini", doc);
    assert_eq!(
        findings.iter().map(|f| f.start_line).collect::<Vec<_>>(),
        [4]
    );
    // A rule without keywords runs on every file, with UNKNOWN severity.
    let findings = s.scan("a.txt", b"something LEAK-123456 here\n");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity.as_str(), "UNKNOWN");
}

#[test]
fn enable_disable_rules_and_allow_rules() {
    let s = scanner_with("select.yaml");
    assert_eq!(s.rule_ids().collect::<Vec<_>>(), ["github-pat"]);
    // `markdown` is disabled: README.md is scanned now.
    let data = b"token ghp_0123456789abcdefghijABCDEFGHIJ012345\nAKIAQYLPMN5HFIQR7XYZ\n";
    let findings = s.scan("README.md", data);
    assert_eq!(
        findings
            .iter()
            .map(|f| f.rule_id.as_str())
            .collect::<Vec<_>>(),
        ["github-pat"]
    );
}

#[test]
fn bad_regex_is_a_clear_error() {
    let err = SecretConfig::from_path(&data("bad-regex.yaml")).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, SecretError::InvalidConfig { .. }), "{err:?}");
    assert!(msg.contains("bad-regex.yaml"), "{msg}");
    assert!(
        msg.contains("rule `broken`") && msg.contains("regex"),
        "{msg}"
    );
}

#[test]
fn unknown_field_is_a_clear_error() {
    let err = SecretConfig::from_path(&data("unknown-field.yaml")).unwrap_err();
    assert!(matches!(err, SecretError::ParseConfig { .. }), "{err:?}");
    let cause = std::error::Error::source(&err).unwrap().to_string();
    assert!(err.to_string().contains("unknown-field.yaml"), "{err}");
    assert!(cause.contains("keyword"), "{cause}");
}
