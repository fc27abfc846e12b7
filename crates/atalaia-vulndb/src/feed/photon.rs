//! Photon OS `cve_data_photon<X>.json`: `[{cve_id, pkg, cve_score, aff_ver, res_ver, status?}]`.
//!
//! The release is read from the fixed versions' dist tag (`2.7.6-2.ph3` → `photon 3.0`), the
//! same for the whole file; `res_ver: NA` has no fixed version.

use std::path::Path;

use serde::Deserialize;

use super::{nullable, Affected, FeedRecord, FileOutput, RecordKind};
use crate::model::{SeverityEntry, Status};
use crate::VulnDbError;

const FORMAT: &str = "Photon OS CVE JSON";

#[derive(Debug, Deserialize)]
struct Entry {
    cve_id: String,
    pkg: String,
    #[serde(default, deserialize_with = "nullable")]
    cve_score: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    res_ver: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    status: Option<String>,
}

fn release_of(version: &str) -> Option<String> {
    let tag = version.rsplit('.').next()?;
    let n: String = tag
        .strip_prefix("ph")?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!n.is_empty()).then(|| format!("photon {n}.0"))
}

/// Parses one release's CVE list.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let entries: Vec<Entry> =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?;
    let namespace = entries
        .iter()
        .find_map(|e| e.res_ver.as_deref().and_then(release_of))
        .ok_or_else(|| {
            VulnDbError::feed(
                path,
                FORMAT,
                "no fixed version carries a `.phN` dist tag to tell the release",
            )
        })?;
    let mut out = FileOutput {
        label: Some("photon".to_owned()),
        ..FileOutput::default()
    };
    for e in entries {
        out.record_count += 1;
        let fixed = e
            .res_ver
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty() && *v != "NA");
        let a = match (e.status.as_deref(), fixed) {
            (Some("Not Affected"), _) => {
                Affected::new(namespace.clone(), e.pkg, Status::NotAffected)
            }
            (_, Some(v)) => {
                Affected::new(namespace.clone(), e.pkg, Status::Fixed).fixed_in("rpm", v)
            }
            (Some("Fixed"), None) => Affected::new(namespace.clone(), e.pkg, Status::Fixed),
            (_, None) => Affected::new(namespace.clone(), e.pkg, Status::Affected),
        };
        let mut rec = FeedRecord::new(e.cve_id, RecordKind::Advisory);
        if let Some(score) = e.cve_score {
            rec.details.severities.push(SeverityEntry {
                source: "photon".to_owned(),
                label: None,
                cvss_version: None,
                vector: None,
                score: Some(score),
            });
        }
        rec.affected.push(a);
        out.records.push(rec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_and_malformed_input() {
        assert_eq!(release_of("2.7.6-2.ph3").as_deref(), Some("photon 3.0"));
        assert_eq!(release_of("1.0"), None);
        let err = parse(
            Path::new("p.json"),
            br#"[{"cve_id": "CVE-1", "pkg": "a", "res_ver": "1.0"}]"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("p.json"), "{err}");
        assert!(parse(Path::new("p.json"), br#"[{"pkg": "a"}]"#).is_err());
    }
}
