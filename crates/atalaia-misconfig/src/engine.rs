//! One file: detect its kind, parse it, run the checks that apply, build the results.

use std::collections::HashSet;

use serde::Serialize;

use crate::checks::{self, Cause, Meta};
use crate::{
    compose, dockerfile, kubernetes, yaml, CauseMetadata, Code, Line, MisconfSummary,
    Misconfiguration, Options, Status,
};

/// The kind of configuration a file was evaluated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// A Dockerfile or Containerfile.
    Dockerfile,
    /// Kubernetes manifests.
    Kubernetes,
    /// A Docker Compose file.
    Compose,
    /// An AWS CloudFormation template.
    CloudFormation,
    /// A Terraform / OpenTofu file.
    Terraform,
    /// A template of a Helm chart, rendered and checked as Kubernetes manifests.
    Helm,
}

impl FileKind {
    /// Trivy's result `Type` (`dockerfile`, `kubernetes`; `compose` is atalaia's own).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::Kubernetes => "kubernetes",
            FileKind::Compose => "compose",
            FileKind::CloudFormation => "cloudformation",
            FileKind::Terraform => "terraform",
            FileKind::Helm => "helm",
        }
    }
}

/// Why a file that looks like configuration was not evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum NotEvaluated {
    /// Larger than [`Options::max_file_bytes`].
    TooLarge {
        /// Its size in bytes.
        size: u64,
    },
    /// Not UTF-8 text.
    NotText,
    /// It could not be parsed.
    ParseError {
        /// What it was read as.
        kind: FileKind,
        /// The parser's message.
        error: String,
    },
    /// YAML or JSON holding no Kubernetes object and no Compose services.
    NoResources,
    /// A file of a Helm chart that is not a template (values, metadata, packaged subcharts):
    /// read when the chart is rendered, not checked itself.
    HelmChart,
    /// A Helm chart that could not be loaded or rendered (parse error, unknown function,
    /// `fail`/`required`, a limit): none of its templates is evaluated.
    HelmRender {
        /// Why.
        error: String,
    },
    /// A template with `{{ }}` placeholders that is not valid YAML as it stands.
    Template,
    /// A configuration kind this crate has no checks for yet.
    Unsupported {
        /// `terraform`, `cloudformation`...
        kind: String,
    },
    /// The file could not be read.
    Unreadable {
        /// The I/O error.
        error: String,
    },
}

impl std::fmt::Display for NotEvaluated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotEvaluated::TooLarge { size } => write!(f, "too large ({size} bytes)"),
            NotEvaluated::NotText => f.write_str("not UTF-8 text"),
            NotEvaluated::ParseError { kind, error } => {
                write!(f, "invalid {}: {error}", kind.as_str())
            }
            NotEvaluated::NoResources => f.write_str("no Kubernetes object or Compose service"),
            NotEvaluated::HelmChart => f.write_str("Helm chart input (values, metadata, subchart)"),
            NotEvaluated::HelmRender { error } => write!(f, "Helm chart not rendered: {error}"),
            NotEvaluated::Template => f.write_str("unrendered template"),
            NotEvaluated::Unsupported { kind } => write!(f, "{kind} (not supported yet)"),
            NotEvaluated::Unreadable { error } => write!(f, "unreadable: {error}"),
        }
    }
}

/// The result of scanning one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileResult {
    /// The path as given.
    pub target: String,
    /// What the file was evaluated as; `None` when not evaluated.
    #[serde(rename = "Type")]
    pub kind: Option<FileKind>,
    /// Failures (and passes with [`Options::include_non_failures`]), in file order.
    pub misconfigurations: Vec<Misconfiguration>,
    /// Counts.
    pub misconf_summary: MisconfSummary,
    /// Set when the file was not evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_evaluated: Option<NotEvaluated>,
}

impl FileResult {
    pub(crate) fn skipped(path: &str, why: NotEvaluated) -> FileResult {
        FileResult {
            target: path.to_string(),
            kind: None,
            misconfigurations: Vec::new(),
            misconf_summary: MisconfSummary::default(),
            not_evaluated: Some(why),
        }
    }

    /// The failures only.
    pub fn failures(&self) -> impl Iterator<Item = &Misconfiguration> {
        self.misconfigurations
            .iter()
            .filter(|m| m.status == Status::Fail)
    }
}

/// What a file name suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Candidate {
    Dockerfile,
    Yaml,
    Json,
    Terraform,
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Trivy's rule: the base name minus its extension is `Dockerfile` or `Containerfile`, or
/// the extension is `.Dockerfile` / `.Containerfile` (case-insensitive).
pub(crate) fn is_dockerfile_name(path: &str) -> bool {
    let base = base_name(path).to_ascii_lowercase();
    let stem = base.split_once('.').map_or(base.as_str(), |(s, _)| s);
    let ext = base.rsplit_once('.').map(|(_, e)| e);
    matches!(stem, "dockerfile" | "containerfile")
        || matches!(ext, Some("dockerfile" | "containerfile"))
}

pub(crate) fn candidate_kind(path: &str) -> Option<Candidate> {
    if is_dockerfile_name(path) {
        return Some(Candidate::Dockerfile);
    }
    let base = base_name(path).to_ascii_lowercase();
    if base.ends_with(".yaml") || base.ends_with(".yml") {
        Some(Candidate::Yaml)
    } else if base.ends_with(".tf.json") || base.ends_with(".tf") || base.ends_with(".tfvars") {
        Some(Candidate::Terraform)
    } else if base.ends_with(".json") {
        Some(Candidate::Json)
    } else {
        None
    }
}

/// Compose by name: `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yaml`...
pub(crate) fn is_compose_name(path: &str) -> bool {
    let base = base_name(path).to_ascii_lowercase();
    (base.starts_with("docker-compose") || base.starts_with("compose"))
        && (base.ends_with(".yml") || base.ends_with(".yaml"))
}

/// Scan one file's bytes. `path` is used for detection (by name) and reported as the target.
pub fn scan_file(path: &str, bytes: &[u8], opts: &Options) -> FileResult {
    if bytes.len() as u64 > opts.max_file_bytes {
        return FileResult::skipped(
            path,
            NotEvaluated::TooLarge {
                size: bytes.len() as u64,
            },
        );
    }
    let Some(candidate) = candidate_kind(path) else {
        return FileResult::skipped(path, NotEvaluated::NoResources);
    };
    if candidate == Candidate::Terraform {
        // A lone file is a module of its own.
        let files = [(path.to_string(), bytes.to_vec())];
        return scan_terraform(&files, opts)
            .into_iter()
            .next()
            .unwrap_or_else(|| FileResult::skipped(path, NotEvaluated::NoResources));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return FileResult::skipped(path, NotEvaluated::NotText);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match candidate {
        Candidate::Dockerfile => scan_dockerfile(path, text, opts),
        _ => scan_structured(path, &yaml::normalize_line_breaks(text), opts),
    }
}

fn scan_dockerfile(path: &str, text: &str, opts: &Options) -> FileResult {
    let df = match dockerfile::parse(text) {
        Ok(df) => df,
        Err(e) => {
            return FileResult::skipped(
                path,
                NotEvaluated::ParseError {
                    kind: FileKind::Dockerfile,
                    error: e.to_string(),
                },
            )
        }
    };
    let mut b = Builder::new(path, FileKind::Dockerfile, text, opts);
    for check in checks::dockerfile::CHECKS {
        let mut causes = Vec::new();
        (check.run)(&df, &mut causes);
        b.record(check.meta, causes);
    }
    b.finish()
}

fn scan_structured(path: &str, text: &str, opts: &Options) -> FileResult {
    let docs = match yaml::parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            let why = if text.contains("{{") {
                NotEvaluated::Template
            } else {
                NotEvaluated::ParseError {
                    kind: FileKind::Kubernetes,
                    error: e.to_string(),
                }
            };
            return FileResult::skipped(path, why);
        }
    };
    if docs.iter().any(crate::cloudformation::is_template) {
        return scan_cloudformation(path, text, opts);
    }
    let resources = match kubernetes::parse_resources(text) {
        Ok(r) => r,
        Err(e) => {
            return FileResult::skipped(
                path,
                NotEvaluated::ParseError {
                    kind: FileKind::Kubernetes,
                    error: e.to_string(),
                },
            )
        }
    };
    if !resources.is_empty() {
        // As Trivy counts them: a check is one success when at least one object of the file
        // passes it (an object of a kind the check is not about passes), and each cause is
        // one failure.
        let mut b = Builder::new(path, FileKind::Kubernetes, text, opts);
        for check in checks::kubernetes::CHECKS {
            let mut all = Vec::new();
            let mut passed = false;
            for res in &resources {
                if !check.applies_to(&res.kind_lower()) {
                    passed = true;
                    continue;
                }
                let mut causes = Vec::new();
                (check.run)(res, &mut causes);
                passed |= causes.is_empty();
                all.extend(causes);
            }
            b.record_with(check.meta, all, passed);
        }
        return b.finish();
    }
    let compose_doc = docs
        .iter()
        .find(|d| compose::looks_like_compose(d, is_compose_name(path)));
    if let Some(doc) = compose_doc {
        let file = compose::ComposeFile::from_node(doc);
        let mut b = Builder::new(path, FileKind::Compose, text, opts);
        for check in checks::compose::CHECKS {
            let mut causes = Vec::new();
            (check.run)(&file, &mut causes);
            b.record(check.meta, causes);
        }
        return b.finish();
    }
    FileResult::skipped(path, NotEvaluated::NoResources)
}

fn scan_cloudformation(path: &str, text: &str, opts: &Options) -> FileResult {
    let template = match crate::cloudformation::parse(text) {
        Ok(Some(t)) => t,
        Ok(None) => return FileResult::skipped(path, NotEvaluated::NoResources),
        Err(e) => {
            return FileResult::skipped(
                path,
                NotEvaluated::ParseError {
                    kind: FileKind::CloudFormation,
                    error: e.to_string(),
                },
            )
        }
    };
    let aws = crate::cloudformation::adapt(&template);
    let mut b = Builder::new(path, FileKind::CloudFormation, text, opts);
    run_cloud_checks(&mut b, &aws);
    b.finish()
}

fn run_cloud_checks(b: &mut Builder<'_>, aws: &crate::cloud::Aws) {
    for check in checks::aws::CHECKS {
        let mut causes = Vec::new();
        (check.run)(aws, &mut causes);
        b.record(check.meta, causes);
    }
}

struct Builder<'a> {
    path: &'a str,
    kind: FileKind,
    lines: Vec<&'a str>,
    opts: &'a Options,
    out: Vec<Misconfiguration>,
    summary: MisconfSummary,
}

impl<'a> Builder<'a> {
    fn new(path: &'a str, kind: FileKind, text: &'a str, opts: &'a Options) -> Builder<'a> {
        Builder {
            path,
            kind,
            lines: text.lines().collect(),
            opts,
            out: Vec::new(),
            summary: MisconfSummary::default(),
        }
    }

    fn record(&mut self, meta: &'static Meta, causes: Vec<Cause>) {
        let passed = causes.is_empty();
        self.record_with(meta, causes, passed);
    }

    /// Record a check's causes; `passed` says whether it also counts as a success.
    fn record_with(&mut self, meta: &'static Meta, causes: Vec<Cause>, passed: bool) {
        if passed {
            self.summary.successes += 1;
            if self.opts.include_non_failures {
                let m = self.result(meta, Status::Pass, String::new(), None);
                self.out.push(m);
            }
        }
        // The same message on the same lines is one finding (Trivy's results are a set).
        let mut seen: HashSet<(String, Option<(usize, usize)>)> = HashSet::new();
        for c in causes {
            if !seen.insert((c.message.clone(), c.lines)) {
                continue;
            }
            self.summary.failures += 1;
            let m = self.result(meta, Status::Fail, c.message, c.lines);
            self.out.push(m);
        }
    }

    fn result(
        &self,
        meta: &'static Meta,
        status: Status,
        message: String,
        lines: Option<(usize, usize)>,
    ) -> Misconfiguration {
        let (check_type, provider) = match self.kind {
            FileKind::Dockerfile => ("Dockerfile Security Check", "Dockerfile"),
            FileKind::Kubernetes => ("Kubernetes Security Check", "Kubernetes"),
            FileKind::Compose => ("Docker Compose Security Check", "Compose"),
            FileKind::CloudFormation => ("CloudFormation Security Check", "AWS"),
            FileKind::Terraform => ("Terraform Security Check", "Terraform"),
            FileKind::Helm => ("Helm Security Check", "Kubernetes"),
        };
        let primary = format!(
            "https://avd.aquasec.com/misconfig/{}",
            meta.id.to_ascii_lowercase()
        );
        let mut references: Vec<String> =
            meta.references.iter().map(|r| (*r).to_string()).collect();
        references.push(primary.clone());
        let message = if message.is_empty() && status == Status::Pass {
            "No issues found".to_string()
        } else {
            message
        };
        let (start, end) = lines.unwrap_or((0, 0));
        Misconfiguration {
            check_type: check_type.to_string(),
            id: meta.id.to_string(),
            avd_id: meta.avd_id.to_string(),
            short_id: meta.short_id.to_string(),
            title: meta.title.to_string(),
            description: meta.description.to_string(),
            message,
            namespace: meta.namespace.to_string(),
            query: format!("data.{}.deny", meta.namespace),
            resolution: meta.resolution.to_string(),
            severity: meta.severity,
            primary_url: primary,
            references,
            status,
            cause_metadata: CauseMetadata {
                provider: cloud_provider(meta).unwrap_or(provider).to_string(),
                service: cloud_service(meta).unwrap_or("general").to_string(),
                start_line: start,
                end_line: end,
                code: self.code(start, end),
            },
            layer: None,
        }
    }

    fn code(&self, start: usize, end: usize) -> Code {
        if start == 0 || start > self.lines.len() {
            return Code::default();
        }
        let end = end.clamp(start, self.lines.len());
        let last_shown = end.min(start + self.opts.max_code_lines.max(1) - 1);
        let lines = (start..=last_shown)
            .map(|n| Line {
                number: n,
                content: self.lines[n - 1].to_string(),
                is_cause: true,
                annotation: String::new(),
                truncated: n == last_shown && last_shown < end,
                first_cause: n == start,
                last_cause: n == end,
            })
            .collect();
        Code { lines }
    }

    fn finish(mut self) -> FileResult {
        self.out.sort_by_key(|m| {
            (
                m.status == Status::Pass,
                m.cause_metadata.start_line,
                m.id.clone(),
            )
        });
        FileResult {
            target: self.path.to_string(),
            kind: Some(self.kind),
            misconfigurations: self.out,
            misconf_summary: self.summary,
            not_evaluated: None,
        }
    }
}

/// Trivy's provider of a cloud check (`AWS`, `Google`, `Azure`), from its ID.
fn cloud_provider(meta: &Meta) -> Option<&'static str> {
    match meta.id.split_once('-')?.0 {
        "AWS" => Some("AWS"),
        "GCP" => Some("Google"),
        "AZU" => Some("Azure"),
        _ => None,
    }
}

/// The service of a cloud check (`s3` in `builtin.aws.s3.aws0086`).
fn cloud_service(meta: &Meta) -> Option<&'static str> {
    cloud_provider(meta)?;
    let mut parts = meta.namespace.rsplit('.');
    parts.next()?;
    parts.next()
}

/// The evaluated arguments of a module call.
type Inputs = std::collections::BTreeMap<String, crate::terraform::V>;

/// Whether Terraform loads a `.tfvars` file by itself.
fn is_auto_tfvars(path: &str) -> bool {
    let base = base_name(path);
    base == "terraform.tfvars" || base.ends_with(".auto.tfvars")
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Join a module `source` like `../../` onto a directory, `None` when it leaves the tree.
fn join_source(dir: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in source.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Scan Terraform files (`.tf`, `.tfvars`, `.tf.json`), given by path relative to the scanned
/// directory: each directory is a module evaluated as a root module, and local modules it
/// calls (`source = "../x"`) are evaluated again with the arguments given; each file gets the
/// findings of the resources it holds. One result per file, in input order.
pub(crate) fn scan_terraform(files: &[(String, Vec<u8>)], opts: &Options) -> Vec<FileResult> {
    use std::collections::BTreeMap;
    let mut results: BTreeMap<&str, FileResult> = BTreeMap::new();
    let mut texts: BTreeMap<&str, &str> = BTreeMap::new();
    let mut modules: BTreeMap<&str, crate::terraform::Module> = BTreeMap::new();
    for (path, bytes) in files {
        if bytes.len() as u64 > opts.max_file_bytes {
            let why = NotEvaluated::TooLarge {
                size: bytes.len() as u64,
            };
            results.insert(path, FileResult::skipped(path, why));
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            results.insert(path, FileResult::skipped(path, NotEvaluated::NotText));
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lower = path.to_ascii_lowercase();
        let module = modules.entry(dir_of(path)).or_default();
        let parsed = if lower.ends_with(".tf.json") {
            results.insert(
                path,
                FileResult::skipped(
                    path,
                    NotEvaluated::Unsupported {
                        kind: "terraform JSON".into(),
                    },
                ),
            );
            continue;
        } else if lower.ends_with(".tfvars") {
            if !is_auto_tfvars(path) {
                results.insert(
                    path,
                    FileResult::skipped(
                        path,
                        NotEvaluated::Unsupported {
                            kind: "terraform variables file not loaded by default".into(),
                        },
                    ),
                );
                continue;
            }
            module.add_tfvars(path, text)
        } else {
            module.add_file(path, text)
        };
        match parsed {
            Ok(()) => {
                texts.insert(path, text);
            }
            Err(e) => {
                let why = NotEvaluated::ParseError {
                    kind: FileKind::Terraform,
                    error: e.message,
                };
                results.insert(path, FileResult::skipped(path, why));
            }
        }
    }
    // Root modules (as Trivy finds them: directories no other directory calls as a local
    // module), then the local modules they call, with their arguments.
    let called: std::collections::BTreeSet<String> = modules
        .iter()
        .flat_map(|(dir, m)| {
            m.module_sources()
                .into_iter()
                .filter(|s| s.starts_with("./") || s.starts_with("../"))
                .filter_map(|s| join_source(dir, &s))
                .filter(move |target| target != dir)
        })
        .collect();
    let mut resources: Vec<crate::terraform::TfResource> = Vec::new();
    let mut queue: Vec<(String, Option<Inputs>, usize)> = modules
        .keys()
        .filter(|d| !called.contains(**d))
        .map(|d| ((*d).to_string(), None, 0))
        .collect();
    let mut evaluations = 0usize;
    while let Some((dir, inputs, depth)) = queue.pop() {
        let Some(m) = modules.get(dir.as_str()) else {
            continue;
        };
        evaluations += 1;
        if evaluations > 256 {
            break;
        }
        let (res, calls) = m.evaluate(inputs.as_ref());
        resources.extend(res);
        if depth < 4 {
            for c in calls {
                if c.source.starts_with("./") || c.source.starts_with("../") {
                    if let Some(target) = join_source(&dir, &c.source) {
                        queue.push((target, Some(c.inputs), depth + 1));
                    }
                }
            }
        }
    }
    for (path, text) in &texts {
        if path.to_ascii_lowercase().ends_with(".tfvars") {
            let b = Builder::new(path, FileKind::Terraform, text, opts);
            results.insert(path, b.finish());
            continue;
        }
        let mine: Vec<&crate::terraform::TfResource> =
            resources.iter().filter(|r| r.file == *path).collect();
        let aws = crate::terraform_aws::adapt(&mine, &resources);
        let mut b = Builder::new(path, FileKind::Terraform, text, opts);
        run_cloud_checks(&mut b, &aws);
        for check in checks::google::CHECKS.iter().chain(checks::azure::CHECKS) {
            let mut causes = Vec::new();
            (check.run)(&mine, &mut causes);
            b.record(check.meta, causes);
        }
        results.insert(path, b.finish());
    }
    files
        .iter()
        .filter_map(|(p, _)| results.remove(p.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "a/b/Dockerfile.alpine",
            "Containerfile",
            "x/dev.Dockerfile",
            "dockerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in ["Dockerfile-foo", "a/Dockerfiles/x.yaml", "docker.yaml"] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }

    #[test]
    fn compose_names() {
        assert!(is_compose_name("x/docker-compose.yml"));
        assert!(is_compose_name("compose.yaml"));
        assert!(!is_compose_name("composer.json"));
    }
}
