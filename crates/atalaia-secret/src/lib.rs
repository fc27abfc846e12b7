//! Secret scanning: Trivy's secret rules, a keyword prefilter and redacted findings.
//!
//! ```text
//!   (path, bytes) or (path, reader)
//!          │
//!          ▼
//!   global allow rules on the path ──► skipped          (tests/, vendor/, *.md, …)
//!          │
//!   binary sniff (NUL in the first 8000 bytes) ──► skipped
//!          │
//!   Aho-Corasick over every rule's keywords (one pass, case-insensitive, overlapping)
//!          │  hits → windows around the hit's line, per rule, merged
//!          ▼
//!   each rule's regex on its windows only ──► allow rules on the match, exclude blocks
//!          │
//!          ▼
//!   redaction (every secret byte → `*`) ──► Vec<SecretFinding>  (Trivy's `DetectedSecret` JSON)
//! ```
//!
//! The crate does no file-system walking and no image I/O: the analyzer calls
//! [`SecretScanner::scan`] per file (or [`SecretScanner::scan_reader`] for big files, in bounded
//! chunks). [`is_skipped_path`] tells it which files Trivy never scans. Rules live in
//! `src/rules/`, one file per provider, each rule's doc comment being its documentation;
//! [`SecretConfig`] reads Trivy's `trivy-secret.yaml` for custom rules.
//!
//! The raw secret never leaves the engine: findings hold only redacted text and positions.
#![deny(missing_docs)]

mod config;
mod engine;
mod error;
mod finding;
mod redact;
mod rules;
mod skip;

pub use config::SecretConfig;
pub use engine::{is_binary, SecretScanner, SecretScannerBuilder, BINARY_SNIFF_LEN};
pub use error::SecretError;
pub use finding::{Code, Line, SecretFinding, Severity};
pub use redact::MAX_LINE_LEN;
pub use skip::{is_skipped_path, MIN_FILE_SIZE};

/// Metadata of a built-in rule, for listings and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule ID (`aws-access-key-id`).
    pub id: &'static str,
    /// The category (`AWS`).
    pub category: &'static str,
    /// The title.
    pub title: &'static str,
    /// The severity.
    pub severity: Severity,
}

/// Every built-in rule's metadata.
pub fn builtin_rules() -> impl Iterator<Item = RuleInfo> {
    rules::BUILTIN_RULES.iter().map(|r| RuleInfo {
        id: r.id,
        category: r.category,
        title: r.title,
        severity: r.severity,
    })
}

/// The built-in allow rules as `(id, description)` (the IDs are what `disable-allow-rules` takes).
pub fn builtin_allow_rules() -> impl Iterator<Item = (&'static str, &'static str)> {
    rules::BUILTIN_ALLOW_RULES
        .iter()
        .map(|r| (r.id, r.description))
}
