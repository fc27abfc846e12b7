//! The report model: Trivy's JSON report schema (`SchemaVersion` 2), field for field.
//!
//! Field names and omission rules follow Trivy's `pkg/types/report.go` and
//! `pkg/fanal/types/package.go`: a field Trivy tags `omitempty` is left out here when it is empty
//! (`skip_serializing_if`), so that a report with no findings looks like Trivy's. atalaia adds
//! fields (such as [`Report::warnings`]) but never renames one of Trivy's.

use atalaia_types::{ArtifactKind, LayerInfo, Location, PackageLayer, Relationship, ScanWarning};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The report schema version, as Trivy numbers it.
pub const SCHEMA_VERSION: u32 = 2;

/// A scan report: what was scanned and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// When the report was made (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The artifact as the user named it (`alpine:3.20`, a path).
    pub artifact_name: String,
    /// What kind of artifact it is (`container_image`, `filesystem`, …).
    pub artifact_type: ArtifactKind,
    /// What is known about the artifact.
    pub metadata: Metadata,
    /// One result per scanned target (the OS packages, each application).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ReportResult>,
    /// atalaia extra: files and layers that could not be fully analysed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ScanWarning>,
    /// atalaia extra: the misconfiguration scanner's coverage (files found, evaluated, not
    /// evaluated and why); only when that scanner ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misconf_coverage: Option<crate::MisconfCoverage>,
}

/// Trivy's `Metadata`: the artifact's size, OS, image identity and layers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Metadata {
    /// Total size of the layers, in bytes; left out when 0.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub size: u64,
    /// The detected OS.
    #[serde(default, rename = "OS", skip_serializing_if = "Option::is_none")]
    pub os: Option<Os>,
    /// The image ID (the config blob digest).
    #[serde(default, rename = "ImageID", skip_serializing_if = "String::is_empty")]
    pub image_id: String,
    /// The layer diff IDs, lowest first.
    #[serde(default, rename = "DiffIDs", skip_serializing_if = "Vec::is_empty")]
    pub diff_ids: Vec<String>,
    /// Tags the image is known by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    /// Digests the image is known by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_digests: Vec<String>,
    /// The image config, passed through unchanged.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub image_config: serde_json::Value,
    /// The layers, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerInfo>,
    /// Git facts of a repository (`RepoURL`, `Branch`, `Commit`, …), each left out when empty.
    #[serde(flatten)]
    pub repo: crate::RepoMetadata,
}

/// Trivy's `Metadata.OS`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Os {
    /// The family (`alpine`, `debian`).
    pub family: String,
    /// The release (`3.20.3`, `12.8`).
    pub name: String,
    /// Whether the release is past its end of service life; left out unless it is.
    #[serde(default, rename = "EOSL", skip_serializing_if = "std::ops::Not::not")]
    pub eosl: bool,
}

/// What a result is about (Trivy's `ResultClass`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResultClass {
    /// Packages of the operating system.
    #[serde(rename = "os-pkgs")]
    OsPkgs,
    /// Packages of a language ecosystem.
    #[serde(rename = "lang-pkgs")]
    LangPkgs,
    /// Secrets found in a file (or in the image config).
    #[serde(rename = "secret")]
    Secret,
    /// Misconfigurations of a configuration file (Dockerfile, Kubernetes, Terraform, …).
    #[serde(rename = "config")]
    Config,
}

impl ResultClass {
    /// The name Trivy writes.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultClass::OsPkgs => "os-pkgs",
            ResultClass::LangPkgs => "lang-pkgs",
            ResultClass::Secret => "secret",
            ResultClass::Config => "config",
        }
    }
}

/// One scanned target (Trivy's `Result`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReportResult {
    /// What was scanned: `<artifact> (<family> <release>)` for OS packages, a file path or an
    /// ecosystem's display name (`Python`, `Node.js`) for language packages.
    pub target: String,
    /// The class of the result.
    pub class: ResultClass,
    /// The OS family or the application type (`debian`, `python-pkg`, `npm`); left out when unknown.
    #[serde(default, rename = "Type", skip_serializing_if = "String::is_empty")]
    pub ty: String,
    /// The packages (with `--list-all-pkgs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<ReportPackage>,
    /// The vulnerabilities found in the packages, sorted as Trivy sorts them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerabilities: Vec<atalaia_detect::DetectedVulnerability>,
    /// Checks passed and failed (class `config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misconf_summary: Option<atalaia_misconfig::MisconfSummary>,
    /// The misconfigurations found in the target (class `config`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misconfigurations: Vec<atalaia_misconfig::Misconfiguration>,
    /// The secrets found in the target (class `secret`), redacted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<ReportSecret>,
    /// Findings suppressed by ignore files, VEX documents or `--ignore-status`, kept with
    /// `--show-suppressed` (Trivy's `ExperimentalModifiedFindings`).
    #[serde(
        default,
        rename = "ExperimentalModifiedFindings",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub modified_findings: Vec<crate::ModifiedFinding>,
}

impl ReportResult {
    /// A `secret` result for one file (Trivy: one result per file, `Target` = its path).
    pub fn secret(target: String, secrets: Vec<ReportSecret>) -> ReportResult {
        ReportResult {
            target,
            class: ResultClass::Secret,
            ty: String::new(),
            packages: Vec::new(),
            vulnerabilities: Vec::new(),
            misconf_summary: None,
            misconfigurations: Vec::new(),
            secrets,
            modified_findings: Vec::new(),
        }
    }

    /// A `config` result for one evaluated configuration file (Trivy: `Target` = its path,
    /// `Type` = `dockerfile`, `kubernetes`, `terraform`, …).
    pub fn config(
        target: String,
        ty: String,
        summary: atalaia_misconfig::MisconfSummary,
        misconfigurations: Vec<atalaia_misconfig::Misconfiguration>,
    ) -> ReportResult {
        ReportResult {
            target,
            class: ResultClass::Config,
            ty,
            packages: Vec::new(),
            vulnerabilities: Vec::new(),
            misconf_summary: Some(summary),
            misconfigurations,
            secrets: Vec::new(),
            modified_findings: Vec::new(),
        }
    }
}

/// One secret (Trivy's `DetectedSecret`, field for field, with the raw secret redacted), plus
/// atalaia's `Deleted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReportSecret {
    /// The finding: `RuleID`, `Category`, `Severity`, `Title`, `StartLine`, `EndLine`, `Code`,
    /// `Match`, `Offset`.
    #[serde(flatten)]
    pub finding: atalaia_secret::SecretFinding,
    /// The layer holding the file (images).
    #[serde(default, skip_serializing_if = "PackageLayer::is_empty")]
    pub layer: PackageLayer,
    /// atalaia extra: a later layer deleted or replaced the file, yet the secret is still in the
    /// image (in this layer).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// How a package is identified across tools (Trivy's `PkgIdentifier`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PkgIdentifier {
    /// The package URL.
    #[serde(default, rename = "PURL", skip_serializing_if = "String::is_empty")]
    pub purl: String,
    /// A stable ID of this package in this artifact: see [`crate::package_uid`].
    #[serde(default, rename = "UID", skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// One package of a result (Trivy's `Package`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReportPackage {
    /// `name@version`, unique inside a result.
    #[serde(default, rename = "ID", skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The name.
    pub name: String,
    /// purl and UID.
    pub identifier: PkgIdentifier,
    /// The version (dpkg and rpm: without epoch and release).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// The release (dpkg revision, rpm release).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release: String,
    /// The epoch.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub epoch: u32,
    /// The architecture.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub arch: String,
    /// Whether only development needs it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dev: bool,
    /// The source package.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub src_name: String,
    /// The source package's version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub src_version: String,
    /// The source package's release.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub src_release: String,
    /// The source package's epoch.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub src_epoch: u32,
    /// Licenses as declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// The maintainer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub maintainer: String,
    /// How the package relates to its project; left out when unknown, as Trivy does.
    #[serde(default, skip_serializing_if = "is_unknown")]
    pub relationship: Relationship,
    /// IDs of the packages it depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// The layer that introduced it.
    #[serde(default, skip_serializing_if = "PackageLayer::is_empty")]
    pub layer: PackageLayer,
    /// The file it was found in (installed trees, nested jars).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file_path: String,
    /// A content digest of its file (`sha1:…`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
    /// Lines of the lockfile that declare it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Files it installed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub installed_files: Vec<String>,
    /// atalaia extra: the OS package that installed this language package's file (a
    /// Debian-packaged Go binary), by ID; Trivy leaves such packages out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owned_by: String,
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

fn is_unknown(r: &Relationship) -> bool {
    *r == Relationship::Unknown
}
