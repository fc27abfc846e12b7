//! The CISA Known Exploited Vulnerabilities catalog: enrichment only (a flag and the date it
//! was added on a CVE), no package data.

use std::path::Path;

use serde::Deserialize;

use super::{nullable, FeedRecord, FileOutput, RecordKind};
use crate::model::KevEntry;
use crate::VulnDbError;

const FORMAT: &str = "CISA KEV JSON";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Catalog {
    #[serde(default, deserialize_with = "nullable")]
    catalog_version: Option<String>,
    vulnerabilities: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(default, deserialize_with = "nullable")]
    vulnerability_name: Option<String>,
    date_added: String,
    #[serde(default, deserialize_with = "nullable")]
    short_description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    due_date: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    known_ransomware_campaign_use: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    cwes: Vec<String>,
}

/// Parses the catalog.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let catalog: Catalog =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?;
    let mut out = FileOutput {
        label: Some("kev".to_owned()),
        revision: catalog.catalog_version,
        ..FileOutput::default()
    };
    for e in catalog.vulnerabilities {
        out.record_count += 1;
        let mut rec = FeedRecord::new(e.cve_id.trim(), RecordKind::Enrichment);
        rec.details.title = e.vulnerability_name;
        rec.details.description = e.short_description;
        rec.details.cwes = e.cwes;
        rec.kev = Some(KevEntry {
            date_added: e.date_added,
            ransomware: e.known_ransomware_campaign_use,
            due_date: e.due_date,
        });
        out.records.push(rec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_input_is_an_error() {
        let err = parse(
            Path::new("kev.json"),
            br#"{"catalogVersion": "1", "vulnerabilities": [{"cveID": "CVE-1"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("kev.json"), "{err}");
        assert!(parse(Path::new("kev.json"), b"[]").is_err());
    }
}
