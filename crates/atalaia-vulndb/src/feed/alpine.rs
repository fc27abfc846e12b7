//! Alpine, Wolfi and Chainguard secdb (YAML or JSON): per source package, a map from the apk
//! version that fixed something to the IDs it fixed.
//!
//! A version key of `"0"` means "these IDs never affected this package". ID strings are not
//! always a bare CVE (`CVE-2017-8904 XSA-214`, `XSA-207`, free text after the ID): the CVE
//! tokens are kept; an entry without one keeps its first ID-looking token.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{nullable, Affected, FeedRecord, FileOutput, RecordKind};
use crate::model::Status;
use crate::VulnDbError;

const FORMAT: &str = "secdb";

#[derive(Debug, Deserialize)]
struct Secdb {
    #[serde(default, deserialize_with = "nullable")]
    distroversion: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    urlprefix: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    apkurl: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    packages: Packages,
}

/// `packages` is a list; an empty repository is written `packages: {}` in the JSON form. Not an
/// untagged enum: buffering would turn YAML keys like `0` into integers before `String` sees them.
#[derive(Debug, Default)]
struct Packages(Vec<Entry>);

impl<'de> Deserialize<'de> for Packages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Packages;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of packages (or an empty mapping)")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Packages, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = seq.next_element()? {
                    v.push(e);
                }
                Ok(Packages(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Packages, A::Error> {
                match map.next_key::<serde::de::IgnoredAny>()? {
                    None => Ok(Packages(Vec::new())),
                    Some(_) => Err(serde::de::Error::custom(
                        "`packages` is a non-empty mapping, expected a list",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
struct Entry {
    pkg: Pkg,
}

#[derive(Debug, Deserialize)]
struct Pkg {
    name: String,
    #[serde(default, deserialize_with = "nullable")]
    secfixes: BTreeMap<String, Option<Vec<Option<String>>>>,
}

/// Parses a secdb document.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    let db: Secdb = if first == Some(b'{') {
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?
    } else {
        serde_yaml_ng::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?
    };
    let namespace = namespace(&db).ok_or_else(|| {
        VulnDbError::feed(
            path,
            FORMAT,
            "no `distroversion`, and `urlprefix` names no known distribution",
        )
    })?;
    let mut out = FileOutput {
        label: Some(format!(
            "secdb {}",
            namespace.split(' ').next().unwrap_or("alpine")
        )),
        ..FileOutput::default()
    };
    for entry in db.packages.0 {
        let name = entry.pkg.name;
        for (version, ids) in entry.pkg.secfixes {
            out.record_count += 1;
            let ids: Vec<String> = ids.unwrap_or_default().into_iter().flatten().collect();
            if ids.is_empty() {
                out.warnings.push(format!(
                    "`{}`: {name} {version} lists no ID",
                    path.display()
                ));
            }
            for raw in ids {
                let Some(id) = vulnerability_ids(&raw).into_iter().next() else {
                    out.warnings.push(format!(
                        "`{}`: {name} {version}: no ID in `{raw}`",
                        path.display()
                    ));
                    continue;
                };
                let mut rec = FeedRecord::new(id, RecordKind::Advisory);
                // Further CVE tokens on the same line are separate vulnerabilities.
                let a = if version == "0" {
                    Affected::new(namespace.clone(), name.clone(), Status::NotAffected)
                } else {
                    Affected::new(namespace.clone(), name.clone(), Status::Fixed)
                        .fixed_in("apk", &version)
                };
                rec.affected.push(a);
                out.records.push(rec);
                for extra in vulnerability_ids(&raw).into_iter().skip(1) {
                    let mut rec = out
                        .records
                        .last()
                        .cloned()
                        .unwrap_or_else(|| FeedRecord::new("", RecordKind::Advisory));
                    rec.id = extra;
                    out.records.push(rec);
                }
            }
        }
    }
    Ok(out)
}

fn namespace(db: &Secdb) -> Option<String> {
    if let Some(v) = db
        .distroversion
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        return Some(format!("alpine {}", v.strip_prefix('v').unwrap_or(v)));
    }
    let url = db.urlprefix.as_deref().or(db.apkurl.as_deref())?;
    if url.contains("wolfi") {
        Some("wolfi".to_owned())
    } else if url.contains("cgr.dev") || url.contains("chainguard") {
        Some("chainguard".to_owned())
    } else {
        None
    }
}

/// The vulnerability IDs in a secfix string: every `CVE-` token, else the first token that looks
/// like an ID (`XSA-207`, `TALOS-2017-0001`).
fn vulnerability_ids(raw: &str) -> Vec<String> {
    // Typos seen in the data: `CVE_2019-2426`, `CVE 2018-16859`.
    let raw = raw.replace("CVE_", "CVE-").replace("CVE 2", "CVE-2");
    let tokens: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .map(|t| t.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect();
    let cves: Vec<String> = tokens
        .iter()
        .filter(|t| is_cve(t))
        .map(|t| (*t).to_owned())
        .collect();
    if !cves.is_empty() {
        return cves;
    }
    tokens
        .iter()
        .find(|t| {
            t.split_once('-').is_some_and(|(a, b)| {
                !a.is_empty()
                    && a.bytes().all(|c| c.is_ascii_alphabetic())
                    && b.bytes().any(|c| c.is_ascii_digit())
            })
        })
        .map(|t| vec![(*t).to_owned()])
        .unwrap_or_default()
}

fn is_cve(t: &str) -> bool {
    t.strip_prefix("CVE-")
        .and_then(|r| r.split_once('-'))
        .is_some_and(|(y, n)| {
            y.len() == 4
                && y.bytes().all(|c| c.is_ascii_digit())
                && !n.is_empty()
                && n.bytes().all(|c| c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_tokenised() {
        assert_eq!(
            vulnerability_ids("CVE-2017-8904 XSA-214"),
            vec!["CVE-2017-8904"]
        );
        assert_eq!(vulnerability_ids("XSA-207"), vec!["XSA-207"]);
        assert_eq!(vulnerability_ids("CVE_2019-2426"), vec!["CVE-2019-2426"]);
        assert_eq!(vulnerability_ids("CVE 2018-16859"), vec!["CVE-2018-16859"]);
        assert_eq!(
            vulnerability_ids("wnpa-sec-2017-18"),
            vec!["wnpa-sec-2017-18"]
        );
        assert_eq!(
            vulnerability_ids("CVE-2018-1 CVE-2018-2 (partial fix)"),
            vec!["CVE-2018-1", "CVE-2018-2"]
        );
        assert!(vulnerability_ids("see upstream").is_empty());
    }

    #[test]
    fn zero_means_not_affected() {
        let yaml = b"distroversion: v3.8\nreponame: main\npackages:\n  - pkg:\n      name: a\n      secfixes:\n        0:\n          - CVE-2020-1\n        1.2-r0:\n          - CVE-2020-2\n";
        let out = parse(Path::new("m.yaml"), yaml).unwrap();
        assert_eq!(out.record_count, 2);
        let statuses: Vec<_> = out
            .records
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.affected[0].status,
                    r.affected[0].namespace.as_str(),
                )
            })
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("CVE-2020-1", Status::NotAffected, "alpine 3.8"),
                ("CVE-2020-2", Status::Fixed, "alpine 3.8")
            ]
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(parse(Path::new("m.yaml"), b"packages: 3\n").is_err());
        assert!(parse(Path::new("m.json"), b"{\"packages\": [{\"pkg\": {}}]}").is_err());
        let err = parse(Path::new("m.json"), b"{\"packages\": []}").unwrap_err();
        assert!(err.to_string().contains("m.json"));
    }
}
