//! RubySec (ruby-advisory-db) YAML: `gems/<gem>/<ID>.yml` and `rubies/<engine>/<ID>.yml`.
//!
//! A version is affected when it matches none of `patched_versions` and none of
//! `unaffected_versions` (RubyGems requirement strings); stored as [`Requirements`] with only
//! `unaffected`. `cve` and `ghsa` are written without their prefixes. Scores are numbers, not
//! vectors. Interpreter advisories go to the `ruby-engine` namespace, package = the engine.

use std::path::Path;

use serde::Deserialize;

use super::{nullable, stem, Affected, FeedRecord, FileOutput, RecordKind};
use crate::model::{CvssVersion, Requirements, SeverityEntry, Status};
use crate::VulnDbError;

const FORMAT: &str = "RubySec YAML";

#[derive(Debug, Deserialize)]
struct Advisory {
    #[serde(default, deserialize_with = "nullable")]
    gem: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    engine: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    cve: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    ghsa: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    osvdb: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "nullable")]
    url: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    date: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    cvss_v2: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    cvss_v3: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    cvss_v4: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    patched_versions: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    unaffected_versions: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    related: Option<Related>,
}

#[derive(Debug, Deserialize)]
struct Related {
    #[serde(default, deserialize_with = "nullable")]
    url: Vec<String>,
}

/// Parses one RubySec advisory.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let adv: Advisory =
        serde_yaml_ng::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?;
    let (namespace, package) = match (&adv.gem, &adv.engine) {
        (Some(g), _) => ("RubyGems", g.clone()),
        (None, Some(e)) => ("ruby-engine", e.clone()),
        (None, None) => {
            return Err(VulnDbError::feed(
                path,
                FORMAT,
                "neither `gem` nor `engine` is set",
            ))
        }
    };
    let cve = adv
        .cve
        .as_deref()
        .map(|c| format!("CVE-{}", c.trim_start_matches("CVE-")));
    let ghsa = adv
        .ghsa
        .as_deref()
        .map(|g| format!("GHSA-{}", g.trim_start_matches("GHSA-")));
    let osvdb = adv.osvdb.as_ref().map(|o| {
        format!(
            "OSVDB-{}",
            o.as_str().map_or_else(|| o.to_string(), str::to_owned)
        )
    });
    let file_id = stem(path);
    let id = cve
        .clone()
        .or_else(|| ghsa.clone())
        .or_else(|| osvdb.clone())
        .unwrap_or_else(|| file_id.clone());
    let mut rec = FeedRecord::new(id.clone(), RecordKind::Advisory);
    rec.aliases = [cve, ghsa, osvdb]
        .into_iter()
        .flatten()
        .filter(|a| *a != id)
        .collect();
    let d = &mut rec.details;
    d.title = adv
        .title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    d.description = adv.description;
    d.published = adv.date;
    d.references = adv
        .url
        .into_iter()
        .chain(adv.related.map(|r| r.url).unwrap_or_default())
        .collect();
    for (version, score) in [
        (CvssVersion::V2, adv.cvss_v2),
        (CvssVersion::V3, adv.cvss_v3),
        (CvssVersion::V4, adv.cvss_v4),
    ] {
        if let Some(score) = score {
            d.severities.push(SeverityEntry {
                source: "rubysec".to_owned(),
                label: None,
                cvss_version: Some(version),
                vector: None,
                score: Some(score),
            });
        }
    }
    let status = if adv.patched_versions.is_empty() {
        Status::Affected
    } else {
        Status::Fixed
    };
    let mut a = Affected::new(namespace, package, status);
    a.fixed_versions = adv
        .patched_versions
        .iter()
        .filter_map(|r| lower_bound(r))
        .collect();
    a.requirements = Some(Requirements {
        scheme: "rubygems".to_owned(),
        vulnerable: Vec::new(),
        unaffected: adv
            .patched_versions
            .into_iter()
            .chain(adv.unaffected_versions)
            .collect(),
    });
    rec.affected.push(a);
    let mut out = FileOutput {
        record_count: 1,
        label: Some("rubysec".to_owned()),
        ..FileOutput::default()
    };
    out.bump_revision(rec.details.published.as_deref());
    out.records.push(rec);
    Ok(out)
}

/// The version a patched requirement starts at: `>= 1.4.1` → `1.4.1`, `~> 7.0.8, >= 7.0.8.5` →
/// `7.0.8.5` (the tightest `>=`), `~> 2.3.1` → `2.3.1`.
fn lower_bound(requirement: &str) -> Option<String> {
    let mut best: Option<&str> = None;
    for part in requirement.split(',') {
        let part = part.trim();
        let v = part
            .strip_prefix(">=")
            .or_else(|| part.strip_prefix("~>"))
            .map(str::trim);
        if let Some(v) = v {
            if part.starts_with(">=") || best.is_none() {
                best = Some(v);
            }
        }
    }
    best.map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bounds() {
        assert_eq!(lower_bound(">= 1.4.1").as_deref(), Some("1.4.1"));
        assert_eq!(
            lower_bound("~> 7.0.8, >= 7.0.8.5").as_deref(),
            Some("7.0.8.5")
        );
        assert_eq!(lower_bound("~> 2.3.1").as_deref(), Some("2.3.1"));
        assert_eq!(lower_bound("< 1.0"), None);
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(parse(Path::new("x.yml"), b"gem: [a\n").is_err());
        let err = parse(Path::new("gems/x/x.yml"), b"title: t\n").unwrap_err();
        assert!(err.to_string().contains("gems/x/x.yml"), "{err}");
        assert!(parse(Path::new("x.yml"), b"gem: a\ncvss_v3: high\n").is_err());
    }
}
