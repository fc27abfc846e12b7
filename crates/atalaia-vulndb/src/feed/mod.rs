//! Feed formats: recognition by content and one parser module per native format.
//!
//! Every parser turns one file's bytes into [`FeedRecord`]s, a shape close to OSV that the
//! builder merges: a record has an ID, IDs it is an alias of, the CVEs it fixes (for errata such
//! as DSA or ALSA, where each CVE is its own vulnerability), details and affected packages.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::model::{AffectedRange, KevEntry, Requirements, SeverityEntry, Status};
use crate::VulnDbError;

pub(crate) mod alpine;
pub(crate) mod composer;
pub(crate) mod debian;
pub(crate) mod kev;
pub(crate) mod nodejs;
pub(crate) mod nvd;
pub(crate) mod osv;
pub(crate) mod oval;
pub(crate) mod photon;
pub(crate) mod rubysec;

/// A feed format, recognised from a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Format {
    /// OSV records, JSON or YAML, one per file or in an `all.zip` export.
    Osv,
    /// Alpine / Wolfi / Chainguard secdb (YAML or JSON).
    Secdb,
    /// Debian security tracker `DSA/list`.
    DebianDsaList,
    /// Debian security tracker `DLA/list`.
    DebianDlaList,
    /// Debian security tracker `DTSA/list`.
    DebianDtsaList,
    /// Debian security tracker `data/CVE/list`.
    DebianCveList,
    /// The Debian security tracker JSON (`tracker/data/json`).
    DebianTrackerJson,
    /// A RubySec (ruby-advisory-db) YAML advisory.
    RubySec,
    /// A FriendsOfPHP security-advisories YAML advisory.
    FriendsOfPhp,
    /// A Node.js security-wg npm ecosystem advisory.
    NodeNpm,
    /// A Node.js security-wg core (runtime) advisory.
    NodeCore,
    /// A Node.js security-wg bundled-dependency non-impact statement.
    NodeDeps,
    /// The CISA Known Exploited Vulnerabilities catalog.
    Kev,
    /// Azure Linux / CBL-Mariner OVAL definitions.
    AzureOval,
    /// An NVD CVE API 2.0 response (enrichment).
    Nvd,
    /// Photon OS `cve_data_photon<X>.json`.
    Photon,
}

impl Format {
    /// The format's name, as stored in the `sources` table.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Osv => "osv",
            Format::Secdb => "secdb",
            Format::DebianDsaList => "debian-dsa-list",
            Format::DebianDlaList => "debian-dla-list",
            Format::DebianDtsaList => "debian-dtsa-list",
            Format::DebianCveList => "debian-cve-list",
            Format::DebianTrackerJson => "debian-tracker-json",
            Format::RubySec => "rubysec",
            Format::FriendsOfPhp => "friendsofphp",
            Format::NodeNpm => "nodejs-npm",
            Format::NodeCore => "nodejs-core",
            Format::NodeDeps => "nodejs-deps",
            Format::Kev => "cisa-kev",
            Format::AzureOval => "azure-oval",
            Format::Nvd => "nvd-api-2.0",
            Format::Photon => "photon",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a record's IDs relate to vulnerabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordKind {
    /// The record is one vulnerability; `id` and `aliases` name it.
    Advisory,
    /// The record fixes the vulnerabilities in `cves` (each its own); `id` is the vendor's.
    Errata,
    /// The record only adds facts (KEV) to the vulnerability `id`.
    Enrichment,
}

/// Details a record states about its vulnerability.
#[derive(Debug, Clone, Default)]
pub(crate) struct Details {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) cwes: Vec<String>,
    pub(crate) references: Vec<String>,
    pub(crate) published: Option<String>,
    pub(crate) modified: Option<String>,
    pub(crate) severities: Vec<SeverityEntry>,
}

/// One affected package of a record.
#[derive(Debug, Clone)]
pub(crate) struct Affected {
    pub(crate) namespace: String,
    pub(crate) package: String,
    pub(crate) status: Status,
    pub(crate) ranges: Vec<AffectedRange>,
    pub(crate) versions: Vec<String>,
    pub(crate) requirements: Option<Requirements>,
    pub(crate) fixed_versions: Vec<String>,
    pub(crate) severity: Option<String>,
    pub(crate) extra: Option<serde_json::Value>,
}

impl Affected {
    pub(crate) fn new(
        namespace: impl Into<String>,
        package: impl Into<String>,
        status: Status,
    ) -> Self {
        Affected {
            namespace: namespace.into(),
            package: package.into(),
            status,
            ranges: Vec::new(),
            versions: Vec::new(),
            requirements: None,
            fixed_versions: Vec::new(),
            severity: None,
            extra: None,
        }
    }

    /// `introduced: 0, fixed: V` for feeds that only state a fixed version.
    pub(crate) fn fixed_in(mut self, scheme: &str, version: &str) -> Self {
        use crate::model::{RangeEvent, RangeType};
        self.ranges.push(AffectedRange {
            range_type: RangeType::Ecosystem,
            scheme: scheme.to_owned(),
            events: vec![
                RangeEvent::Introduced("0".to_owned()),
                RangeEvent::Fixed(version.to_owned()),
            ],
        });
        self.fixed_versions.push(version.to_owned());
        self
    }
}

/// One record of a feed.
#[derive(Debug, Clone)]
pub(crate) struct FeedRecord {
    pub(crate) id: String,
    pub(crate) kind: RecordKind,
    pub(crate) aliases: Vec<String>,
    pub(crate) cves: Vec<String>,
    pub(crate) details: Details,
    pub(crate) affected: Vec<Affected>,
    pub(crate) kev: Option<KevEntry>,
}

impl FeedRecord {
    pub(crate) fn new(id: impl Into<String>, kind: RecordKind) -> Self {
        FeedRecord {
            id: id.into(),
            kind,
            aliases: Vec::new(),
            cves: Vec::new(),
            details: Details::default(),
            affected: Vec::new(),
            kev: None,
        }
    }
}

/// What one file yielded.
#[derive(Debug, Default)]
pub(crate) struct FileOutput {
    pub(crate) records: Vec<FeedRecord>,
    /// Records in the feed's own unit (an Alpine fixed-version entry, a list advisory).
    pub(crate) record_count: u64,
    /// Withdrawn records left out.
    pub(crate) withdrawn: u64,
    /// The newest date or version marker seen.
    pub(crate) revision: Option<String>,
    /// Non-fatal notes (an entry left out and why).
    pub(crate) warnings: Vec<String>,
    /// A label finer than the format (the OSV ID prefix), used to tell sources apart.
    pub(crate) label: Option<String>,
}

impl FileOutput {
    pub(crate) fn bump_revision(&mut self, candidate: Option<&str>) {
        if let Some(c) = candidate
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.starts_with("0001-"))
        {
            if self.revision.as_deref().is_none_or(|r| c > r) {
                self.revision = Some(c.to_owned());
            }
        }
    }
}

/// What a file was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Detected {
    /// A feed file to load.
    Feed(Format),
    /// A file of a known kind that is deliberately not loaded, and why.
    Skip(&'static str),
    /// Nothing recognised.
    Unknown,
}

/// Recognises a file's format from its content (`name` only breaks ties the content leaves open,
/// never decides alone).
pub(crate) fn detect(bytes: &[u8]) -> Detected {
    let head = trim_bom(bytes);
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace());
    if head.starts_with(b"PK\x03\x04") {
        return Detected::Feed(Format::Osv);
    }
    match first {
        Some(b'{') => detect_json(head),
        // `[` opens a JSON array or a Debian list header (`[29 Mar 2023] DSA-…`).
        Some(b'[') => match detect_json(head) {
            Detected::Unknown => detect_text(head),
            d => d,
        },
        Some(b'<') => detect_xml(head),
        Some(_) => detect_text(head),
        None => Detected::Unknown,
    }
}

fn trim_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn detect_json(bytes: &[u8]) -> Detected {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Detected::Unknown;
    };
    if let Some(items) = value.as_array() {
        let photon = |v: &serde_json::Value| {
            ["cve_id", "pkg", "res_ver"]
                .iter()
                .all(|k| v.get(k).is_some())
        };
        if !items.is_empty() && items.iter().all(photon) {
            return Detected::Feed(Format::Photon);
        }
        return Detected::Unknown;
    }
    let Some(obj) = value.as_object() else {
        return Detected::Unknown;
    };
    let has = |k: &str| obj.contains_key(k);
    if has("$schema") && has("properties") {
        return Detected::Skip("a JSON schema, not data");
    }
    if has("id") && (has("affected") || has("modified") || has("schema_version")) {
        return Detected::Feed(Format::Osv);
    }
    if obj.get("format").and_then(|f| f.as_str()) == Some("NVD_CVE") && has("vulnerabilities") {
        return Detected::Feed(Format::Nvd);
    }
    if has("catalogVersion") && has("vulnerabilities") {
        return Detected::Feed(Format::Kev);
    }
    if has("packages") && (has("apkurl") || has("urlprefix") || has("distroversion")) {
        return Detected::Feed(Format::Secdb);
    }
    if has("module_name") && (has("vulnerable_versions") || has("patched_versions")) {
        return Detected::Feed(Format::NodeNpm);
    }
    if has("cve") && (has("vulnerable") || has("patched")) {
        return Detected::Feed(Format::NodeCore);
    }
    if has("cve") && has("reason") {
        return Detected::Feed(Format::NodeDeps);
    }
    let mut values = obj
        .values()
        .filter_map(serde_json::Value::as_object)
        .peekable();
    if values.peek().is_some() {
        let all = |f: &dyn Fn(&serde_json::Map<String, serde_json::Value>) -> bool| {
            obj.values().all(|v| v.as_object().is_some_and(f))
        };
        if all(&|m| {
            m.contains_key("module_name")
                || m.contains_key("reason")
                || m.contains_key("vulnerable")
                || m.contains_key("patched")
        }) {
            return Detected::Skip(
                "an aggregate index duplicating the per-advisory files beside it",
            );
        }
        if all(&|m| {
            m.keys()
                .all(|k| k.starts_with("CVE-") || k.starts_with("TEMP-"))
                && m.values().all(|v| v.get("releases").is_some())
        }) {
            return Detected::Feed(Format::DebianTrackerJson);
        }
        if all(&|m| m.contains_key("major-version") || m.contains_key("support")) {
            return Detected::Skip("Debian release configuration (codenames are built in)");
        }
    }
    if obj.len() == 1
        && obj
            .get("branches")
            .and_then(|b| b.as_array())
            .is_some_and(|b| b.iter().all(serde_json::Value::is_string))
    {
        return Detected::Skip("Photon OS release list (releases come from the dist tags)");
    }
    if has("repositories") && has("distributions") {
        return Detected::Skip("Debian release configuration (codenames are built in)");
    }
    Detected::Unknown
}

fn detect_xml(bytes: &[u8]) -> Detected {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    if head.contains("<oval_definitions")
        && (head.contains("Azure Linux OVAL") || head.contains("CBL-Mariner OVAL"))
    {
        return Detected::Feed(Format::AzureOval);
    }
    Detected::Unknown
}

fn detect_text(bytes: &[u8]) -> Detected {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Detected::Unknown;
    };
    // Line-oriented Debian tracker lists.
    if let Some(line) = text.lines().find(|l| !l.trim().is_empty()) {
        if line.starts_with('[') {
            if let Some((_, rest)) = line.split_once(']') {
                let id = rest.split_whitespace().next().unwrap_or_default();
                if id.starts_with("DSA-") {
                    return Detected::Feed(Format::DebianDsaList);
                }
                if id.starts_with("DLA-") {
                    return Detected::Feed(Format::DebianDlaList);
                }
                if id.starts_with("DTSA-") {
                    return Detected::Feed(Format::DebianDtsaList);
                }
            }
        }
        if line.starts_with("CVE-")
            && (line.contains(" (") || line.contains(" [") || line.trim().len() <= 16)
        {
            return Detected::Feed(Format::DebianCveList);
        }
    }
    // YAML mappings: decide by the top-level keys.
    let keys = top_level_keys(text);
    let has = |k: &str| keys.contains(&k);
    if has("source")
        && has("date")
        && (has("testing-fix") || has("vuln-type") || has("problem-scope"))
    {
        return Detected::Skip("a DTSA advisory text, the same advisory as in DTSA/list");
    }
    if has("id") && (has("affected") || has("modified")) {
        return Detected::Feed(Format::Osv);
    }
    if has("packages") && (has("distroversion") || has("apkurl")) {
        return Detected::Feed(Format::Secdb);
    }
    if (has("gem") || has("engine")) && (has("title") || has("url")) {
        return Detected::Feed(Format::RubySec);
    }
    if has("reference") && has("branches") {
        return Detected::Feed(Format::FriendsOfPhp);
    }
    Detected::Unknown
}

/// Keys of a YAML document's top-level mapping (`key:` at column 0).
fn top_level_keys(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| {
            l.as_bytes()
                .first()
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'"')
        })
        .filter_map(|l| {
            let (k, _) = l.split_once(':')?;
            Some(k.trim().trim_matches('"'))
        })
        .filter(|k| !k.contains(' '))
        .collect()
}

/// Parses one file (or zip archive) recognised as `format`.
pub(crate) fn parse(format: Format, path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let bytes = trim_bom(bytes);
    match format {
        Format::Osv => osv::parse_file(path, bytes),
        Format::Secdb => alpine::parse(path, bytes),
        Format::DebianDsaList | Format::DebianDlaList | Format::DebianDtsaList => {
            debian::parse_list(path, bytes, format)
        }
        Format::DebianCveList => debian::parse_cve_list(path, bytes),
        Format::DebianTrackerJson => debian::parse_tracker_json(path, bytes),
        Format::RubySec => rubysec::parse(path, bytes),
        Format::FriendsOfPhp => composer::parse(path, bytes),
        Format::NodeNpm => nodejs::parse_npm(path, bytes),
        Format::NodeCore => nodejs::parse_core(path, bytes),
        Format::NodeDeps => nodejs::parse_deps(path, bytes),
        Format::Kev => kev::parse(path, bytes),
        Format::AzureOval => oval::parse(path, bytes),
        Format::Nvd => nvd::parse(path, bytes),
        Format::Photon => photon::parse(path, bytes),
    }
}

/// Deserialises `null` as the type's default (feeds write `aliases: null`, `cve: ~`).
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The CVSS base score of a v3 vector, when it parses (v4 scores are computed in [`cvss_entry`]).
pub(crate) fn cvss3_score(vector: &str) -> Option<f64> {
    vector
        .parse::<cvss::v3::Base>()
        .ok()
        .map(|b| b.score().value())
}

/// A severity entry for a CVSS vector whose version is read from its prefix.
pub(crate) fn cvss_entry(source: &str, vector: &str, score: Option<f64>) -> SeverityEntry {
    use crate::model::CvssVersion;
    let version = if vector.starts_with("CVSS:3") {
        Some(CvssVersion::V3)
    } else if vector.starts_with("CVSS:4") {
        Some(CvssVersion::V4)
    } else if vector.starts_with("AV:") || vector.starts_with("(AV:") {
        Some(CvssVersion::V2)
    } else {
        None
    };
    let score = score.or_else(|| match version {
        Some(CvssVersion::V3) => cvss3_score(vector),
        Some(CvssVersion::V4) => vector
            .parse::<cvss::v4::Vector>()
            .ok()
            .map(|v| v.score().value()),
        _ => None,
    });
    SeverityEntry {
        source: source.to_owned(),
        label: None,
        cvss_version: version,
        vector: Some(vector.to_owned()),
        score,
    }
}

/// A severity entry with only a label.
pub(crate) fn label_entry(source: &str, label: &str) -> SeverityEntry {
    SeverityEntry {
        source: source.to_owned(),
        label: Some(label.to_owned()),
        cvss_version: None,
        vector: None,
        score: None,
    }
}

/// The file stem as a string.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_by_content() {
        assert_eq!(
            detect(br#"{"id":"GO-1","affected":[]}"#),
            Detected::Feed(Format::Osv)
        );
        assert_eq!(
            detect(b"id: PYSEC-1\nmodified: 2020-01-01\naffected: []\n"),
            Detected::Feed(Format::Osv)
        );
        assert_eq!(
            detect(b"[29 Mar 2023] DSA-1-1 x - y\n"),
            Detected::Feed(Format::DebianDsaList)
        );
        assert_eq!(
            detect(b"[August 26th, 2005] DTSA-1-1 kismet - various\n"),
            Detected::Feed(Format::DebianDtsaList)
        );
        assert_eq!(
            detect(br#"{"1": {"cve": [], "vulnerable": "8.x"}}"#),
            Detected::Skip("an aggregate index duplicating the per-advisory files beside it")
        );
        assert_eq!(
            detect(b"gem: rack\ntitle: t\n"),
            Detected::Feed(Format::RubySec)
        );
        assert_eq!(detect(b"This is a README\n"), Detected::Unknown);
        assert_eq!(detect(b""), Detected::Unknown);
        assert_eq!(detect(b"{not json"), Detected::Unknown);
    }

    #[test]
    fn cvss_scores_are_computed() {
        let e = cvss_entry("x", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None);
        assert_eq!(e.score, Some(9.8));
        assert_eq!(e.cvss_version, Some(crate::model::CvssVersion::V3));
        let e = cvss_entry(
            "x",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            None,
        );
        assert_eq!(
            (e.cvss_version, e.score),
            (Some(crate::model::CvssVersion::V4), Some(9.3))
        );
    }
}
