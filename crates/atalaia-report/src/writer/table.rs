//! The table writer: what a person reads in a terminal.
//!
//! Layout:
//!
//! 1. `Report Summary`: one row per result with its target, type, number of packages (`-` when
//!    the report was built without package lists), and, when those scanners ran, the number of
//!    vulnerabilities and secrets (`-` for a result the scanner does not apply to).
//! 2. Per result, Trivy's header: the target (an OS result's target already reads
//!    `<artifact> (<family> <release>)`), followed by ` (<Type>)` for application results,
//!    underlined with `=` to its width.
//! 3. With vulnerability scanning ([`TableOptions::vulnerabilities`]), as Trivy: application
//!    results without findings are left out; every other result gets Trivy's line
//!    `Total: N (UNKNOWN: a, LOW: b, MEDIUM: c, HIGH: d, CRITICAL: e)` (only the severities
//!    [`TableOptions::severities`] selects, `N` being their sum) and a table of its findings:
//!    `Library` (with the file name of `PkgPath` in parentheses, as Trivy shows jars),
//!    `Vulnerability`, `Severity`, `Status`, `Installed Version`, `Fixed Version`, `Title`
//!    (cut after 12 words, with the `PrimaryURL` on a second line), in the report's order
//!    (Trivy's: package name, package ID, installed version, severity descending, ID).
//! 4. Without it, when the report lists packages (built with `list_all_pkgs`),
//!    `Total: N packages` and a table of the result's packages: `Package`,
//!    `Version` (the full version as the package manager writes it, `epoch:version-release`),
//!    `Path` when any package of the result records its own file (installed trees, nested jars),
//!    and `Layer` (the layer's diff ID, shortened to 12 hex digits) when any package records one.
//! 5. For a `secret` result (header `<Target> (secrets)`): Trivy's `Total:` line and a table of
//!    its secrets: `Category`, `Title`, `Severity`, `Line`, `Match` (redacted, as every secret
//!    field is), and `Layer` / `Deleted` for images.
//! 6. For a `config` result: Trivy's `Tests:` and `Failures:` lines and one block per failure
//!    (see `table_misconf`); the summary then has a `Misconfigurations` column. After the
//!    results, the misconfiguration coverage record when the report carries one.
//!    Then, when the result has suppressed vulnerabilities (`--show-suppressed`), Trivy's
//!    `Suppressed Vulnerabilities (Total: N)` section: `Library`, `Vulnerability`, `Severity`,
//!    `Status`, `Statement` (`N/A` when none), `Source`.
//! 7. `Warnings` (atalaia extra), one line each, when analysis recorded any.
//!
//! Tables are drawn with comfy-table's condensed UTF-8 preset (no lines between rows) at their
//! natural width (no wrapping), so output piped to a file is stable. Severities are coloured
//! (Trivy's colours) only with [`TableOptions::color`], which the CLI sets for a terminal.

use std::io::Write;

use atalaia_detect::{DetectedVulnerability, Severity};
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

use crate::{Report, ReportError, ReportPackage, ReportResult, ReportSecret, ResultClass};

/// Every severity, in Trivy's order.
const ALL_SEVERITIES: [Severity; 5] = [
    Severity::Unknown,
    Severity::Low,
    Severity::Medium,
    Severity::High,
    Severity::Critical,
];

/// Choices of the table writer beyond the report itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableOptions {
    /// The severities `Total:` lines count (Trivy prints those `--severity` selects); empty
    /// counts all five.
    pub severities: Vec<Severity>,
    /// Whether vulnerability scanning ran: results then show their findings (and `Total: 0`
    /// when clean) instead of their packages.
    pub vulnerabilities: bool,
    /// Colour severities with ANSI escapes (for a terminal; never when writing to a file).
    pub color: bool,
}

impl TableOptions {
    fn shown_severities(&self) -> Vec<Severity> {
        ALL_SEVERITIES
            .into_iter()
            .filter(|s| self.severities.is_empty() || self.severities.contains(s))
            .collect()
    }
}

fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().copied());
    t
}

/// The version as the package manager writes it: `epoch:version-release`.
fn full_version(p: &ReportPackage) -> String {
    let mut s = String::new();
    if p.epoch != 0 {
        s.push_str(&p.epoch.to_string());
        s.push(':');
    }
    s.push_str(&p.version);
    if !p.release.is_empty() {
        s.push('-');
        s.push_str(&p.release);
    }
    s
}

fn short_layer(p: &ReportPackage) -> String {
    short_digest(&p.layer)
}

fn short_digest(layer: &atalaia_types::PackageLayer) -> String {
    match layer.diff_id.as_ref().or(layer.digest.as_ref()) {
        Some(d) => format!("{}:{}", d.algorithm(), &d.hex()[..d.hex().len().min(12)]),
        None => String::new(),
    }
}

fn result_header(r: &ReportResult) -> String {
    if r.class == ResultClass::Secret {
        format!("{} (secrets)", r.target)
    } else if r.ty.is_empty() || r.class == ResultClass::OsPkgs {
        r.target.clone()
    } else {
        format!("{} ({})", r.target, r.ty)
    }
}

fn package_table(r: &ReportResult) -> Table {
    let with_path = r.packages.iter().any(|p| !p.file_path.is_empty());
    let with_layer = r.packages.iter().any(|p| !p.layer.is_empty());
    let mut header = vec!["Package", "Version"];
    if with_path {
        header.push("Path");
    }
    if with_layer {
        header.push("Layer");
    }
    let mut t = new_table(&header);
    for p in &r.packages {
        let mut row = vec![p.name.clone(), full_version(p)];
        if with_path {
            row.push(p.file_path.clone());
        }
        if with_layer {
            row.push(short_layer(p));
        }
        t.add_row(row);
    }
    t
}

/// Trivy's count line: `Total: N (LOW: a, …)` over the shown severities, `N` their sum.
fn total_line<'a>(severities: impl Iterator<Item = &'a str>, shown: &[Severity]) -> String {
    let mut counts = [0usize; 5];
    for s in severities {
        if let Some(i) = ALL_SEVERITIES.iter().position(|x| x.as_str() == s) {
            counts[i] += 1;
        }
    }
    let mut total = 0;
    let mut parts = Vec::new();
    for (i, sev) in ALL_SEVERITIES.iter().enumerate() {
        if shown.contains(sev) {
            total += counts[i];
            parts.push(format!("{}: {}", sev.as_str(), counts[i]));
        }
    }
    format!("Total: {total} ({})", parts.join(", "))
}

/// The `Library` cell: the package name, and the file of `PkgPath` as Trivy shows it (the
/// outermost jar of a nested path, else the file name).
fn library(v: &DetectedVulnerability) -> String {
    if v.pkg_path.is_empty() {
        return v.pkg_name.to_string();
    }
    let root = v
        .pkg_path
        .split_once(".jar/")
        .map_or(v.pkg_path.as_str(), |(jar, _)| jar);
    let root_with_ext = if root.len() < v.pkg_path.len() {
        format!("{root}.jar")
    } else {
        root.to_owned()
    };
    let file = root_with_ext
        .rsplit('/')
        .next()
        .unwrap_or(root_with_ext.as_str());
    format!("{} ({file})", v.pkg_name)
}

/// The `Title` cell: the title (else the description) cut after 12 words, then the primary URL.
fn title(v: &DetectedVulnerability) -> String {
    let text = if v.title.is_empty() {
        v.description.as_str()
    } else {
        v.title.as_str()
    };
    let words: Vec<&str> = text.split(' ').collect();
    let mut t = if words.len() >= 12 {
        format!("{}...", words[..12].join(" "))
    } else {
        text.to_owned()
    };
    // One cell, however the source wrapped its text.
    t = t.replace(['\n', '\r'], " ");
    if !v.primary_url.is_empty() {
        t.push('\n');
        t.push_str(&v.primary_url);
    }
    t
}

fn vulnerability_table(vulns: &[DetectedVulnerability]) -> Table {
    let mut t = new_table(&[
        "Library",
        "Vulnerability",
        "Severity",
        "Status",
        "Installed Version",
        "Fixed Version",
        "Title",
    ]);
    for v in vulns {
        t.add_row(vec![
            library(v),
            v.vulnerability_id.to_string(),
            v.severity.as_str().to_owned(),
            v.status.to_string(),
            v.installed_version.to_string(),
            v.fixed_version.clone(),
            title(v),
        ]);
    }
    t
}

/// ANSI colour of a severity, as Trivy colours it.
fn severity_color(name: &str) -> Option<&'static str> {
    Some(match name {
        "UNKNOWN" => "\x1b[36m",
        "LOW" => "\x1b[34m",
        "MEDIUM" => "\x1b[33m",
        "HIGH" => "\x1b[91m",
        "CRITICAL" => "\x1b[31m",
        _ => return None,
    })
}

/// Colours the cells of column `column` (0-based) that hold a severity name, keeping the
/// padding comfy-table computed (it would count escape bytes as width).
fn colorize(rendered: &str, column: usize) -> String {
    let mut out = String::with_capacity(rendered.len() + 256);
    for line in rendered.lines() {
        if line.starts_with('│') {
            let cells: Vec<&str> = line.split(['│', '┆']).collect();
            // cells[0] is before the left border; cell `column` is cells[column + 1].
            if let Some(cell) = cells.get(column + 1) {
                let word = cell.trim();
                if let Some(code) = severity_color(word) {
                    let colored = cell.replacen(word, &format!("{code}{word}\x1b[0m"), 1);
                    let mut rebuilt = String::new();
                    let mut rest = line;
                    for (i, c) in cells.iter().enumerate() {
                        let (piece, after) = rest.split_at(c.len());
                        rebuilt.push_str(if i == column + 1 { &colored } else { piece });
                        // Copy the separator that follows, if any.
                        if let Some(sep) = after.chars().next() {
                            rebuilt.push(sep);
                            rest = &after[sep.len_utf8()..];
                        } else {
                            rest = after;
                        }
                    }
                    out.push_str(&rebuilt);
                    out.push('\n');
                    continue;
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

fn table_text(t: &Table, severity_column: usize, color: bool) -> String {
    let text = t.to_string();
    if color {
        colorize(&text, severity_column)
    } else {
        text
    }
}

fn secret_table(secrets: &[ReportSecret]) -> Table {
    let with_layer = secrets.iter().any(|s| !s.layer.is_empty());
    let with_deleted = secrets.iter().any(|s| s.deleted);
    let mut header = vec!["Category", "Title", "Severity", "Line", "Match"];
    if with_layer {
        header.push("Layer");
    }
    if with_deleted {
        header.push("Deleted");
    }
    let mut t = new_table(&header);
    for s in secrets {
        let f = &s.finding;
        let line = if f.start_line == f.end_line {
            f.start_line.to_string()
        } else {
            format!("{}-{}", f.start_line, f.end_line)
        };
        let mut row = vec![
            f.category.clone(),
            f.title.clone(),
            f.severity.as_str().to_owned(),
            line,
            f.r#match.trim().to_owned(),
        ];
        if with_layer {
            row.push(short_digest(&s.layer));
        }
        if with_deleted {
            row.push(if s.deleted { "yes" } else { "" }.to_owned());
        }
        t.add_row(row);
    }
    if let Some(col) = t.column_mut(3) {
        col.set_cell_alignment(CellAlignment::Right);
    }
    t
}

/// Writes the report as tables, with the default [`TableOptions`] (no vulnerability tables, no
/// colour).
pub fn write(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    write_with(report, &TableOptions::default(), out)
}

/// Writes the report as tables, with `options`.
pub fn write_with(
    report: &Report,
    options: &TableOptions,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    render(report, options, out).map_err(|err| ReportError::Io {
        format: "table",
        err,
    })
}

fn render(report: &Report, options: &TableOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let shown = options.shown_severities();
    writeln!(out, "Report Summary")?;
    writeln!(out)?;
    if report.results.is_empty() {
        writeln!(out, "No packages found in `{}`", report.artifact_name)?;
    } else {
        let with_secrets = report
            .results
            .iter()
            .any(|r| r.class == ResultClass::Secret);
        let mut header = vec!["Target", "Type", "Packages"];
        if options.vulnerabilities {
            header.push("Vulnerabilities");
        }
        if with_secrets {
            header.push("Secrets");
        }
        let with_misconf = crate::table_misconf::has_config(&report.results);
        if with_misconf {
            header.push("Misconfigurations");
        }
        let mut summary = new_table(&header);
        for r in &report.results {
            let count = if r.packages.is_empty() {
                "-".to_owned()
            } else {
                r.packages.len().to_string()
            };
            let ty = if r.class == ResultClass::Secret {
                "text".to_owned()
            } else {
                r.ty.clone()
            };
            let mut row = vec![r.target.clone(), ty, count];
            if options.vulnerabilities {
                let not_scanned = matches!(r.class, ResultClass::Secret | ResultClass::Config);
                row.push(if not_scanned {
                    "-".to_owned()
                } else {
                    r.vulnerabilities.len().to_string()
                });
            }
            if with_secrets {
                row.push(if r.class == ResultClass::Secret {
                    r.secrets.len().to_string()
                } else {
                    "-".to_owned()
                });
            }
            if with_misconf {
                row.push(crate::table_misconf::summary_cell(r));
            }
            summary.add_row(row);
        }
        for i in 2..header.len() {
            if let Some(col) = summary.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        writeln!(out, "{summary}")?;
    }

    for r in &report.results {
        // Trivy leaves out application results without findings.
        if options.vulnerabilities
            && r.class == ResultClass::LangPkgs
            && r.vulnerabilities.is_empty()
            && r.modified_findings.is_empty()
        {
            continue;
        }
        let header = result_header(r);
        writeln!(out)?;
        writeln!(out, "{header}")?;
        writeln!(out, "{}", "=".repeat(header.chars().count()))?;
        if r.class == ResultClass::Config {
            crate::table_misconf::write_result(r, &shown, options.color, out)?;
        } else if r.class == ResultClass::Secret {
            let total = total_line(
                r.secrets.iter().map(|s| s.finding.severity.as_str()),
                &shown,
            );
            writeln!(out, "{total}")?;
            if !r.secrets.is_empty() {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}",
                    table_text(&secret_table(&r.secrets), 2, options.color)
                )?;
            }
        } else if options.vulnerabilities {
            let total = total_line(
                r.vulnerabilities.iter().map(|v| v.severity.as_str()),
                &shown,
            );
            writeln!(out, "{total}")?;
            if !r.vulnerabilities.is_empty() {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}",
                    table_text(&vulnerability_table(&r.vulnerabilities), 2, options.color)
                )?;
            }
            crate::suppressed::write_table(r, library, |t| table_text(t, 2, options.color), out)?;
        } else {
            match r.packages.len() {
                0 => {}
                1 => writeln!(out, "Total: 1 package")?,
                n => writeln!(out, "Total: {n} packages")?,
            }
            if !r.packages.is_empty() {
                writeln!(out)?;
                writeln!(out, "{}", package_table(r))?;
            }
        }
    }

    if let Some(coverage) = &report.misconf_coverage {
        crate::table_misconf::write_coverage(coverage, out)?;
    }
    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "Warnings")?;
        writeln!(out, "========")?;
        for w in &report.warnings {
            let mut line = String::from("- ");
            if !w.file_path.is_empty() {
                line.push('`');
                line.push_str(&w.file_path);
                line.push('`');
                if let Some(layer) = &w.layer {
                    line.push_str(&format!(" (layer `{layer}`)"));
                }
                line.push_str(": ");
            } else if let Some(layer) = &w.layer {
                line.push_str(&format!("layer `{layer}`: "));
            }
            line.push_str(&w.message);
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
