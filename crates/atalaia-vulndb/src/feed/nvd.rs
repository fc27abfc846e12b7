//! NVD CVE API 2.0 responses: enrichment only (description, CWEs, references, dates, NVD's and
//! CNAs' CVSS v2/v3/v4 metrics). CPE configurations are not used for package matching.

use std::path::Path;

use serde::Deserialize;

use super::{nullable, FeedRecord, FileOutput, RecordKind};
use crate::model::{CvssVersion, SeverityEntry};
use crate::VulnDbError;

const FORMAT: &str = "NVD CVE API 2.0 JSON";

#[derive(Debug, Deserialize)]
struct Response {
    #[serde(default, deserialize_with = "nullable")]
    timestamp: Option<String>,
    vulnerabilities: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    cve: Cve,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cve {
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    published: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    last_modified: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    descriptions: Vec<LangString>,
    #[serde(default, deserialize_with = "nullable")]
    metrics: std::collections::BTreeMap<String, Vec<Metric>>,
    #[serde(default, deserialize_with = "nullable")]
    weaknesses: Vec<Weakness>,
    #[serde(default, deserialize_with = "nullable")]
    references: Vec<Reference>,
}

#[derive(Debug, Deserialize)]
struct LangString {
    lang: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metric {
    #[serde(default, deserialize_with = "nullable")]
    source: String,
    cvss_data: CvssData,
    #[serde(default, deserialize_with = "nullable")]
    base_severity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CvssData {
    vector_string: String,
    #[serde(default, deserialize_with = "nullable")]
    base_score: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    base_severity: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Weakness {
    #[serde(default, deserialize_with = "nullable")]
    description: Vec<LangString>,
}

#[derive(Debug, Deserialize)]
struct Reference {
    url: String,
}

/// Parses one API response page.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let resp: Response =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?;
    let mut out = FileOutput {
        label: Some("nvd".to_owned()),
        ..FileOutput::default()
    };
    out.bump_revision(resp.timestamp.as_deref());
    for item in resp.vulnerabilities {
        out.record_count += 1;
        let cve = item.cve;
        let mut rec = FeedRecord::new(cve.id, RecordKind::Enrichment);
        let d = &mut rec.details;
        d.description = cve
            .descriptions
            .into_iter()
            .find(|l| l.lang == "en")
            .map(|l| l.value);
        d.published = cve.published;
        d.modified = cve.last_modified;
        d.references = cve.references.into_iter().map(|r| r.url).collect();
        d.cwes = cve
            .weaknesses
            .into_iter()
            .flat_map(|w| w.description)
            .map(|l| l.value)
            .filter(|v| v.starts_with("CWE-"))
            .collect();
        for (key, metrics) in cve.metrics {
            let version = match key.as_str() {
                "cvssMetricV2" => CvssVersion::V2,
                "cvssMetricV30" | "cvssMetricV31" => CvssVersion::V3,
                "cvssMetricV40" => CvssVersion::V4,
                _ => continue,
            };
            for m in metrics {
                // NVD's own metrics are "nvd"; a CNA's keep its e-mail-like source name.
                let source = if m.source == "nvd@nist.gov" {
                    "nvd".to_owned()
                } else {
                    m.source
                };
                d.severities.push(SeverityEntry {
                    source,
                    label: m.cvss_data.base_severity.or(m.base_severity),
                    cvss_version: Some(version),
                    vector: Some(m.cvss_data.vector_string),
                    score: m.cvss_data.base_score,
                });
            }
        }
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
            Path::new("nvd.json"),
            br#"{"vulnerabilities": [{"cve": {}}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("nvd.json"), "{err}");
        assert!(parse(Path::new("nvd.json"), br#"{"vulnerabilities": 3}"#).is_err());
    }
}
