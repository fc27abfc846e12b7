//! What detection returns: Trivy's `DetectedVulnerability` (field names as in Trivy's JSON
//! report, plus atalaia's own fields, added and never renamed), grouped per result.

use std::collections::BTreeMap;

use std::sync::Arc;

use atalaia_types::{PackageLayer, SharedStr, SharedStrList};
use serde::{Deserialize, Serialize};

/// A severity level, ordered from `Unknown` to `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// No source rates it.
    Unknown,
    /// CVSS 0.1–3.9.
    Low,
    /// CVSS 4.0–6.9.
    Medium,
    /// CVSS 7.0–8.9.
    High,
    /// CVSS 9.0–10.0.
    Critical,
}

impl Severity {
    /// The name Trivy prints (`HIGH`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "UNKNOWN",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }

    /// Trivy's number for `VendorSeverity` (0 unknown … 4 critical).
    pub fn as_number(self) -> u8 {
        self as u8
    }

    /// Reads a vendor label: CVSS names, GHSA's `MODERATE`, Red Hat's `Important`, Debian
    /// urgencies (`unimportant` is low). `None` for labels that rate nothing
    /// (`not yet assigned`, empty).
    pub fn from_label(label: &str) -> Option<Severity> {
        let l = label.trim().to_ascii_lowercase();
        let l = l.trim_end_matches('*').trim();
        Some(match l {
            "critical" => Severity::Critical,
            "high" | "important" => Severity::High,
            "medium" | "moderate" => Severity::Medium,
            "low" | "unimportant" | "negligible" | "minor" => Severity::Low,
            _ => return None,
        })
    }

    /// Maps a CVSS base score (0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9–10 critical).
    pub fn from_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Unknown
        }
    }
}

/// Trivy's `PkgIdentifier`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PkgIdentifier {
    /// The package URL.
    #[serde(rename = "PURL", default, skip_serializing_if = "String::is_empty")]
    pub purl: String,
    /// A stable identifier of the package within the report, when one is assigned.
    #[serde(rename = "UID", default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// Where an advisory came from (Trivy's `DataSource`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DataSource {
    /// Trivy's source ID (`alpine`, `debian`, `ghsa`, `osv`, `govulndb`, …).
    #[serde(rename = "ID")]
    pub id: String,
    /// A human name.
    #[serde(rename = "Name")]
    pub name: String,
    /// Where the data is published.
    #[serde(rename = "URL")]
    pub url: String,
}

/// One source's CVSS vectors and scores (Trivy's `CVSS` map value).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[allow(missing_docs)] // each field is the CVSS version and datum it names
pub struct Cvss {
    #[serde(rename = "V2Vector", default, skip_serializing_if = "Option::is_none")]
    pub v2_vector: Option<String>,
    #[serde(rename = "V3Vector", default, skip_serializing_if = "Option::is_none")]
    pub v3_vector: Option<String>,
    #[serde(rename = "V40Vector", default, skip_serializing_if = "Option::is_none")]
    pub v40_vector: Option<String>,
    #[serde(rename = "V2Score", default, skip_serializing_if = "Option::is_none")]
    pub v2_score: Option<f64>,
    #[serde(rename = "V3Score", default, skip_serializing_if = "Option::is_none")]
    pub v3_score: Option<f64>,
    #[serde(rename = "V40Score", default, skip_serializing_if = "Option::is_none")]
    pub v40_score: Option<f64>,
}

/// A vulnerability found in one installed package: Trivy's `DetectedVulnerability`.
///
/// Text and lists that repeat across findings (one vulnerability's details in every package
/// it affects, one package's name and version in each of its findings) are shared
/// ([`SharedStr`], `Arc`), not copied: a large report is built and freed in a fraction of the
/// time. They serialise exactly as owned values would.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DetectedVulnerability {
    /// The canonical vulnerability ID (the CVE when there is one).
    #[serde(rename = "VulnerabilityID")]
    pub vulnerability_id: SharedStr,
    /// The vendors' advisory IDs that state it (`DSA-5376-1`, `PYSEC-…`, `GHSA-…`), sorted.
    #[serde(rename = "VendorIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub vendor_ids: Vec<String>,
    /// The package's ID (`name@version`).
    #[serde(rename = "PkgID", default, skip_serializing_if = "str::is_empty")]
    pub pkg_id: SharedStr,
    /// The installed (binary) package's name.
    pub pkg_name: SharedStr,
    /// The file the package was found in (jars, installed trees); empty for lockfiles.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub pkg_path: SharedStr,
    /// The package's purl.
    pub pkg_identifier: Arc<PkgIdentifier>,
    /// The installed version as the package manager writes it.
    pub installed_version: SharedStr,
    /// The smallest fix above the installed version (several, comma-separated, when the
    /// advisories name fixes on separate branches and none is above).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fixed_version: String,
    /// `fixed`, `affected`, `will_not_fix`, `fix_deferred` or `end_of_life`.
    pub status: SharedStr,
    /// The layer that installed the package.
    #[serde(default, skip_serializing_if = "PackageLayer::is_empty")]
    pub layer: Arc<PackageLayer>,
    /// The source whose rating [`DetectedVulnerability::severity`] is.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub severity_source: SharedStr,
    /// A page about the vulnerability.
    #[serde(rename = "PrimaryURL", default, skip_serializing_if = "str::is_empty")]
    pub primary_url: SharedStr,
    /// The advisory's source.
    pub data_source: Arc<DataSource>,
    /// A one-line title.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub title: SharedStr,
    /// The description.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub description: SharedStr,
    /// The severity.
    pub severity: Severity,
    /// CWE IDs.
    #[serde(
        rename = "CweIDs",
        default,
        skip_serializing_if = "SharedStrList::is_empty"
    )]
    pub cwe_ids: SharedStrList,
    /// Each source's rating (0 unknown … 4 critical).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vendor_severity: Arc<BTreeMap<String, u8>>,
    /// Each source's CVSS vectors and scores.
    #[serde(rename = "CVSS", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cvss: Arc<BTreeMap<String, Cvss>>,
    /// Reference URLs.
    #[serde(default, skip_serializing_if = "SharedStrList::is_empty")]
    pub references: SharedStrList,
    /// When it was first published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_date: Option<SharedStr>,
    /// When it was last modified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<SharedStr>,
    /// atalaia: the vulnerability is in CISA's Known Exploited Vulnerabilities catalog.
    #[serde(rename = "KEV", default, skip_serializing_if = "std::ops::Not::not")]
    pub kev: bool,
    /// atalaia: every other ID the vulnerability is known by (GHSA, PYSEC, GO, RUSTSEC…).
    #[serde(default, skip_serializing_if = "SharedStrList::is_empty")]
    pub aliases: SharedStrList,
}

/// Which part of the inventory a [`Detection`] belongs to (a Trivy `Result`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResultKey {
    /// `inventory.os_packages[index]`.
    OsPackages {
        /// Its index in [`atalaia_types::Inventory::os_packages`].
        index: usize,
        /// The package database file.
        file_path: String,
    },
    /// `inventory.applications[index]`.
    Application {
        /// Its index in [`atalaia_types::Inventory::applications`].
        index: usize,
        /// The analyzer type (`python-pkg`, `npm`, `jar`, …).
        app_type: String,
        /// The lockfile or installed tree.
        file_path: String,
    },
}

/// The findings of one result (one OS package database or one application), sorted as Trivy
/// sorts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Which result.
    pub key: ResultKey,
    /// The findings.
    pub vulnerabilities: Vec<DetectedVulnerability>,
}

/// Something detection could not evaluate, recorded instead of aborting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectWarning {
    /// The package (`name@version`), when the warning is about one.
    pub pkg_id: String,
    /// The vulnerability, when the warning is about one advisory.
    pub vulnerability_id: String,
    /// What went wrong, in one line.
    pub message: String,
}

/// Everything [`crate::detect`] found: one [`Detection`] per OS package database and per
/// application, in inventory order, and the warnings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DetectReport {
    /// One entry per OS package database, then one per application.
    pub detections: Vec<Detection>,
    /// Packages or advisories that could not be evaluated.
    pub warnings: Vec<DetectWarning>,
}

impl DetectReport {
    /// Every finding, across results.
    pub fn vulnerabilities(&self) -> impl Iterator<Item = &DetectedVulnerability> {
        self.detections
            .iter()
            .flat_map(|d| d.vulnerabilities.iter())
    }
}
