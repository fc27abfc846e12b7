//! Misconfiguration scanning for Dockerfiles, Kubernetes manifests, Docker Compose files,
//! Terraform / OpenTofu modules and CloudFormation templates.
//!
//! ```text
//! bytes ──► detect kind ──► parser (line numbers kept) ──► checks (one file each) ──► FileResult
//!            (name, content)  dockerfile · yaml/kubernetes · compose      Trivy IDs      findings + passes
//! ```
//!
//! The checks carry Trivy's IDs (`DS-0002`, `KSV-0001`, with the `AVD-` and short `DS002`
//! forms), severities, titles, descriptions and resolutions, so ignore files carry over, and
//! the findings serialise in the shape of Trivy's `Misconfigurations` JSON. Every file that
//! looks like configuration is accounted for: evaluated, or not evaluated with a reason
//! ([`Coverage`]).
//!
//! Terraform is evaluated per module (directory): [`scan_dir`] groups the `.tf` files of each
//! directory and follows local module calls; [`scan_file`] on a lone `.tf` file evaluates it as
//! a module of its own.
//!
//! Helm charts are rendered first ([`helm`], through the Go template engine [`gotmpl`]) and
//! their manifests checked with the Kubernetes checks; [`scan_dir`] finds charts by their
//! `Chart.yaml`, and a chart that cannot be rendered is listed in [`Coverage`] with the reason.
//!
//! Entry points: [`scan_file`] for one file's bytes, [`scan_dir`] for a directory tree,
//! [`imgconf::scan_image_config`] for an image's config (its history rebuilt as a Dockerfile).
#![deny(missing_docs)]

use std::path::Path;

use serde::Serialize;

mod checks;
mod cloud;
pub mod cloudformation;
pub mod compose;
pub mod custom;
pub mod dockerfile;
mod engine;
mod error;
pub mod gotmpl;
pub mod helm;
pub mod imgconf;
pub mod kubernetes;
pub mod terraform;
mod terraform_aws;
mod walk;
pub mod yaml;

pub use custom::{CustomCheckError, CustomChecks};
pub use engine::{scan_file, FileKind, FileResult, NotEvaluated};
pub use error::Error;
pub use walk::{scan_dir, Coverage, Scan, SkippedFile};

/// Severity of a check, as Trivy names it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// Unknown.
    Unknown,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// Result status of one check on one cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
}

/// Scan options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Also return a `PASS` entry per check that passed (Trivy's `--include-non-failures`).
    pub include_non_failures: bool,
    /// Files larger than this are not evaluated (reason [`NotEvaluated::TooLarge`]).
    pub max_file_bytes: u64,
    /// Lines of code attached to each finding at most (Trivy shows the cause's lines).
    pub max_code_lines: usize,
    /// Custom Rego checks: `.rego` files or directories of them (Trivy's `--config-check`),
    /// loaded by [`scan_dir`] (see [`custom`]).
    pub custom_checks: Vec<std::path::PathBuf>,
    /// The Rego namespaces whose packages run as custom checks (Trivy's
    /// `--check-namespaces`); `user` by default.
    pub check_namespaces: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            include_non_failures: false,
            max_file_bytes: 10 << 20,
            max_code_lines: 200,
            custom_checks: Vec::new(),
            check_namespaces: vec!["user".to_string()],
        }
    }
}

/// One check result, in the shape of an entry of Trivy's `Misconfigurations` array.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Misconfiguration {
    /// `Dockerfile Security Check`, `Kubernetes Security Check`...
    #[serde(rename = "Type")]
    pub check_type: String,
    /// Trivy's ID, e.g. `DS-0002`.
    #[serde(rename = "ID")]
    pub id: String,
    /// The AVD ID, e.g. `AVD-DS-0002`.
    #[serde(rename = "AVDID")]
    pub avd_id: String,
    /// The legacy short ID, e.g. `DS002` (an atalaia addition).
    #[serde(rename = "ShortID")]
    pub short_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// What is wrong here.
    pub message: String,
    /// Rego namespace, e.g. `builtin.dockerfile.DS002`.
    pub namespace: String,
    /// Rego query, e.g. `data.builtin.dockerfile.DS002.deny`.
    pub query: String,
    /// How to fix it.
    pub resolution: String,
    /// Severity.
    pub severity: Severity,
    /// `https://avd.aquasec.com/misconfig/<id>`.
    #[serde(rename = "PrimaryURL")]
    pub primary_url: String,
    /// References.
    pub references: Vec<String>,
    /// PASS or FAIL.
    pub status: Status,
    /// Where.
    pub cause_metadata: CauseMetadata,
    /// The image layer that last wrote the file (images only), as Trivy's `Layer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<MisconfLayer>,
}

/// The image layer a checked file comes from (Trivy's `Layer` of a misconfiguration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MisconfLayer {
    /// The digest of the layer blob as stored, when known (`sha256:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The digest of the uncompressed layer tar (`sha256:…`).
    #[serde(default, rename = "DiffID", skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
}

/// Where a result points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CauseMetadata {
    /// `Dockerfile`, `Kubernetes`, `Compose`.
    pub provider: String,
    /// `general`.
    pub service: String,
    /// First line (1-based); 0 for whole-file results (then omitted in JSON, as Trivy does).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_line: usize,
    /// Last line (inclusive); 0 for whole-file results.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub end_line: usize,
    /// The lines of code.
    #[serde(default, skip_serializing_if = "Code::is_empty")]
    pub code: Code,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Code lines of a cause.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Code {
    /// The lines.
    pub lines: Vec<Line>,
}

impl Code {
    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// One line of code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// The text.
    pub content: String,
    /// Whether the line is part of the cause.
    pub is_cause: bool,
    /// Annotation (unused, empty).
    pub annotation: String,
    /// Whether the code was cut after this line.
    pub truncated: bool,
    /// First line of the cause.
    pub first_cause: bool,
    /// Last line of the cause.
    pub last_cause: bool,
}

/// Passes and failures of one file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MisconfSummary {
    /// Checks that passed.
    pub successes: usize,
    /// Failures found.
    pub failures: usize,
}

/// Look a built-in check up by any of its IDs (`DS-0002`, `AVD-DS-0002`, `DS002`), returning
/// its canonical ID.
pub fn canonical_id(any: &str) -> Option<&'static str> {
    checks::all_meta()
        .find(|m| {
            m.id.eq_ignore_ascii_case(any)
                || m.avd_id.eq_ignore_ascii_case(any)
                || m.short_id.eq_ignore_ascii_case(any)
        })
        .map(|m| m.id)
}

/// The IDs of every built-in check, in registry order.
pub fn check_ids() -> Vec<&'static str> {
    checks::all_meta().map(|m| m.id).collect()
}

/// Whether a path (by its file name) is a candidate configuration file of a kind this crate
/// knows about (used to count files found).
pub fn is_candidate(path: &Path) -> bool {
    engine::candidate_kind(&path.to_string_lossy()).is_some()
}
