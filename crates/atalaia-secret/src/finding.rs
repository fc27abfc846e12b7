//! Findings, serialised with the field names of Trivy's `DetectedSecret` JSON.

use serde::{Deserialize, Serialize};

/// The severity of a rule, written in upper case as Trivy does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// No severity given (Trivy's `UNKNOWN`).
    Unknown,
    /// `LOW`.
    Low,
    /// `MEDIUM`.
    Medium,
    /// `HIGH`.
    High,
    /// `CRITICAL`.
    Critical,
}

impl Severity {
    /// Parses a severity in any case (`high`, `HIGH`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_uppercase().as_str() {
            "UNKNOWN" => Some(Severity::Unknown),
            "LOW" => Some(Severity::Low),
            "MEDIUM" => Some(Severity::Medium),
            "HIGH" => Some(Severity::High),
            "CRITICAL" => Some(Severity::Critical),
            _ => None,
        }
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "UNKNOWN",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One secret found in a file. The secret itself is never stored: the `Match` line
/// and [`Code`] hold the text around it with every secret byte replaced by `*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecretFinding {
    /// The rule that matched (`aws-access-key-id`).
    #[serde(rename = "RuleID")]
    pub rule_id: String,
    /// The rule's category (`AWS`).
    pub category: String,
    /// The rule's severity.
    pub severity: Severity,
    /// The rule's title.
    pub title: String,
    /// The 1-based line where the secret starts.
    pub start_line: usize,
    /// The 1-based line where the secret ends.
    pub end_line: usize,
    /// The lines around the secret, redacted.
    pub code: Code,
    /// The line holding the start of the secret, redacted; for lines over 100 bytes, the part from
    /// 30 bytes before the secret to 20 bytes after it (as Trivy).
    pub r#match: String,
    /// The byte offset of the secret in the file (omitted when 0, as Trivy).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Context lines of a finding (Trivy's `Code`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Code {
    /// Two lines before the secret, its lines, one line after.
    pub lines: Vec<Line>,
}

/// One context line (Trivy's `Line`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Line {
    /// The 1-based line number.
    pub number: usize,
    /// The redacted text (without the newline; lines over 100 bytes are cut as Trivy does).
    pub content: String,
    /// Whether the secret is on this line.
    pub is_cause: bool,
    /// Always empty for secrets (Trivy fills it for misconfigurations).
    pub annotation: String,
    /// Always `false`, as Trivy writes it for secrets.
    pub truncated: bool,
    /// The same text as `content` (Trivy's field; omitted when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub highlighted: String,
    /// Whether this is the first line of the secret.
    pub first_cause: bool,
    /// Whether this is the last line of the secret.
    pub last_cause: bool,
}
