//! Suppressed findings (`--show-suppressed`): Trivy's `ExperimentalModifiedFindings`.
//!
//! Ignore files, VEX documents and `--ignore-status` hide findings. With `--show-suppressed`
//! they are not dropped but moved to their result's [`ReportResult::modified_findings`], each
//! with why (`Status` `ignored` / `not_affected` / `fixed`, the entry's `Statement`, the file it
//! came from as `Source`) and the finding itself, serialised as Trivy serialises
//! `ExperimentalModifiedFindings`. The table writer shows the suppressed vulnerabilities of a
//! result after its findings, as Trivy's `Suppressed Vulnerabilities (Total: N)` section.

use std::io::Write;

use atalaia_detect::DetectedVulnerability;
use serde::{Deserialize, Serialize};

use crate::{Report, ReportResult, ReportSecret};

/// One suppressed finding: an entry of Trivy's `ExperimentalModifiedFindings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModifiedFinding {
    /// `vulnerability` or `secret`.
    #[serde(rename = "Type")]
    pub finding_type: String,
    /// Why it is suppressed: `ignored` (an ignore file, `--ignore-status`), `not_affected` or
    /// `fixed` (a VEX statement).
    #[serde(rename = "Status")]
    pub status: String,
    /// The ignore entry's `statement` or the VEX justification; empty when none.
    #[serde(rename = "Statement")]
    pub statement: String,
    /// What suppressed it: the ignore file or VEX document as named on the command line
    /// (`CycloneDX VEX` for CycloneDX documents, as Trivy writes it), or `--ignore-status`.
    #[serde(rename = "Source")]
    pub source: String,
    /// The finding, as it would have been reported.
    #[serde(rename = "Finding")]
    pub finding: SuppressedFinding,
}

/// The finding of a [`ModifiedFinding`], serialised as the finding itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SuppressedFinding {
    /// A vulnerability.
    Vulnerability(Box<DetectedVulnerability>),
    /// A secret.
    Secret(Box<ReportSecret>),
}

/// Why a finding is suppressed, as a caller's decision function returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// See [`ModifiedFinding::status`].
    pub status: String,
    /// See [`ModifiedFinding::statement`].
    pub statement: String,
    /// See [`ModifiedFinding::source`].
    pub source: String,
}

impl ModifiedFinding {
    fn new(s: Suppression, finding: SuppressedFinding) -> ModifiedFinding {
        let finding_type = match finding {
            SuppressedFinding::Vulnerability(_) => "vulnerability",
            SuppressedFinding::Secret(_) => "secret",
        };
        ModifiedFinding {
            finding_type: finding_type.to_owned(),
            status: s.status,
            statement: s.statement,
            source: s.source,
            finding,
        }
    }

    /// The vulnerability, when this is one.
    pub fn vulnerability(&self) -> Option<&DetectedVulnerability> {
        match &self.finding {
            SuppressedFinding::Vulnerability(v) => Some(v),
            SuppressedFinding::Secret(_) => None,
        }
    }
}

/// Splits `items` into those kept and those `decide` suppresses (in input order).
fn split<T>(
    items: Vec<T>,
    mut decide: impl FnMut(&T) -> Option<Suppression>,
) -> (Vec<T>, Vec<(Suppression, T)>) {
    let mut kept = Vec::with_capacity(items.len());
    let mut gone = Vec::new();
    for item in items {
        match decide(&item) {
            Some(s) => gone.push((s, item)),
            None => kept.push(item),
        }
    }
    (kept, gone)
}

impl Report {
    /// Removes the findings the decision functions suppress (each is given the result's
    /// `Target` and the finding). With `keep`, they move to their result's
    /// [`ReportResult::modified_findings`] (`--show-suppressed`), after those already there;
    /// otherwise they are dropped. Returns how many were suppressed.
    pub fn suppress_findings(
        &mut self,
        mut vulnerability: impl FnMut(&str, &DetectedVulnerability) -> Option<Suppression>,
        mut secret: impl FnMut(&str, &ReportSecret) -> Option<Suppression>,
        keep: bool,
    ) -> usize {
        let mut count = 0;
        for r in &mut self.results {
            let target = r.target.as_str();
            let (kept, gone) = split(std::mem::take(&mut r.vulnerabilities), |v| {
                vulnerability(target, v)
            });
            r.vulnerabilities = kept;
            count += gone.len();
            let mut modified: Vec<ModifiedFinding> = gone
                .into_iter()
                .map(|(s, v)| ModifiedFinding::new(s, SuppressedFinding::Vulnerability(v.into())))
                .collect();
            let (kept, gone) = split(std::mem::take(&mut r.secrets), |s| secret(target, s));
            r.secrets = kept;
            count += gone.len();
            modified.extend(
                gone.into_iter()
                    .map(|(s, x)| ModifiedFinding::new(s, SuppressedFinding::Secret(x.into()))),
            );
            if keep {
                r.modified_findings.extend(modified);
            }
        }
        count
    }
}

/// The suppressed vulnerabilities of a result.
pub(crate) fn suppressed_vulnerabilities(
    r: &ReportResult,
) -> impl Iterator<Item = (&ModifiedFinding, &DetectedVulnerability)> {
    r.modified_findings
        .iter()
        .filter_map(|m| m.vulnerability().map(|v| (m, v)))
}

/// Trivy's `Suppressed Vulnerabilities (Total: N)` section of a result's table output:
/// `Library`, `Vulnerability`, `Severity`, `Status`, `Statement` (`N/A` when none), `Source`.
/// Nothing when the result has no suppressed vulnerability.
pub(crate) fn write_table(
    r: &ReportResult,
    library: impl Fn(&DetectedVulnerability) -> String,
    render: impl Fn(&comfy_table::Table) -> String,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rows: Vec<_> = suppressed_vulnerabilities(r).collect();
    if rows.is_empty() {
        return Ok(());
    }
    let title = format!("Suppressed Vulnerabilities (Total: {})", rows.len());
    writeln!(out)?;
    writeln!(out, "{title}")?;
    writeln!(out, "{}", "=".repeat(title.chars().count()))?;
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header([
            "Library",
            "Vulnerability",
            "Severity",
            "Status",
            "Statement",
            "Source",
        ]);
    for (m, v) in rows {
        let statement = if m.statement.is_empty() {
            "N/A".to_owned()
        } else {
            m.statement.replace(['\n', '\r'], " ")
        };
        t.add_row(vec![
            library(v),
            v.vulnerability_id.to_string(),
            v.severity.as_str().to_owned(),
            m.status.clone(),
            statement,
            m.source.clone(),
        ]);
    }
    writeln!(out, "{}", render(&t))
}
