//! Installed distributions: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, `*.egg-info` (a file)
//! and `EGG-INFO/PKG-INFO`, all in the core-metadata format (RFC 822 style headers).

use atalaia_types::Application;

use super::pypi_package;
use crate::util::{rooted, text};
use crate::LangError;

const KIND: &str = "python-pkg";

/// Parses one metadata file into an application holding its one package.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    // Core metadata is UTF-8; some old PKG-INFO files are Latin-1: decode lossily, the fields
    // that matter (Name, Version) are ASCII.
    let owned;
    let s = match text(path, KIND, bytes) {
        Ok(s) => s,
        Err(_) => {
            owned = String::from_utf8_lossy(bytes).into_owned();
            &owned
        }
    };
    let headers = headers(s);
    let get = |key: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
    };
    let name = get("Name")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| LangError::new(path, KIND, "no `Name` header"))?;
    let version = get("Version")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| LangError::new(path, KIND, "no `Version` header"))?;
    let mut pkg = pypi_package(name, version);
    pkg.file_path = rooted(path);
    pkg.licenses = licenses(&headers);
    Ok(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages: vec![pkg],
    })
}

/// The header fields before the first blank line; continuation lines are dropped (only
/// free-text fields such as `License` and `Description` use them).
fn headers(s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for line in s.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim(), v));
        }
    }
    out
}

/// `License-Expression`, else a short `License` field, else the OSI license classifiers.
fn licenses(headers: &[(&str, &str)]) -> Vec<String> {
    let field = |key: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    if let Some(expr) = field("License-Expression") {
        return vec![expr.to_owned()];
    }
    if let Some(lic) =
        field("License").filter(|l| !l.eq_ignore_ascii_case("UNKNOWN") && l.len() <= 100)
    {
        return vec![lic.to_owned()];
    }
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Classifier"))
        .filter_map(|(_, v)| v.trim().strip_prefix("License :: "))
        .map(|v| v.rsplit(" :: ").next().unwrap_or(v).to_owned())
        .filter(|v| v != "OSI Approved")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dist_info() {
        let md = b"Metadata-Version: 2.1\nName: Django\nVersion: 3.2\nLicense: BSD-3-Clause\n\
Classifier: License :: OSI Approved :: BSD License\n\nDescription body\nName: nope\n";
        let app = parse(
            "usr/lib/python3/site-packages/Django-3.2.dist-info/METADATA",
            md,
        )
        .unwrap();
        let p = &app.packages[0];
        assert_eq!((p.name.as_str(), p.version.as_str()), ("Django", "3.2"));
        assert_eq!(p.purl.to_string(), "pkg:pypi/django@3.2");
        assert_eq!(
            p.file_path,
            "/usr/lib/python3/site-packages/Django-3.2.dist-info/METADATA"
        );
        assert_eq!(p.licenses, vec!["BSD-3-Clause"]);
    }

    #[test]
    fn classifier_licenses_and_expression() {
        let md = b"Name: a_b\nVersion: 1\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\n";
        let p = &parse("x.egg-info/PKG-INFO", md).unwrap().packages[0];
        assert_eq!(p.licenses, vec!["MIT License"]);
        assert_eq!(p.purl.to_string(), "pkg:pypi/a-b@1");
        let md =
            b"Name: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: long text\n";
        assert_eq!(
            parse("a.egg-info", md).unwrap().packages[0].licenses,
            vec!["MIT OR Apache-2.0"]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("x.dist-info/METADATA", b"garbage without headers").is_err());
        assert!(parse("x.dist-info/METADATA", b"Name: a\n").is_err());
        assert!(parse("x.dist-info/METADATA", b"\xff\xfe\x00Name").is_err());
    }
}
