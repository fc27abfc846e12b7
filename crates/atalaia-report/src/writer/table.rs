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
//! 4. `Warnings` (atalaia extra), one line each, when analysis recorded any.
//!
//! Tables are drawn with comfy-table's condensed UTF-8 preset (no lines between rows) at their
//! natural width (no wrapping), so output piped to a file is stable.

use std::io::Write;

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

use crate::{Report, ReportError, ReportPackage, ReportResult};

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
    match p.layer.diff_id.as_ref().or(p.layer.digest.as_ref()) {
        Some(d) => format!("{}:{}", d.algorithm(), &d.hex()[..d.hex().len().min(12)]),
        None => String::new(),
    }
}

fn result_header(r: &ReportResult) -> String {
    if r.ty.is_empty() {
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
        let mut summary = new_table(&["Target", "Type", "Packages"]);
        for r in &report.results {
            let count = if r.packages.is_empty() {
                "-".to_owned()
            } else {
                r.packages.len().to_string()
            };
            summary.add_row(vec![r.target.clone(), r.ty.clone(), count]);
        }
        if let Some(col) = summary.column_mut(2) {
            col.set_cell_alignment(CellAlignment::Right);
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
