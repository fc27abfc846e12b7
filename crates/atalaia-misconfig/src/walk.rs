//! A directory tree: walk it, scan every candidate file, and account for each one.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::{candidate_kind, Candidate, FileResult, NotEvaluated};
use crate::{scan_file, Error, Options};

/// Directories never descended into.
const SKIP_DIRS: &[&str] = &[".git", "node_modules", ".terraform", "vendor"];

/// A file that was found but not evaluated, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SkippedFile {
    /// Path relative to the scanned directory.
    pub path: String,
    /// Why.
    pub reason: NotEvaluated,
}

/// What was found and what was evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Coverage {
    /// Candidate configuration files found (by name: Dockerfiles, YAML, JSON, Terraform).
    pub files_found: usize,
    /// Files evaluated by at least one check.
    pub files_evaluated: usize,
    /// Files found but not evaluated, with the reason (YAML/JSON files that hold no
    /// Kubernetes object or Compose service are counted in `files_found` and listed here).
    pub not_evaluated: Vec<SkippedFile>,
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} configuration files found, {} evaluated, {} not evaluated",
            self.files_found,
            self.files_evaluated,
            self.not_evaluated.len()
        )
    }
}

/// The result of [`scan_dir`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Scan {
    /// One result per evaluated file, sorted by path (targets relative to the directory,
    /// with `/` separators).
    pub results: Vec<FileResult>,
    /// The coverage record.
    pub coverage: Coverage,
}

/// Walk `dir` and scan every candidate file. Unreadable files and subdirectories are recorded
/// as not evaluated; only an unreadable `dir` itself is an error.
pub fn scan_dir(dir: &Path, opts: &Options) -> Result<Scan, Error> {
    let custom = crate::custom::CustomChecks::from_options(opts)?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut charts: Vec<String> = Vec::new();
    let mut unreadable: Vec<SkippedFile> = Vec::new();
    let top = std::fs::read_dir(dir).map_err(|err| Error::ReadDir {
        path: dir.to_path_buf(),
        err,
    })?;
    let mut stack = vec![(top, String::new())];
    while let Some((mut rd, rel)) = stack.pop() {
        let mut subdirs = Vec::new();
        for entry in rd.by_ref() {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel_path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if !SKIP_DIRS.contains(&name.as_str()) {
                    subdirs.push((entry.path(), rel_path));
                }
            } else if ft.is_file() {
                if name == "Chart.yaml" {
                    charts.push(rel.clone());
                }
                files.push((entry.path(), rel_path));
            }
        }
        for (path, rel_path) in subdirs {
            match std::fs::read_dir(&path) {
                Ok(rd) => stack.push((rd, rel_path)),
                Err(e) => unreadable.push(SkippedFile {
                    path: rel_path,
                    reason: NotEvaluated::Unreadable {
                        error: e.to_string(),
                    },
                }),
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let in_chart = |rel: &str| {
        charts
            .iter()
            .any(|c| c.is_empty() || rel.starts_with(&format!("{c}/")))
    };
    let mut scan = Scan::default();
    scan.coverage.not_evaluated = unreadable;
    // Terraform is evaluated per module (directory): gathered, then scanned together.
    let mut terraform: Vec<(String, Vec<u8>)> = Vec::new();
    let mut chart_files: Vec<String> = Vec::new();
    for (path, rel) in files {
        let is_chart_archive = in_chart(&rel) && rel.ends_with(".tgz");
        if candidate_kind(&rel).is_none() && !is_chart_archive {
            continue;
        }
        scan.coverage.files_found += 1;
        if in_chart(&rel) && !crate::engine::is_dockerfile_name(&rel) {
            // Rendered with its chart below, never parsed as a raw manifest.
            chart_files.push(rel);
            continue;
        }
        let bytes = match std::fs::metadata(&path) {
            Ok(m) if m.len() > opts.max_file_bytes => {
                scan.coverage.not_evaluated.push(SkippedFile {
                    path: rel,
                    reason: NotEvaluated::TooLarge { size: m.len() },
                });
                continue;
            }
            _ => match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    scan.coverage.not_evaluated.push(SkippedFile {
                        path: rel,
                        reason: NotEvaluated::Unreadable {
                            error: e.to_string(),
                        },
                    });
                    continue;
                }
            },
        };
        if candidate_kind(&rel) == Some(Candidate::Terraform) {
            terraform.push((rel, bytes));
            continue;
        }
        let mut result = scan_file(&rel, &bytes, opts);
        if let Some(custom) = &custom {
            custom.apply(&mut result, &bytes, opts);
        }
        scan.record(result);
    }
    // Helm charts: each outermost chart (subcharts are rendered by their parent) is rendered
    // and its files accounted for.
    let roots: Vec<&String> = charts
        .iter()
        .filter(|c| {
            !charts
                .iter()
                .any(|o| o != *c && (o.is_empty() || c.starts_with(&format!("{o}/"))))
        })
        .collect();
    for root in roots {
        let mine: Vec<String> = chart_files
            .iter()
            .filter(|f| root.is_empty() || f.starts_with(&format!("{root}/")))
            .cloned()
            .collect();
        let chart = crate::helm::scan_chart(dir, root, &mine, opts);
        scan.coverage.files_found += chart.archived_templates;
        scan.coverage.not_evaluated.extend(chart.skipped);
        for result in chart.results {
            scan.record(result);
        }
    }
    for result in crate::engine::scan_terraform(&terraform, opts) {
        scan.record(result);
    }
    scan.results.sort_by(|a, b| a.target.cmp(&b.target));
    scan.coverage
        .not_evaluated
        .sort_by(|a, b| a.path.cmp(&b.path));
    Ok(scan)
}

impl Scan {
    fn record(&mut self, result: FileResult) {
        match result.not_evaluated.clone() {
            Some(reason) => self.coverage.not_evaluated.push(SkippedFile {
                path: result.target,
                reason,
            }),
            None => {
                self.coverage.files_evaluated += 1;
                self.results.push(result);
            }
        }
    }
}
