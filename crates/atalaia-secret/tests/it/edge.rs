//! Malformed and edge inputs: empty, invalid UTF-8, binary, very long lines, CRLF, secrets at
//! the edges of a file.

use crate::scanner;

const PAT: &str = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

#[test]
fn empty_and_tiny_inputs() {
    let s = scanner();
    assert!(s.scan("a", b"").is_empty());
    assert!(s.scan("a", b"\n").is_empty());
    assert!(s.scan("a", b"ghp_").is_empty());
    assert!(s.scan("a", b"-----BEGIN PRIVATE KEY-----").is_empty());
}

#[test]
fn invalid_utf8_around_a_secret() {
    let mut data = b"\xff\xfe garbage \xc3\x28 token=".to_vec();
    data.extend_from_slice(PAT.as_bytes());
    data.extend_from_slice(b" \xe2\x82\n\xf0\x28\x8c\xbc next line\n");
    let findings = scanner().scan("app/conf", &data);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.rule_id, "github-pat");
    assert!(f.r#match.contains('\u{fffd}'), "{}", f.r#match);
    assert!(f.r#match.contains(&"*".repeat(PAT.len())));
    assert!(!f.r#match.contains("ghp_"));
    assert_eq!(f.code.lines.len(), 2);
}

#[test]
fn binary_content_is_skipped() {
    let mut data = b"\x7fELF\x02\x01\x01\x00\x00".to_vec();
    data.extend_from_slice(PAT.as_bytes());
    assert!(scanner().scan("usr/bin/tool", &data).is_empty());
    // A NUL after the sniffed prefix does not make a file binary.
    let mut text = vec![b'a'; 9000];
    text.push(0);
    text.extend_from_slice(b"\nkey ");
    text.extend_from_slice(PAT.as_bytes());
    assert_eq!(scanner().scan("data.txt", &text).len(), 1);
}

#[test]
fn very_long_line_is_cut_in_the_finding() {
    let mut data = vec![b'x'; 3 << 20];
    data.push(b' ');
    data.extend_from_slice(PAT.as_bytes());
    data.push(b' ');
    data.resize(data.len() + (3 << 20), b'y');
    data.extend_from_slice(b"\nsecond line\n");
    let findings = scanner().scan("bundle.min.js", &data);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!((f.start_line, f.end_line), (1, 1));
    assert_eq!(f.offset, (3 << 20) + 1);
    // 30 bytes before, the secret, 20 bytes after.
    assert_eq!(f.r#match.len(), 30 + PAT.len() + 20, "{}", f.r#match);
    assert!(f
        .code
        .lines
        .iter()
        .all(|l| l.content.len() <= 30 + PAT.len() + 20));
    assert_eq!(f.code.lines[0].content, f.r#match);
    assert_eq!(f.code.lines[1].content, "second line");
}

#[test]
fn many_keyword_hits_on_one_long_line() {
    // Minified code: a keyword every few bytes on a single 4 MB line must stay linear.
    let unit = b"ask=1;task=aws;key=SK;";
    let mut data = Vec::new();
    while data.len() < 4 << 20 {
        data.extend_from_slice(unit);
    }
    let t = std::time::Instant::now();
    assert!(scanner().scan("app.min.js", &data).is_empty());
    // Not a timing assertion on speed, only a guard against quadratic blow-up (minutes).
    assert!(t.elapsed().as_secs() < 60);
}

#[test]
fn crlf_and_secret_at_end_of_file() {
    let data = format!("a=1\r\nb=2\r\ntoken={PAT}");
    let findings = scanner().scan("x.env", data.as_bytes());
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.start_line, 3);
    assert_eq!(f.r#match, format!("token={}", "*".repeat(PAT.len())));
    assert_eq!(
        f.code.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(f.code.lines[0].content, "a=1\r");
    assert!(f.code.lines[2].first_cause && f.code.lines[2].last_cause && f.code.lines[2].is_cause);
}

#[test]
fn secret_at_the_start_of_a_later_line() {
    // Rules that want a non-word character before the secret see the newline before the line.
    let data = "first line\nabc8Q~0123456789abcdefghijABCDEFGHIJ0123\n";
    let findings = scanner().scan("x.env", data.as_bytes());
    assert_eq!(
        findings
            .iter()
            .map(|f| f.rule_id.as_str())
            .collect::<Vec<_>>(),
        ["azure-entra-client-secret"]
    );
    assert_eq!(findings[0].start_line, 2);
}

#[test]
fn two_secrets_on_one_line_are_both_redacted_in_each_finding() {
    let data = format!("a={PAT} b=AKIAQYLPMN5HFIQR7XYZ\n");
    let findings = scanner().scan("x.env", data.as_bytes());
    assert_eq!(findings.len(), 2, "{findings:?}");
    for f in &findings {
        assert!(
            !f.r#match.contains("ghp_") && !f.r#match.contains("AKIA"),
            "{}",
            f.r#match
        );
    }
    // Trivy's order: by rule ID.
    assert_eq!(findings[0].rule_id, "aws-access-key-id");
    assert_eq!(findings[1].rule_id, "github-pat");
}

#[test]
fn long_private_key_spans_its_lines() {
    let body: String = (0..200).map(|i| format!("{:064}\n", i)).collect();
    let data = format!(
        "header\n-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\ntrailer\n"
    );
    let findings = scanner().scan("id_rsa", data.as_bytes());
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.rule_id, "private-key");
    assert_eq!((f.start_line, f.end_line), (3, 202));
    assert_eq!(f.code.lines.first().unwrap().number, 1);
    assert_eq!(f.code.lines.last().unwrap().number, 203);
    assert!(f
        .code
        .lines
        .iter()
        .filter(|l| l.is_cause)
        .all(|l| l.content.chars().all(|c| c == '*')));
    assert_eq!(f.code.lines.iter().filter(|l| l.first_cause).count(), 1);
    assert_eq!(f.code.lines.iter().filter(|l| l.last_cause).count(), 1);
}

#[test]
fn allowed_paths_and_example_values() {
    let s = scanner();
    let data = format!("token={PAT}\n");
    for path in [
        "docs/README.md",
        "src/test/creds",
        "pkg/a_test.go",
        "vendor/x",
        "a/vendor/x",
        "examples/x.env",
    ] {
        let n = s.scan(path, data.as_bytes()).len();
        if path == "vendor/x" {
            assert_eq!(
                n, 1,
                "{path}: `/vendor/` needs a directory above it, as in Trivy"
            );
        } else {
            assert_eq!(n, 0, "{path}");
        }
    }
    assert!(s.allows_path("README.md"));
    // The documented AWS example key says EXAMPLE: allowed by the `examples` allow rule.
    assert!(s
        .scan("x.env", b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
        .is_empty());
}

#[test]
fn findings_serialise_as_trivy_detected_secret() {
    let findings = scanner().scan("x.env", format!("token={PAT}\n").as_bytes());
    let json = serde_json::to_value(&findings[0]).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "RuleID",
        "Category",
        "Severity",
        "Title",
        "StartLine",
        "EndLine",
        "Code",
        "Match",
        "Offset",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(json["Severity"], "CRITICAL");
    let line = &json["Code"]["Lines"][0];
    for k in [
        "Number",
        "Content",
        "IsCause",
        "Annotation",
        "Truncated",
        "Highlighted",
        "FirstCause",
        "LastCause",
    ] {
        assert!(line.get(k).is_some(), "{k} missing from {line}");
    }
    let back: atalaia_secret::SecretFinding = serde_json::from_value(json).unwrap();
    assert_eq!(back, findings[0]);
}
