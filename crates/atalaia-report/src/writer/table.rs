//! The table writer: what a person reads in a terminal.
//!
//! Layout (no colour yet; the CLI may add it later):
//!
//! 1. `Report Summary`: one row per result with its target, type and number of packages
//!    (`-` when the report was built without package lists).
//! 2. Per result, Trivy's header: `<Target> (<Type>)` underlined with `=` to its width.
//! 3. When the report lists packages (built with `list_all_pkgs`), `Total: N packages` and a
//!    table of the result's packages: `Package`,
//!    `Version` (the full version as the package manager writes it, `epoch:version-release`),
//!    `Path` when any package of the result records its own file (installed trees, nested jars),
//!    and `Layer` (the layer's diff ID, shortened to 12 hex digits) when any package records one.
//! 4. For a `secret` result (header `<Target> (secrets)`): Trivy's
//!    `Total: N (UNKNOWN: 0, LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 0)` line and a table of its
//!    secrets: `Category`, `Title`, `Severity`, `Line`, `Match` (redacted, as every secret field
//!    is), and `Layer` / `Deleted` for images. The summary then gains a `Secrets` column.
//! 5. `Warnings` (atalaia extra), one line each, when analysis recorded any.
//!
//! Tables are drawn with comfy-table's condensed UTF-8 preset (no lines between rows) at their
//! natural width (no wrapping), so output piped to a file is stable.

use std::io::Write;

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

use crate::{Report, ReportError, ReportPackage, ReportResult, ReportSecret, ResultClass};

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
    } else if r.ty.is_empty() {
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

/// Trivy's severity count line for secrets.
fn secret_total(secrets: &[ReportSecret]) -> String {
    let count = |sev: &str| {
        secrets
            .iter()
            .filter(|s| s.finding.severity.as_str() == sev)
            .count()
    };
    format!(
        "Total: {} (UNKNOWN: {}, LOW: {}, MEDIUM: {}, HIGH: {}, CRITICAL: {})",
        secrets.len(),
        count("UNKNOWN"),
        count("LOW"),
        count("MEDIUM"),
        count("HIGH"),
        count("CRITICAL")
    )
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

/// Writes the report as tables.
pub fn write(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    render(report, out).map_err(|err| ReportError::Io {
        format: "table",
        err,
    })
}

fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Report Summary")?;
    writeln!(out)?;
    if report.results.is_empty() {
        writeln!(out, "No packages found in `{}`", report.artifact_name)?;
    } else {
        let with_secrets = report.results.iter().any(|r| !r.secrets.is_empty());
        let mut header = vec!["Target", "Type", "Packages"];
        if with_secrets {
            header.push("Secrets");
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
            if with_secrets {
                row.push(if r.class == ResultClass::Secret {
                    r.secrets.len().to_string()
                } else {
                    "-".to_owned()
                });
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
        let header = result_header(r);
        writeln!(out)?;
        writeln!(out, "{header}")?;
        writeln!(out, "{}", "=".repeat(header.chars().count()))?;
        match r.packages.len() {
            0 => {}
            1 => writeln!(out, "Total: 1 package")?,
            n => writeln!(out, "Total: {n} packages")?,
        }
        if !r.packages.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", package_table(r))?;
        }
        if r.class == ResultClass::Secret {
            writeln!(out, "{}", secret_total(&r.secrets))?;
            if !r.secrets.is_empty() {
                writeln!(out)?;
                writeln!(out, "{}", secret_table(&r.secrets))?;
            }
        }
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
