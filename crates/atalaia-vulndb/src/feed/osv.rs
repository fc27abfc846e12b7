//! OSV records (<https://ossf.github.io/osv-schema/>): JSON or YAML, one per file, or a zip
//! archive of JSON records (the per-ecosystem `all.zip` export).
//!
//! Withdrawn records are counted and left out. `GIT` ranges are commit ranges, not package
//! versions, and are not stored. Severity comes from `severity[]` (CVSS vectors, Ubuntu labels),
//! `affected[].severity[]` and `database_specific.severity` (GitHub's label).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use super::{cvss_entry, label_entry, nullable, Affected, FeedRecord, FileOutput, RecordKind};
use crate::model::{AffectedRange, RangeEvent, RangeType, SeverityEntry, Status};
use crate::VulnDbError;

const FORMAT: &str = "OSV";

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    #[serde(default, deserialize_with = "nullable")]
    modified: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    published: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    withdrawn: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    aliases: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    upstream: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    related: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    summary: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    details: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    severity: Vec<Severity>,
    #[serde(default, deserialize_with = "nullable")]
    affected: Vec<AffectedEntry>,
    #[serde(default, deserialize_with = "nullable")]
    references: Vec<Reference>,
    #[serde(default, deserialize_with = "nullable")]
    database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Severity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Debug, Deserialize)]
struct Reference {
    #[serde(default, deserialize_with = "nullable")]
    url: String,
}

#[derive(Debug, Deserialize)]
struct AffectedEntry {
    #[serde(default, deserialize_with = "nullable")]
    package: Option<Package>,
    #[serde(default, deserialize_with = "nullable")]
    ranges: Vec<Range>,
    #[serde(default, deserialize_with = "nullable")]
    versions: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    severity: Vec<Severity>,
    #[serde(default, deserialize_with = "nullable")]
    ecosystem_specific: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "nullable")]
    database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Package {
    ecosystem: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Range {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, deserialize_with = "nullable")]
    events: Vec<HashMap<String, String>>,
}

/// Parses an OSV file: a JSON or YAML record, or a zip archive of JSON records.
pub(crate) fn parse_file(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let mut out = FileOutput::default();
    if bytes.starts_with(b"PK\x03\x04") {
        parse_zip(path, bytes, &mut out)?;
    } else {
        let record = parse_record(path, bytes)?;
        add(record, &mut out);
    }
    Ok(out)
}

fn parse_zip(path: &Path, bytes: &[u8], out: &mut FileOutput) -> Result<(), VulnDbError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| VulnDbError::feed(path, "OSV zip archive", e))?;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| VulnDbError::feed(path, "OSV zip archive", e))?;
        if entry.is_dir() {
            continue;
        }
        let member = path.join(entry.name());
        if !entry.name().ends_with(".json") {
            out.warnings.push(format!(
                "`{}`: not a JSON member, not read",
                member.display()
            ));
            continue;
        }
        let mut buf = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 24));
        entry
            .read_to_end(&mut buf)
            .map_err(|e| VulnDbError::io(&member, e))?;
        let record = parse_record(&member, &buf)?;
        add(record, out);
    }
    Ok(())
}

fn parse_record(path: &Path, bytes: &[u8]) -> Result<Record, VulnDbError> {
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first == Some(b'{') {
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))
    } else {
        serde_yaml_ng::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))
    }
}

/// The short name of the ID's issuer (`GHSA-…` → `ghsa`), used to label severities.
pub(crate) fn issuer(id: &str) -> String {
    id.split(['-', ':'])
        .next()
        .unwrap_or(id)
        .to_ascii_lowercase()
}

fn add(record: Record, out: &mut FileOutput) {
    out.record_count += 1;
    if out.label.is_none() {
        out.label = Some(format!("osv {}", issuer(&record.id)));
    }
    out.bump_revision(record.modified.as_deref());
    out.bump_revision(record.published.as_deref());
    if record.withdrawn.is_some() {
        out.withdrawn += 1;
        return;
    }
    let source = issuer(&record.id);
    let mut rec = FeedRecord::new(record.id.clone(), RecordKind::Advisory);
    rec.aliases = record
        .aliases
        .into_iter()
        .chain(record.upstream)
        .filter(|a| *a != record.id)
        .collect();
    // Errata (AlmaLinux / Rocky ALSA/RLSA) have no aliases and list the CVEs they fix in
    // `related`: each CVE is its own vulnerability, the errata ID is the vendor's.
    let related_cves: Vec<String> = record
        .related
        .into_iter()
        .filter(|r| r.starts_with("CVE-"))
        .collect();
    if rec.aliases.is_empty() && !related_cves.is_empty() && !record.id.starts_with("CVE-") {
        rec.kind = RecordKind::Errata;
        rec.cves = related_cves;
    }
    let d = &mut rec.details;
    d.title = record.summary.filter(|s| !s.trim().is_empty());
    d.description = record.details.filter(|s| !s.trim().is_empty());
    d.published = record.published.filter(|p| !p.starts_with("0001-"));
    d.modified = record.modified.filter(|p| !p.starts_with("0001-"));
    d.references = record
        .references
        .into_iter()
        .map(|r| r.url)
        .filter(|u| !u.is_empty())
        .collect();
    for s in &record.severity {
        d.severities.push(severity_entry(&source, s));
    }
    if let Some(db) = &record.database_specific {
        if let Some(label) = db.get("severity").and_then(|v| v.as_str()) {
            d.severities.push(label_entry(&source, label));
        }
        if let Some(cwes) = db.get("cwe_ids").and_then(|v| v.as_array()) {
            d.cwes = cwes
                .iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect();
        }
    }
    for entry in record.affected {
        let Some(package) = entry.package else {
            continue;
        };
        let (namespace, scheme) = namespace_of(&package.ecosystem);
        let mut a = Affected::new(namespace, package.name, Status::Affected);
        for range in entry.ranges {
            let range_type = match range.kind.as_str() {
                "ECOSYSTEM" => RangeType::Ecosystem,
                "SEMVER" => RangeType::Semver,
                _ => continue, // GIT: commit ranges, not package versions
            };
            let mut events = Vec::with_capacity(range.events.len());
            for event in range.events {
                for (k, v) in event {
                    let e = match k.as_str() {
                        "introduced" => RangeEvent::Introduced(v),
                        "fixed" => {
                            a.fixed_versions.push(v.clone());
                            RangeEvent::Fixed(v)
                        }
                        "last_affected" => RangeEvent::LastAffected(v),
                        "limit" => RangeEvent::Limit(v),
                        _ => continue,
                    };
                    events.push(e);
                }
            }
            a.ranges.push(AffectedRange {
                range_type,
                scheme: scheme.clone(),
                events,
            });
        }
        a.versions = entry.versions;
        if !a.fixed_versions.is_empty() {
            a.status = Status::Fixed;
        }
        for s in &entry.severity {
            let e = severity_entry(&source, s);
            a.severity = a.severity.or_else(|| e.label.clone());
            d.severities.push(e);
        }
        let mut extra = serde_json::Map::new();
        if let Some(v) = entry.ecosystem_specific.filter(|v| !v.is_null()) {
            extra.insert("ecosystem_specific".to_owned(), v);
        }
        if let Some(v) = entry.database_specific.filter(|v| !v.is_null()) {
            extra.insert("database_specific".to_owned(), v);
        }
        if !extra.is_empty() {
            a.extra = Some(serde_json::Value::Object(extra));
        }
        rec.affected.push(a);
    }
    // AlmaLinux / Rocky write the Red Hat rating only as the summary prefix ("Important: …").
    if let Some(title) = &rec.details.title {
        if let Some((prefix, _)) = title.split_once(':') {
            if matches!(prefix, "Critical" | "Important" | "Moderate" | "Low") {
                let label = prefix.to_owned();
                rec.details.severities.push(label_entry(&source, &label));
                for a in &mut rec.affected {
                    a.severity.get_or_insert_with(|| label.clone());
                }
            }
        }
    }
    out.records.push(rec);
}

fn severity_entry(source: &str, s: &Severity) -> SeverityEntry {
    if s.kind.starts_with("CVSS_") {
        cvss_entry(source, &s.score, None)
    } else {
        label_entry(source, &s.score)
    }
}

/// The namespace and version scheme of an OSV ecosystem name.
pub(crate) fn namespace_of(ecosystem: &str) -> (String, String) {
    let simple = |ns: &str, scheme: &str| (ns.to_owned(), scheme.to_owned());
    match ecosystem {
        "PyPI" => simple("PyPI", "pep440"),
        "Go" => simple("Go", "go"),
        "crates.io" => simple("crates.io", "cargo"),
        "npm" => simple("npm", "npm"),
        "Maven" => simple("Maven", "maven"),
        "RubyGems" => simple("RubyGems", "rubygems"),
        "Packagist" => simple("Packagist", "composer"),
        "NuGet" => simple("NuGet", "nuget"),
        "Pub" => simple("Pub", "pub"),
        "Hex" => simple("Hex", "hex"),
        "SwiftURL" => simple("SwiftURL", "swift"),
        "Julia" => simple("Julia", "semver"),
        "Bitnami" | "bitnami" => simple("Bitnami", "semver"),
        "Wolfi" => simple("wolfi", "apk"),
        "Chainguard" => simple("chainguard", "apk"),
        _ => match ecosystem.split_once(':') {
            Some((distro, release)) => {
                let (family, scheme) = match distro {
                    "AlmaLinux" => ("alma", "rpm"),
                    "Rocky Linux" => ("rocky", "rpm"),
                    "Red Hat" => ("redhat", "rpm"),
                    "openSUSE" => ("opensuse", "rpm"),
                    "SUSE" => ("sles", "rpm"),
                    "Mageia" => ("mageia", "rpm"),
                    "Debian" => ("debian", "dpkg"),
                    "Ubuntu" => ("ubuntu", "dpkg"),
                    "Alpine" => ("alpine", "apk"),
                    _ => return (ecosystem.to_owned(), distro.to_ascii_lowercase()),
                };
                // `Ubuntu:Pro:22.04:LTS` → `ubuntu-pro 22.04`; `Alpine:v3.16` → `alpine 3.16`.
                let mut parts: Vec<&str> = release.split(':').collect();
                let mut family = family.to_owned();
                if parts.first() == Some(&"Pro") {
                    parts.remove(0);
                    family.push_str("-pro");
                }
                parts.retain(|p| *p != "LTS");
                let release = parts.join(":");
                let release = release.strip_prefix('v').unwrap_or(&release);
                (format!("{family} {release}"), scheme.to_owned())
            }
            None => (ecosystem.to_owned(), ecosystem.to_ascii_lowercase()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces() {
        assert_eq!(
            namespace_of("AlmaLinux:10"),
            ("alma 10".to_owned(), "rpm".to_owned())
        );
        assert_eq!(
            namespace_of("Ubuntu:Pro:22.04:LTS"),
            ("ubuntu-pro 22.04".to_owned(), "dpkg".to_owned())
        );
        assert_eq!(
            namespace_of("Alpine:v3.16"),
            ("alpine 3.16".to_owned(), "apk".to_owned())
        );
        assert_eq!(
            namespace_of("PyPI"),
            ("PyPI".to_owned(), "pep440".to_owned())
        );
    }

    #[test]
    fn malformed_records_are_errors_naming_the_file() {
        let p = Path::new("x/GO-1.json");
        let err = parse_file(p, br#"{"id": 3}"#).unwrap_err();
        assert!(err.to_string().contains("x/GO-1.json"), "{err}");
        assert!(parse_file(p, b"{\"id\": \"A\", \"affected\": [").is_err());
        assert!(parse_file(Path::new("a.yaml"), b"id: [unclosed\n").is_err());
        assert!(parse_file(Path::new("a.zip"), b"PK\x03\x04garbage").is_err());
    }

    #[test]
    fn withdrawn_records_are_counted_and_left_out() {
        let out = parse_file(
            Path::new("w.json"),
            br#"{"id":"GHSA-x","withdrawn":"2023-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"}}]}"#,
        )
        .unwrap();
        assert_eq!(
            (out.record_count, out.withdrawn, out.records.len()),
            (1, 1, 0)
        );
    }
}
