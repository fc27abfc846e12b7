//! The Node.js security-wg feed: `vuln/npm/<id>.json` (npm packages, node-semver ranges),
//! `vuln/core/<n>.json` (the Node.js runtime) and `vuln/deps/<n>.json` (statements that a CVE in
//! a bundled dependency does not affect Node.js).
//!
//! IDs follow Trivy's: `NSWG-ECO-<id>` for npm advisories, `NSWG-CORE-<n>` for core ones;
//! `NSWG-DEPS-<n>` for the non-impact statements. The runtime is namespace `nodejs`, package
//! `node`.

use std::path::Path;

use serde::Deserialize;

use super::{
    cvss_entry, label_entry, nullable, stem, Affected, FeedRecord, FileOutput, OneOrMany,
    RecordKind,
};
use crate::model::{Requirements, Status};
use crate::VulnDbError;

#[derive(Debug, Deserialize)]
struct NpmAdvisory {
    id: serde_json::Value,
    #[serde(default, deserialize_with = "nullable")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    updated_at: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    publish_date: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    title: Option<String>,
    module_name: String,
    #[serde(default, deserialize_with = "nullable")]
    cves: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    vulnerable_versions: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    patched_versions: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    overview: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    references: OneOrMany,
    #[serde(default, deserialize_with = "nullable")]
    cvss_vector: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    cvss_score: Option<f64>,
}

/// Parses an npm ecosystem advisory.
pub(crate) fn parse_npm(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let adv: NpmAdvisory =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, "nodejs-npm", e))?;
    let num = adv
        .id
        .as_str()
        .map_or_else(|| adv.id.to_string(), str::to_owned);
    let mut rec = FeedRecord::new(format!("NSWG-ECO-{num}"), RecordKind::Advisory);
    rec.aliases = adv
        .cves
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .collect();
    let d = &mut rec.details;
    d.title = adv.title;
    d.description = adv.overview;
    d.published = adv.publish_date.or(adv.created_at);
    d.modified = adv.updated_at;
    d.references = adv
        .references
        .into_vec()
        .into_iter()
        .flat_map(|r| r.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    if let Some(v) = adv.cvss_vector.filter(|v| !v.is_empty()) {
        d.severities.push(cvss_entry("nodejs", &v, adv.cvss_score));
    }
    let vulnerable: Vec<String> = adv
        .vulnerable_versions
        .into_iter()
        .filter(|v| !v.trim().is_empty())
        .collect();
    let patched: Vec<String> = adv
        .patched_versions
        .into_iter()
        .filter(|v| !v.trim().is_empty() && v.trim() != "<0.0.0")
        .collect();
    let fixed: Vec<String> = patched.iter().flat_map(|p| lower_bounds(p)).collect();
    let status = if fixed.is_empty() {
        Status::Affected
    } else {
        Status::Fixed
    };
    let mut a = Affected::new("npm", adv.module_name, status);
    a.fixed_versions = fixed;
    a.requirements = Some(Requirements {
        scheme: "npm".to_owned(),
        vulnerable,
        unaffected: patched,
    });
    rec.affected.push(a);
    let mut out = FileOutput {
        record_count: 1,
        label: Some("nodejs npm".to_owned()),
        ..FileOutput::default()
    };
    out.bump_revision(
        rec.details
            .modified
            .as_deref()
            .or(rec.details.published.as_deref()),
    );
    out.records.push(rec);
    Ok(out)
}

#[derive(Debug, Deserialize)]
struct CoreAdvisory {
    #[serde(default, deserialize_with = "nullable")]
    cve: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    r#ref: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    vulnerable: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    patched: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    overview: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    severity: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        rename = "affectedEnvironments"
    )]
    affected_environments: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    reason: Option<String>,
}

/// Parses a Node.js core advisory.
pub(crate) fn parse_core(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let adv: CoreAdvisory =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, "nodejs-core", e))?;
    let mut rec = node_record(path, "CORE", &adv);
    let vulnerable: Vec<String> = adv
        .vulnerable
        .into_iter()
        .filter(|v| !v.trim().is_empty())
        .collect();
    let patched: Vec<String> = adv
        .patched
        .into_iter()
        .filter(|v| !v.trim().is_empty())
        .collect();
    let fixed: Vec<String> = patched.iter().flat_map(|p| lower_bounds(p)).collect();
    let status = if fixed.is_empty() {
        Status::Affected
    } else {
        Status::Fixed
    };
    let mut a = Affected::new("nodejs", "node", status);
    a.fixed_versions = fixed;
    a.severity = adv.severity.clone().filter(|s| s != "unknown");
    a.requirements = Some(Requirements {
        scheme: "semver".to_owned(),
        vulnerable,
        unaffected: patched,
    });
    if !adv.affected_environments.is_empty() {
        a.extra = Some(serde_json::json!({ "affectedEnvironments": adv.affected_environments }));
    }
    if let Some(s) = &a.severity {
        rec.details.severities.push(label_entry("nodejs", s));
    }
    rec.affected.push(a);
    Ok(FileOutput {
        record_count: 1,
        records: vec![rec],
        label: Some("nodejs core".to_owned()),
        ..FileOutput::default()
    })
}

/// Parses a bundled-dependency non-impact statement.
pub(crate) fn parse_deps(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let adv: CoreAdvisory =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, "nodejs-deps", e))?;
    let mut rec = node_record(path, "DEPS", &adv);
    let mut a = Affected::new("nodejs", "node", Status::NotAffected);
    if let Some(reason) = &adv.reason {
        a.extra = Some(serde_json::json!({ "justification": reason }));
    }
    rec.affected.push(a);
    Ok(FileOutput {
        record_count: 1,
        records: vec![rec],
        label: Some("nodejs deps".to_owned()),
        ..FileOutput::default()
    })
}

fn node_record(path: &Path, kind: &str, adv: &CoreAdvisory) -> FeedRecord {
    let mut rec = FeedRecord::new(format!("NSWG-{kind}-{}", stem(path)), RecordKind::Advisory);
    rec.aliases = adv
        .cve
        .iter()
        .filter(|c| !c.trim().is_empty())
        .cloned()
        .collect();
    rec.details.title = adv.description.clone();
    rec.details.description = adv.overview.clone();
    rec.details.references = adv.r#ref.iter().cloned().collect();
    rec
}

/// The versions a node-semver "patched" range starts at: `>=1.5.2` → `1.5.2`,
/// `^8.1.4 || ^7.10.1` → `8.1.4`, `7.10.1`.
fn lower_bounds(range: &str) -> Vec<String> {
    range
        .split("||")
        .filter_map(|alt| {
            let first = alt.split_whitespace().next()?;
            let v = first
                .trim_start_matches(['>', '=', '^', '~'])
                .trim_start_matches('v');
            (first.starts_with(">=") || first.starts_with('^') || first.starts_with('~'))
                .then(|| v.to_owned())
                .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patched_lower_bounds() {
        assert_eq!(lower_bounds(">=1.5.2"), vec!["1.5.2"]);
        assert_eq!(lower_bounds("^8.1.4 || ^7.10.1"), vec!["8.1.4", "7.10.1"]);
        assert!(lower_bounds("<0.0.0").is_empty());
    }

    #[test]
    fn malformed_input_is_an_error() {
        let err = parse_npm(Path::new("npm/1.json"), br#"{"id": 1}"#).unwrap_err();
        assert!(err.to_string().contains("npm/1.json"), "{err}");
        assert!(parse_core(Path::new("c.json"), br#"{"cve": "x"}"#).is_err());
        assert!(parse_deps(Path::new("d.json"), b"{").is_err());
    }
}
