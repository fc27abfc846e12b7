//! What the database stores and answers: advisories (a package in a namespace, its affected
//! ranges and fix status) and vulnerabilities (details, severities, aliases, KEV).
//!
//! Ranges are stored as the feeds state them, ready for the matcher: OSV-style event lists for
//! feeds that have them (and for fixed-version feeds: `introduced: 0`, `fixed: V`), explicit
//! version lists, and native requirement strings for feeds that only have those (RubySec,
//! FriendsOfPHP, the Node.js feed). Version comparison is not this crate's job.

use serde::{Deserialize, Serialize};

/// The fix status of a package for a vulnerability in a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A fixed version exists; versions in the ranges are affected.
    Fixed,
    /// Affected and no fix is available yet.
    Affected,
    /// The vendor decided not to fix it (Debian `ignored`, `no-dsa`).
    WillNotFix,
    /// A fix is postponed (Debian `postponed`).
    FixDeferred,
    /// The release is past its support; it will not be fixed there.
    EndOfLife,
    /// The vendor states the package is not affected (Alpine/Wolfi `"0"`, Debian
    /// `<not-affected>`, a Node.js non-impact statement).
    NotAffected,
}

impl Status {
    /// The name stored in the database and shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fixed => "fixed",
            Status::Affected => "affected",
            Status::WillNotFix => "will_not_fix",
            Status::FixDeferred => "fix_deferred",
            Status::EndOfLife => "end_of_life",
            Status::NotAffected => "not_affected",
        }
    }

    /// Parses [`Status::as_str`].
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "fixed" => Status::Fixed,
            "affected" => Status::Affected,
            "will_not_fix" => Status::WillNotFix,
            "fix_deferred" => Status::FixDeferred,
            "end_of_life" => Status::EndOfLife,
            "not_affected" => Status::NotAffected,
            _ => return None,
        })
    }
}

/// The OSV range type of an event range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeType {
    /// Versions ordered by the ecosystem's own rules (the `scheme`).
    Ecosystem,
    /// Semantic versions.
    Semver,
}

/// One OSV range event. Events are evaluated in order: `introduced` is inclusive, `fixed` and
/// `limit` are exclusive, `last_affected` is inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeEvent {
    /// Versions from this one on are affected (`0` = since the beginning).
    Introduced(String),
    /// Versions from this one on are not affected.
    Fixed(String),
    /// This version and earlier ones (after the last `introduced`) are affected.
    LastAffected(String),
    /// Versions from this one on are outside the range.
    Limit(String),
}

/// An affected range as a list of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedRange {
    /// The OSV range type.
    #[serde(rename = "type")]
    pub range_type: RangeType,
    /// The version scheme to compare with (`pep440`, `go`, `cargo`, `npm`, `maven`, `dpkg`,
    /// `apk`, `rpm`, `rubygems`, `composer`, `semver`), named as `atalaia-version` names them.
    pub scheme: String,
    /// The events in feed order.
    pub events: Vec<RangeEvent>,
}

/// Native requirement strings, for feeds that state affected versions that way.
///
/// A version is affected when it satisfies any of `vulnerable` (or `vulnerable` is empty) and
/// none of `unaffected`. Each string is one requirement in the scheme's syntax: RubyGems
/// (`~> 7.0.8, >= 7.0.8.5`, comma = and), Composer (`>=2.5.0,<2.5.9`, comma = and) or
/// node-semver (`<=1.5.1`, `^8.1.4 || ^7.10.1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    /// The version scheme (`rubygems`, `composer`, `npm`, `semver`).
    pub scheme: String,
    /// Requirements that describe affected versions (any of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerable: Vec<String>,
    /// Requirements that describe patched or never-affected versions (any of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unaffected: Vec<String>,
}

/// One advisory: a vulnerability affecting a package in a namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// The namespace (`PyPI`, `Go`, `crates.io`, `npm`, `Maven`, `RubyGems`, `Packagist`,
    /// `alpine 3.10`, `debian 11`, `alma 10`, `azurelinux 3.0`, `wolfi`, …).
    pub namespace: String,
    /// The normalised package name (PEP 503 for PyPI, lowercase for npm, `group:artifact` for
    /// Maven, the module path for Go, the *source* package for OS distributions).
    pub package: String,
    /// The package name as the feed wrote it.
    pub package_as_written: String,
    /// The canonical vulnerability ID (a CVE when there is one).
    pub vulnerability_id: String,
    /// The vendor's ID for this advisory (`PYSEC-…`, `GHSA-…`, `DSA-5376-1`, `ALSA-2025:10073`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<String>,
    /// The source (feed folder) it came from, as named in [`Meta::sources`].
    pub source: String,
    /// The fix status.
    pub status: Status,
    /// Affected ranges as event lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<AffectedRange>,
    /// Explicitly enumerated affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Native requirement strings, for feeds without event ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Requirements>,
    /// The fixed versions (from `fixed` events or the feed's patched list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_versions: Vec<String>,
    /// The vendor's severity label for this advisory (`High`, `Important`, Debian urgency …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Feed-specific precision kept verbatim: OSV `ecosystem_specific` / `database_specific` of
    /// the affected entry (Go `imports`, RustSec `informational` and `affects`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

/// The CVSS version of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CvssVersion {
    /// CVSS v2.
    V2,
    /// CVSS v3.0 / v3.1.
    V3,
    /// CVSS v4.0.
    V4,
}

/// A severity statement by one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeverityEntry {
    /// Who says so (`ghsa`, `pysec`, `rustsec`, `nodejs`, `rubysec`, `azurelinux`, `almalinux`…).
    pub source: String,
    /// The label (`HIGH`, `Moderate`, `Critical`…), when the source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The CVSS version, when this is a CVSS statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_version: Option<CvssVersion>,
    /// The CVSS vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// The CVSS base score: as the source states it, or computed from a v3 vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// CISA Known Exploited Vulnerabilities catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    /// When CISA added it (`2023-04-07`).
    pub date_added: String,
    /// `Known` or `Unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ransomware: Option<String>,
    /// CISA's remediation due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

/// A vulnerability: the merged details of every record that names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// The canonical ID (the CVE when there is one, else the GHSA, else the record's own ID).
    pub id: String,
    /// Every other ID merged into it (GHSA, PYSEC, GO, RUSTSEC…), sorted.
    pub aliases: Vec<String>,
    /// A one-line title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// CWE IDs (`CWE-79`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwes: Vec<String>,
    /// Reference URLs, deduplicated in first-seen order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// The earliest publication date given by a source (RFC 3339 or `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The latest modification date given by a source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Severity statements, one or more per source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<SeverityEntry>,
    /// The CISA KEV entry, when the CVE is in the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev: Option<KevEntry>,
}

/// What was loaded from one source (a feed folder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// The source's name: its folder relative to the `--from` directory (`osv/pypa`,
    /// `debian-tracker/DSA`), or the directory's own name when it is one feed.
    pub name: String,
    /// The format recognised (`osv`, `alpine-secdb`, `debian-dsa-list`, …).
    pub format: String,
    /// The feed's revision as far as the data tells: the catalog version (KEV), the generator
    /// timestamp (OVAL), else the newest record date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Files read.
    pub files: u64,
    /// Records read (including withdrawn ones). The unit is the feed's: an OSV record, a secdb
    /// fixed-version entry, a list advisory, an OVAL definition, a KEV entry.
    pub records: u64,
    /// Withdrawn records left out.
    pub withdrawn: u64,
}

/// The `meta` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The schema version of the file.
    pub schema_version: u32,
    /// When it was built (RFC 3339, UTC).
    pub built_at: String,
    /// Every source loaded, sorted by name.
    pub sources: Vec<SourceMeta>,
}
