//! The misconfiguration part of the table writer, laid out as Trivy lays it out.
//!
//! For a `config` result (header `<Target> (<Type>)`, written by the table writer):
//!
//! ```text
//! Tests: 27 (SUCCESSES: 23, FAILURES: 4)
//! Failures: 4 (UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 2, CRITICAL: 0)
//!
//! DS-0001 (MEDIUM): Specify a tag in the 'FROM' statement for image 'alpine'
//! ════════════════════════════════════════
//! When using a 'FROM' statement you should use a specific tag …
//!
//! See https://avd.aquasec.com/misconfig/ds-0001
//! ────────────────────────────────────────
//!  app/Dockerfile:1
//! ────────────────────────────────────────
//!    1 [ FROM alpine:latest
//! ────────────────────────────────────────
//! ```
//!
//! One block per failure, in the result's order: `ID (SEVERITY): message` (the message says
//! what is wrong *here*; Trivy puts it in this line), a double rule, the check's description,
//! the link, then — when the failure points at lines — `target:start[-end]` and the code with
//! line numbers between single rules, the cause's lines marked `[` (one line) or `┌ │ └`.
//! `Failures:` counts only the severities the table shows; passes are counted in `Tests:`.
//!
//! After the results, [`write_coverage`] writes atalaia's coverage record: files found,
//! evaluated, and each file not evaluated with the reason.

use std::io::Write;

use atalaia_detect::Severity;
use atalaia_misconfig::{Misconfiguration, Status};

use crate::{MisconfCoverage, ReportResult, ResultClass};

/// Width of the rules, as Trivy draws them when not writing to a terminal.
const RULE_WIDTH: usize = 40;

/// Every severity, in Trivy's order.
const SEVERITIES: [Severity; 5] = [
    Severity::Unknown,
    Severity::Low,
    Severity::Medium,
    Severity::High,
    Severity::Critical,
];

fn severity_name(s: atalaia_misconfig::Severity) -> &'static str {
    match s {
        atalaia_misconfig::Severity::Unknown => "UNKNOWN",
        atalaia_misconfig::Severity::Low => "LOW",
        atalaia_misconfig::Severity::Medium => "MEDIUM",
        atalaia_misconfig::Severity::High => "HIGH",
        atalaia_misconfig::Severity::Critical => "CRITICAL",
    }
}

fn color_code(name: &str) -> &'static str {
    match name {
        "UNKNOWN" => "\x1b[36m",
        "LOW" => "\x1b[34m",
        "MEDIUM" => "\x1b[33m",
        "HIGH" => "\x1b[91m",
        _ => "\x1b[31m",
    }
}

/// Whether any result of the report is a `config` result (the summary then has a
/// `Misconfigurations` column).
pub(crate) fn has_config(results: &[ReportResult]) -> bool {
    results.iter().any(|r| r.class == ResultClass::Config)
}

fn failures(r: &ReportResult) -> impl Iterator<Item = &Misconfiguration> {
    r.misconfigurations
        .iter()
        .filter(|m| m.status == Status::Fail)
}

/// The summary cell of a result: its failures for a `config` result, `-` for the others.
pub(crate) fn summary_cell(r: &ReportResult) -> String {
    if r.class == ResultClass::Config {
        failures(r).count().to_string()
    } else {
        "-".to_owned()
    }
}

/// Writes the body of a `config` result (everything under its header).
pub(crate) fn write_result(
    r: &ReportResult,
    shown: &[Severity],
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let summary = r.misconf_summary.unwrap_or_default();
    let failed: Vec<&Misconfiguration> = failures(r).collect();
    // Failures the filter left (the summary counts them before severity filtering, as Trivy).
    writeln!(
        out,
        "Tests: {} (SUCCESSES: {}, FAILURES: {})",
        summary.successes + summary.failures,
        summary.successes,
        summary.failures
    )?;
    let mut counts = [0usize; 5];
    for m in &failed {
        let name = severity_name(m.severity);
        if let Some(i) = SEVERITIES.iter().position(|s| s.as_str() == name) {
            counts[i] += 1;
        }
    }
    let mut total = 0;
    let mut parts = Vec::new();
    for (i, sev) in SEVERITIES.iter().enumerate() {
        if shown.contains(sev) {
            total += counts[i];
            parts.push(format!("{}: {}", sev.as_str(), counts[i]));
        }
    }
    writeln!(out, "Failures: {total} ({})", parts.join(", "))?;
    for m in failed {
        let name = severity_name(m.severity);
        if !shown.iter().any(|s| s.as_str() == name) {
            continue;
        }
        writeln!(out)?;
        write_failure(&r.target, m, color, out)?;
    }
    Ok(())
}

fn write_failure(
    target: &str,
    m: &Misconfiguration,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let name = severity_name(m.severity);
    let severity = if color {
        format!("{}{name}\x1b[0m", color_code(name))
    } else {
        name.to_owned()
    };
    let headline = if m.message.is_empty() {
        &m.title
    } else {
        &m.message
    };
    writeln!(out, "{} ({severity}): {}", m.id, one_line(headline))?;
    writeln!(out, "{}", "═".repeat(RULE_WIDTH))?;
    if !m.description.is_empty() {
        writeln!(out, "{}", m.description.trim_end())?;
        writeln!(out)?;
    }
    if !m.primary_url.is_empty() {
        writeln!(out, "See {}", m.primary_url)?;
    }
    let single = "─".repeat(RULE_WIDTH);
    writeln!(out, "{single}")?;
    let cause = &m.cause_metadata;
    if cause.start_line > 0 {
        let lines = if cause.end_line > cause.start_line {
            format!("{}-{}", cause.start_line, cause.end_line)
        } else {
            cause.start_line.to_string()
        };
        writeln!(out, " {target}:{lines}")?;
        writeln!(out, "{single}")?;
        let code = &cause.code.lines;
        for (i, line) in code.iter().enumerate() {
            if line.truncated {
                let dots = ".".repeat(line.number.to_string().len());
                writeln!(out, "{dots:>4}   {}", line.content)?;
            } else if line.is_cause {
                let mark = if (line.first_cause && line.last_cause) || code.len() == 1 {
                    '['
                } else if line.first_cause || i == 0 {
                    '┌'
                } else if line.last_cause || i + 1 == code.len() {
                    '└'
                } else {
                    '│'
                };
                writeln!(out, "{:>4} {mark} {}", line.number, line.content)?;
            } else {
                writeln!(out, "{:>4}   {}", line.number, line.content)?;
            }
        }
        if !code.is_empty() {
            writeln!(out, "{single}")?;
        }
    }
    writeln!(out)?;
    Ok(())
}

/// A message on one line (a message spanning lines would break the layout).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the coverage record: `Misconfiguration coverage` underlined, the one-line summary,
/// then one `- path: reason` line per file not evaluated.
pub(crate) fn write_coverage(cov: &MisconfCoverage, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Misconfiguration coverage")?;
    writeln!(out, "=========================")?;
    writeln!(out, "{cov}")?;
    for f in &cov.not_evaluated {
        writeln!(out, "- `{}`: {}", f.path, one_line(&f.reason))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_misconfig::{CauseMetadata, Code, Line, MisconfSummary};

    fn line(number: usize, content: &str, first: bool, last: bool) -> Line {
        Line {
            number,
            content: content.to_owned(),
            is_cause: true,
            annotation: String::new(),
            truncated: false,
            first_cause: first,
            last_cause: last,
        }
    }

    fn misconf(
        id: &str,
        severity: atalaia_misconfig::Severity,
        lines: Vec<Line>,
    ) -> Misconfiguration {
        Misconfiguration {
            check_type: "Dockerfile Security Check".into(),
            id: id.into(),
            avd_id: format!("AVD-{id}"),
            short_id: String::new(),
            title: "A title".into(),
            description: "Why it matters.".into(),
            message: "What is wrong\nhere".into(),
            namespace: String::new(),
            query: String::new(),
            resolution: String::new(),
            severity,
            primary_url: format!("https://avd.aquasec.com/misconfig/{}", id.to_lowercase()),
            references: Vec::new(),
            status: Status::Fail,
            cause_metadata: CauseMetadata {
                provider: "Dockerfile".into(),
                service: "general".into(),
                start_line: lines.first().map_or(0, |l| l.number),
                end_line: lines.last().map_or(0, |l| l.number),
                code: Code { lines },
            },
            layer: None,
        }
    }

    #[test]
    fn multi_line_causes_get_brackets_and_filters_apply() {
        let r = ReportResult::config(
            "Dockerfile".into(),
            "dockerfile".into(),
            MisconfSummary {
                successes: 1,
                failures: 2,
            },
            vec![
                misconf(
                    "DS-0029",
                    atalaia_misconfig::Severity::High,
                    vec![
                        line(2, "RUN a \\", true, false),
                        line(3, "  b \\", false, false),
                        line(4, "  c", false, true),
                    ],
                ),
                misconf("DS-0026", atalaia_misconfig::Severity::Low, Vec::new()),
            ],
        );
        let mut out = Vec::new();
        write_result(&r, &[Severity::High], false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Tests: 3 (SUCCESSES: 1, FAILURES: 2)\nFailures: 1 (HIGH: 1)\n"));
        assert!(
            text.contains("DS-0029 (HIGH): What is wrong here\n"),
            "{text}"
        );
        assert!(text.contains(" Dockerfile:2-4\n"), "{text}");
        assert!(
            text.contains("   2 ┌ RUN a \\\n   3 │   b \\\n   4 └   c\n"),
            "{text}"
        );
        assert!(!text.contains("DS-0026"), "{text}");
        assert_eq!(summary_cell(&r), "2");
        let mut out = Vec::new();
        write_result(&r, &SEVERITIES, true, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("DS-0026 (\x1b[34mLOW\x1b[0m)"), "{text}");
    }
}
