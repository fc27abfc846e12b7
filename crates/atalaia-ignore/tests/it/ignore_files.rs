//! Ignore files read from disk.

use atalaia_ignore::{IgnoreError, IgnoreFile, IgnoreFormat};
use time::macros::date;

use crate::data;

#[test]
fn crlf_plain_file() {
    let f = IgnoreFile::load(&data("crlf.trivyignore")).unwrap();
    assert_eq!(f.format, IgnoreFormat::Plain);
    let ids: Vec<_> = f
        .vulnerabilities
        .iter()
        .map(|r| r.id.clone().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "CVE-2020-8203",
            "DSA-5218-1",
            "CVE-2023-4911",
            "aws-access-key-id",
            "AVD-DS-0002",
            "GPL-3.0-only",
            "MIT"
        ]
    );
    assert_eq!(
        f.vulnerabilities[1].expired_at.unwrap().date,
        date!(2030 - 12 - 31)
    );
    assert_eq!(f.vulnerabilities[1].line, 7);
    // The bad date dropped its line, with a warning naming file and line.
    assert_eq!(f.warnings.len(), 1);
    assert_eq!(f.warnings[0].line, 13);
    assert!(f.warnings[0].source.ends_with("crlf.trivyignore"));
    assert!(f.source.ends_with("tests/data/crlf.trivyignore"));
}

#[test]
fn yaml_file() {
    let f = IgnoreFile::load(&data("trivyignore.yaml")).unwrap();
    assert_eq!(f.format, IgnoreFormat::Yaml);
    assert_eq!(f.vulnerabilities.len(), 4);
    assert_eq!(f.vulnerabilities[0].line, 4);
    assert_eq!(f.vulnerabilities[3].id, None);
    assert_eq!(f.secrets[0].statement, "test credentials");
    assert_eq!(f.licenses.len(), 2);
}

#[test]
fn unknown_key_names_file_and_line() {
    let e = IgnoreFile::load(&data("unknown-key.yaml")).unwrap_err();
    match &e {
        IgnoreError::Yaml {
            source_name,
            line,
            err,
        } => {
            assert!(source_name.ends_with("unknown-key.yaml"));
            assert_eq!(*line, Some(3));
            assert!(err.to_string().contains("expires"), "{err}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("line 3"));
}

#[test]
fn missing_files() {
    let missing = data("no-such.trivyignore");
    assert!(IgnoreFile::load_if_exists(&missing).unwrap().is_none());
    let e = IgnoreFile::load(&missing).unwrap_err();
    assert!(matches!(e, IgnoreError::Read { .. }));
    assert!(e.to_string().contains("no-such.trivyignore"));
}

#[test]
fn yaml_syntax_parsed_as_plain_is_harmless() {
    // Named without a YAML extension, a YAML file is read as plain, as Trivy does.
    let bytes = std::fs::read(data("trivyignore.yaml")).unwrap();
    let f = IgnoreFile::parse("ignore", IgnoreFormat::Plain, &bytes).unwrap();
    assert!(f
        .vulnerabilities
        .iter()
        .all(|r| r.id.as_deref() != Some("CVE-2023-4911")));
}
