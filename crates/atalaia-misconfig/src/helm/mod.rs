//! Helm charts: load (directory or `.tgz`, subcharts included), render with the chart's own
//! values through [`crate::gotmpl`], split the output into manifests and run the Kubernetes
//! checks on each, the way Trivy does.
//!
//! ```text
//! chart dir ──► chart::load_dir ──► render::render ──► split_manifests ──► "# Source: …" + doc
//!  (Chart.yaml, values.yaml,        (values coalesced,                     ──► Kubernetes checks
//!   templates/, charts/*.tgz)        subcharts scoped)                         FileResult (helm)
//! ```
//!
//! Findings carry the template's path inside the scanned directory
//! (`<chart>/templates/deployment.yaml`, `<chart>/charts/<sub>/templates/…` for subcharts) and
//! the lines of the rendered manifest, numbered as Trivy numbers them: line 1 is Helm's
//! `# Source:` comment, the document (trimmed) starts on line 2.
//!
//! As Trivy renders a chart: the release is named after the chart, its namespace is empty,
//! and the chart's default values are used. A chart that cannot be loaded or rendered is
//! reported as not evaluated, with the reason, for every file of it ([`NotEvaluated::HelmRender`]).

pub mod chart;
pub mod render;

use std::collections::BTreeMap;
use std::path::Path;

use crate::engine::{FileKind, FileResult, NotEvaluated};
use crate::gotmpl::{Limits, TemplateError};
use crate::walk::SkippedFile;
use crate::{scan_file, Options, Status};

pub use chart::{load_archive, load_dir, Chart, LoadLimits};
pub use render::{render, split_manifests, Rendered};

/// Stack of the thread a chart is rendered on.
const RENDER_STACK: usize = 256 << 20;

/// Deepest `include`/`template` nesting in a chart (Helm stops at 1000; the corpus charts
/// nest about 10 deep).
pub const MAX_INCLUDE_DEPTH: usize = 400;

/// Why a chart could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelmError {
    /// The chart could not be loaded (no `Chart.yaml`, bad archive, limits).
    #[error("cannot load chart: {0}")]
    Load(String),
    /// A template failed to parse or execute.
    #[error(transparent)]
    Template(#[from] TemplateError),
}

/// The result of scanning one chart.
#[derive(Debug, Clone, Default)]
pub struct ChartScan {
    /// One result per template that rendered Kubernetes objects (type `helm`).
    pub results: Vec<FileResult>,
    /// Files of the chart not evaluated, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// Templates found inside packaged subcharts (not files of the scanned tree).
    pub archived_templates: usize,
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}/{path}")
    }
}

/// Render the rendered output of one template into a result: each document, prefixed with
/// Helm's `# Source:` line, checked as Kubernetes manifests; `Err` when no document holds a
/// Kubernetes object.
fn check_rendered(target: &str, r: &Rendered, opts: &Options) -> Result<FileResult, NotEvaluated> {
    let mut merged: Option<FileResult> = None;
    let mut why = NotEvaluated::NoResources;
    for doc in split_manifests(&r.output) {
        let text = format!("# Source: {}\n{doc}", r.name);
        let res = scan_file("manifest.yaml", text.as_bytes(), opts);
        if let Some(reason) = res.not_evaluated {
            if reason != NotEvaluated::NoResources {
                why = reason;
            }
            continue;
        }
        match &mut merged {
            None => merged = Some(res),
            Some(m) => {
                m.misconfigurations.extend(res.misconfigurations);
                m.misconf_summary.failures += res.misconf_summary.failures;
                m.misconf_summary.successes = m
                    .misconf_summary
                    .successes
                    .max(res.misconf_summary.successes);
            }
        }
    }
    let mut m = merged.ok_or(why)?;
    m.target = target.to_string();
    m.kind = Some(FileKind::Helm);
    for mc in &mut m.misconfigurations {
        mc.check_type = "Helm Security Check".to_string();
    }
    m.misconfigurations.sort_by_key(|x| {
        (
            x.status == Status::Pass,
            x.cause_metadata.start_line,
            x.id.clone(),
        )
    });
    Ok(m)
}

/// Render and check the chart at `root/chart_rel`. `files` are the candidate files of the
/// chart (paths relative to `root`), each of which ends up either in a result or in
/// [`ChartScan::skipped`].
pub fn scan_chart(root: &Path, chart_rel: &str, files: &[String], opts: &Options) -> ChartScan {
    let mut out = ChartScan::default();
    let dir = if chart_rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(chart_rel)
    };
    let load_limits = LoadLimits {
        max_file_bytes: opts.max_file_bytes,
        ..LoadLimits::default()
    };
    // Rendering recurses with the chart's `include` nesting: run it on a thread with a stack
    // sized for Helm's depth limit, whatever the caller's stack.
    let rendered = std::thread::Builder::new()
        .name("helm-render".into())
        .stack_size(RENDER_STACK)
        .spawn(move || {
            let limits = Limits {
                max_depth: MAX_INCLUDE_DEPTH,
                ..Limits::default()
            };
            load_dir(&dir, &load_limits).and_then(|c| render(&c, &limits))
        })
        .map_err(|e| HelmError::Load(format!("cannot start the render thread: {e}")))
        .and_then(|h| {
            h.join()
                .unwrap_or_else(|_| Err(HelmError::Load("the renderer panicked".to_string())))
        });
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => {
            let error = e.to_string();
            out.skipped = files
                .iter()
                .map(|f| SkippedFile {
                    path: f.clone(),
                    reason: NotEvaluated::HelmRender {
                        error: error.clone(),
                    },
                })
                .collect();
            if files.is_empty() {
                out.skipped.push(SkippedFile {
                    path: join(chart_rel, "Chart.yaml"),
                    reason: NotEvaluated::HelmRender { error },
                });
            }
            return out;
        }
    };
    let mut done: BTreeMap<String, ()> = BTreeMap::new();
    for r in &rendered {
        let target = join(chart_rel, &r.path);
        let on_disk = files.contains(&target);
        if !on_disk {
            out.archived_templates += 1;
        }
        done.insert(target.clone(), ());
        match check_rendered(&target, r, opts) {
            Ok(res) => out.results.push(res),
            Err(reason) => out.skipped.push(SkippedFile {
                path: target,
                reason,
            }),
        }
    }
    for f in files {
        if !done.contains_key(f) {
            out.skipped.push(SkippedFile {
                path: f.clone(),
                reason: NotEvaluated::HelmChart,
            });
        }
    }
    out
}

/// Whether a path (relative to a chart's root) is a template Helm renders.
pub fn is_rendered_template(rel: &str) -> bool {
    let base = rel.rsplit('/').next().unwrap_or(rel);
    (rel.starts_with("templates/") || rel.contains("/templates/"))
        && !base.starts_with('_')
        && base != "NOTES.txt"
}
