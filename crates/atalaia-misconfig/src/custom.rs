//! Custom checks written in Rego (Trivy's `--config-check DIR`, `--check-namespaces`),
//! evaluated with the `regorus` interpreter.
//!
//! Every `.rego` file under the given paths is loaded (checks and the libraries they import).
//! A check is a package, in one of the allowed namespaces (`user` by default: `user` itself or
//! `user.…`), that defines `deny` (or `deny_…`) rules. Its metadata comes from Trivy's
//! `# METADATA` comment block (YAML: `title`, `description`, `custom.id`, `custom.avd_id`,
//! `custom.severity`, `custom.recommended_actions`, `custom.input.selector[].type`,
//! `related_resources`), or from a legacy `__rego_metadata__` / `__rego_input__` rule.
//!
//! Inputs have Trivy's shapes: a Dockerfile is
//! `{"Stages": [{"Name", "Commands": [{"Cmd", "SubCmd", "Flags", "Value", "Original", "JSON",
//! "Stage", "Path", "StartLine", "EndLine"}]}]}`; a Kubernetes object is the object itself, each
//! mapping carrying `__defsec_metadata` (`filepath`, `startline`, `endline`), evaluated one
//! object at a time. A `deny` result is a string (the message) or an object with `msg` and
//! optional `startline` / `endline` (or `__defsec_metadata`); Trivy's `result.new(msg, cause)`
//! builtin is provided and takes the lines of `cause`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{json, Map, Value as Json};

use crate::engine::{FileKind, FileResult};
use crate::{
    dockerfile, kubernetes, yaml, CauseMetadata, Code, Line, Misconfiguration, Options, Severity,
    Status,
};

/// A custom check that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("custom check {}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct CustomCheckError {
    /// The `.rego` file (or the directory that could not be read).
    pub path: PathBuf,
    /// The line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Metadata of a custom check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckMeta {
    /// `custom.id` (e.g. `CUSTOM-001`).
    pub id: String,
    /// `custom.avd_id`, else the ID.
    pub avd_id: String,
    /// `title`.
    pub title: String,
    /// `description`.
    pub description: String,
    /// `custom.severity` (`UNKNOWN` when missing or not a severity).
    pub severity: Severity,
    /// `custom.recommended_actions`.
    pub resolution: String,
    /// `related_resources` (URLs).
    pub references: Vec<String>,
    /// `custom.input.selector[].type`, lower case; empty means every input type.
    pub selectors: Vec<String>,
}

/// One loaded check.
#[derive(Debug, Clone)]
struct Check {
    /// The package without `data.`, e.g. `user.dockerfile.custom001`.
    package: String,
    /// `deny`, `deny_x`...
    rules: Vec<String>,
    meta: CheckMeta,
}

impl Check {
    fn applies_to(&self, kind: FileKind) -> bool {
        self.meta.selectors.is_empty()
            || self
                .meta
                .selectors
                .iter()
                .any(|s| s == kind.as_str() || (s == "yaml" && kind == FileKind::Kubernetes))
    }
}

/// Custom checks loaded from `.rego` files, ready to evaluate.
pub struct CustomChecks {
    engine: Mutex<regorus::Engine>,
    checks: Vec<Check>,
}

impl std::fmt::Debug for CustomChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomChecks")
            .field("checks", &self.checks)
            .finish_non_exhaustive()
    }
}

/// Whether `package` is `ns` or under it.
fn in_namespace(package: &str, namespaces: &[String]) -> bool {
    namespaces.iter().any(|ns| {
        package == ns
            || package
                .strip_prefix(ns.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

fn collect_rego(path: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), CustomCheckError> {
    let err = |e: std::io::Error| CustomCheckError {
        path: path.to_path_buf(),
        line: None,
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(err)?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if depth > 32 {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(err)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_rego(&p, out, depth + 1)?;
        } else if p.extension().is_some_and(|e| e == "rego")
            && !p
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().ends_with("_test"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// The line of a regorus error about `file` (`file:LINE:COL: …`), when it names one.
fn error_line(message: &str, file: &str) -> Option<usize> {
    let at = message.find(file)?;
    let rest = message[at + file.len()..].strip_prefix(':')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The `package` of a Rego source, from its text.
fn package_of(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let l = l.trim();
        let rest = l.strip_prefix("package")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let name = rest.split('#').next()?.trim();
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// The names of the `deny` / `deny_…` rules defined at the start of a line.
fn deny_rules(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines() {
        if !l.starts_with("deny") {
            continue;
        }
        let name: String = l
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if (name == "deny" || name.starts_with("deny_")) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The YAML text of the `# METADATA` comment block, if any.
fn metadata_block(text: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.find(|l| l.trim() == "# METADATA")?;
    let mut out = String::new();
    for l in lines {
        let Some(c) = l.trim_start().strip_prefix('#') else {
            break;
        };
        out.push_str(c.strip_prefix(' ').unwrap_or(c));
        out.push('\n');
    }
    Some(out)
}

fn severity_of(s: &str) -> Severity {
    match s.to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        _ => Severity::Unknown,
    }
}

fn yaml_to_json(node: &yaml::Node) -> Json {
    match &node.value {
        yaml::Value::Null => Json::Null,
        yaml::Value::Bool(b) => Json::Bool(*b),
        yaml::Value::Int(i) => Json::from(*i),
        yaml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        yaml::Value::Str(s) => Json::String(s.clone()),
        yaml::Value::Seq(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        yaml::Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.scalar_text().unwrap_or_default(), yaml_to_json(v)))
                .collect(),
        ),
    }
}

/// A Kubernetes node as Trivy's input: every mapping gets `__defsec_metadata`.
fn manifest_to_json(node: &yaml::Node, path: &str) -> Json {
    match &node.value {
        yaml::Value::Seq(items) => {
            Json::Array(items.iter().map(|n| manifest_to_json(n, path)).collect())
        }
        yaml::Value::Map(entries) => {
            let mut m: Map<String, Json> = entries
                .iter()
                .map(|(k, v)| {
                    (
                        k.scalar_text().unwrap_or_default(),
                        manifest_to_json(v, path),
                    )
                })
                .collect();
            m.insert(
                "__defsec_metadata".into(),
                json!({"filepath": path, "startline": node.start, "endline": node.end}),
            );
            Json::Object(m)
        }
        _ => yaml_to_json(node),
    }
}

/// A Dockerfile as Trivy's input (`Stages` of `Commands`).
pub fn dockerfile_input(df: &dockerfile::Dockerfile, path: &str, text: &str) -> Json {
    let lines: Vec<&str> = text.lines().collect();
    let stages: Vec<Json> = df
        .stages
        .iter()
        .enumerate()
        .map(|(n, stage)| {
            let commands: Vec<Json> = stage
                .instructions
                .iter()
                .map(|i| {
                    // The keyword as written, from the instruction's first line.
                    let keyword = lines
                        .get(i.start_line.wrapping_sub(1))
                        .and_then(|l| l.split_whitespace().next())
                        .filter(|w| w.eq_ignore_ascii_case(&i.cmd))
                        .map_or_else(|| i.cmd.to_ascii_uppercase(), str::to_string);
                    json!({
                        "Cmd": i.cmd,
                        "SubCmd": "",
                        "Flags": i.flags,
                        "Value": i.value,
                        "Original": format!("{keyword} {}", i.original).trim_end(),
                        "JSON": i.json,
                        "Stage": n,
                        "Path": path,
                        "StartLine": i.start_line,
                        "EndLine": i.end_line,
                    })
                })
                .collect();
            json!({"Name": stage.name, "Commands": commands})
        })
        .collect();
    json!({ "Stages": stages })
}

/// Trivy's `result.new(msg, cause)`: the message with the lines of the cause.
fn result_new(args: Vec<regorus::Value>) -> anyhow::Result<regorus::Value> {
    let mut it = args.into_iter();
    let msg = it.next().unwrap_or(regorus::Value::Undefined);
    let cause: Json = it
        .next()
        .and_then(|c| serde_json::to_value(&c).ok())
        .unwrap_or(Json::Null);
    let mut out = Map::new();
    out.insert(
        "msg".into(),
        serde_json::to_value(&msg).unwrap_or(Json::Null),
    );
    let (start, end, file) = lines_of(&cause);
    if let Some(s) = start {
        out.insert("startline".into(), Json::from(s));
    }
    if let Some(e) = end {
        out.insert("endline".into(), Json::from(e));
    }
    if let Some(f) = file {
        out.insert("filepath".into(), Json::String(f));
    }
    Ok(regorus::Value::from(Json::Object(out)))
}

fn as_line(v: Option<&Json>) -> Option<usize> {
    v.and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
    })
    .and_then(|n| usize::try_from(n).ok())
}

/// The lines (and file) an input value or result object points at.
fn lines_of(v: &Json) -> (Option<usize>, Option<usize>, Option<String>) {
    let Some(o) = v.as_object() else {
        return (None, None, None);
    };
    if let Some(m) = o.get("__defsec_metadata").and_then(Json::as_object) {
        return (
            as_line(m.get("startline")),
            as_line(m.get("endline")),
            m.get("filepath").and_then(Json::as_str).map(str::to_string),
        );
    }
    let start = as_line(o.get("startline")).or_else(|| as_line(o.get("StartLine")));
    let end = as_line(o.get("endline")).or_else(|| as_line(o.get("EndLine")));
    let file = o
        .get("filepath")
        .or_else(|| o.get("Path"))
        .and_then(Json::as_str)
        .map(str::to_string);
    (start, end, file)
}

fn str_at<'a>(v: &'a Json, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    cur.as_str()
}

fn meta_from_json(v: &Json, package: &str) -> CheckMeta {
    let custom = v.get("custom").unwrap_or(v);
    let pick = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| custom.get(k).or_else(|| v.get(k)).and_then(Json::as_str))
            .unwrap_or_default()
            .to_string()
    };
    let mut id = pick(&["id"]);
    if id.is_empty() {
        id = package.rsplit('.').next().unwrap_or(package).to_string();
    }
    let mut avd_id = pick(&["avd_id", "avdid"]);
    if avd_id.is_empty() {
        avd_id.clone_from(&id);
    }
    let selectors = custom
        .get("input")
        .or_else(|| v.get("input"))
        .and_then(|i| i.get("selector"))
        .and_then(Json::as_array)
        .map(|sel| {
            sel.iter()
                .filter_map(|s| s.get("type").and_then(Json::as_str))
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let references = v
        .get("related_resources")
        .and_then(Json::as_array)
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r.as_str().or_else(|| str_at(r, &["ref"])))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    CheckMeta {
        severity: severity_of(&pick(&["severity"])),
        title: pick(&["title"]),
        description: pick(&["description"]),
        resolution: pick(&["recommended_actions", "recommended_action"]),
        id,
        avd_id,
        references,
        selectors,
    }
}

impl CustomChecks {
    /// Load every `.rego` file under `paths` (files or directories, `*_test.rego` skipped);
    /// the checks are the packages in `namespaces` that define `deny` rules. Bad Rego is an
    /// error naming the file and line.
    pub fn load(
        paths: &[PathBuf],
        namespaces: &[String],
    ) -> Result<CustomChecks, CustomCheckError> {
        let mut files = Vec::new();
        for p in paths {
            collect_rego(p, &mut files, 0)?;
        }
        let mut engine = regorus::Engine::new();
        engine
            .add_extension("result.new".into(), 2, Box::new(result_new))
            .map_err(|e| CustomCheckError {
                path: PathBuf::new(),
                line: None,
                message: e.to_string(),
            })?;
        let mut checks = Vec::new();
        let mut legacy = Vec::new();
        for file in &files {
            let name = file.display().to_string();
            let fail = |line: Option<usize>, message: String| CustomCheckError {
                path: file.clone(),
                line,
                message,
            };
            let text = std::fs::read_to_string(file).map_err(|e| fail(None, e.to_string()))?;
            // Trivy's checks are Rego v0 (with `import rego.v1` or `future.keywords` for the
            // new keywords); plain v1 files are accepted too. The likely version is tried
            // first (the other one may print parser warnings); on a double failure the error
            // that got further wins.
            let v0_first =
                text.contains("import rego.v1") || text.contains("import future.keywords");
            engine.set_rego_v0(v0_first);
            if let Err(e_first) = engine.add_policy(name.clone(), text.clone()) {
                engine.set_rego_v0(!v0_first);
                if let Err(e_second) = engine.add_policy(name.clone(), text.clone()) {
                    let (m0, m1) = (e_first.to_string(), e_second.to_string());
                    let (l0, l1) = (error_line(&m0, &name), error_line(&m1, &name));
                    let (line, msg) = if l1 > l0 { (l1, m1) } else { (l0, m0) };
                    return Err(fail(line, msg));
                }
            }
            let Some(package) = package_of(&text) else {
                continue;
            };
            let rules = deny_rules(&text);
            if rules.is_empty() || !in_namespace(&package, namespaces) {
                continue;
            }
            let meta = match metadata_block(&text) {
                Some(block) => {
                    let docs = yaml::parse_documents(&block)
                        .map_err(|e| fail(None, format!("invalid METADATA block: {e}")))?;
                    let v = docs.first().map(yaml_to_json).unwrap_or(Json::Null);
                    meta_from_json(&v, &package)
                }
                None => {
                    if text.contains("__rego_metadata__") {
                        legacy.push(checks.len());
                    }
                    meta_from_json(&Json::Null, &package)
                }
            };
            checks.push(Check {
                package,
                rules,
                meta,
            });
        }
        // Compile and try every rule once (on an empty input), so that errors surface now,
        // naming the check's file; read legacy `__rego_metadata__` / `__rego_input__` rules.
        engine.set_input(regorus::Value::new_object());
        for (n, check) in checks.iter_mut().enumerate() {
            for rule in &check.rules {
                if let Err(e) = engine.eval_rule(format!("data.{}.{rule}", check.package)) {
                    let message = e.to_string();
                    let path = files
                        .iter()
                        .find(|f| message.contains(&f.display().to_string()))
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(&check.package));
                    let line = error_line(&message, &path.display().to_string());
                    return Err(CustomCheckError {
                        path,
                        line,
                        message,
                    });
                }
            }
            if legacy.contains(&n) {
                let get = |engine: &mut regorus::Engine, r: &str| {
                    engine
                        .eval_rule(format!("data.{}.{r}", check.package))
                        .ok()
                        .and_then(|v| serde_json::to_value(&v).ok())
                        .unwrap_or(Json::Null)
                };
                let mut m = get(&mut engine, "__rego_metadata__");
                let input = get(&mut engine, "__rego_input__");
                if let Some(o) = m.as_object_mut() {
                    o.insert("input".into(), input);
                }
                check.meta = meta_from_json(&m, &check.package);
            }
        }
        Ok(CustomChecks {
            engine: Mutex::new(engine),
            checks,
        })
    }

    /// Load the checks named by [`Options::custom_checks`] and [`Options::check_namespaces`];
    /// `None` when there are none to load.
    pub fn from_options(opts: &Options) -> Result<Option<CustomChecks>, CustomCheckError> {
        if opts.custom_checks.is_empty() {
            return Ok(None);
        }
        CustomChecks::load(&opts.custom_checks, &opts.check_namespaces).map(Some)
    }

    /// The loaded checks' metadata, in load order.
    pub fn checks(&self) -> impl Iterator<Item = &CheckMeta> {
        self.checks.iter().map(|c| &c.meta)
    }

    /// Evaluate the checks on a file already scanned by [`crate::scan_file`] (`result`), whose
    /// bytes are `bytes`: their failures (and passes with
    /// [`Options::include_non_failures`]) are added to it. Files of other kinds than
    /// Dockerfile and Kubernetes, and files not evaluated, are left as they are.
    pub fn apply(&self, result: &mut FileResult, bytes: &[u8], opts: &Options) {
        let Some(kind) = result.kind else { return };
        if result.not_evaluated.is_some()
            || !matches!(kind, FileKind::Dockerfile | FileKind::Kubernetes)
            || !self.checks.iter().any(|c| c.applies_to(kind))
        {
            return;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = yaml::normalize_line_breaks(text);
        let path = result.target.clone();
        let inputs: Vec<Json> = match kind {
            FileKind::Dockerfile => match dockerfile::parse(&text) {
                Ok(df) => vec![dockerfile_input(&df, &path, &text)],
                Err(_) => return,
            },
            _ => match kubernetes::parse_resources(&text) {
                Ok(rs) => rs
                    .iter()
                    .map(|r| manifest_to_json(&r.node, &path))
                    .collect(),
                Err(_) => return,
            },
        };
        let inputs: Vec<regorus::Value> = inputs.into_iter().map(regorus::Value::from).collect();
        let lines: Vec<&str> = text.lines().collect();
        let Ok(mut engine) = self.engine.lock() else {
            return;
        };
        for check in self.checks.iter().filter(|c| c.applies_to(kind)) {
            let mut passed = false;
            let mut seen: HashSet<(String, usize, usize)> = HashSet::new();
            for input in &inputs {
                engine.set_input(input.clone());
                let mut failed = false;
                for rule in &check.rules {
                    // A rule that errors on this input (e.g. a type error) yields nothing,
                    // as in OPA's non-strict mode.
                    let Ok(v) = engine.eval_rule(format!("data.{}.{rule}", check.package)) else {
                        continue;
                    };
                    for (msg, start, end) in deny_results(&v) {
                        failed = true;
                        if seen.insert((msg.clone(), start, end)) {
                            result.misconf_summary.failures += 1;
                            let m = misconfiguration(
                                check,
                                kind,
                                Status::Fail,
                                msg,
                                start,
                                end,
                                &lines,
                                opts,
                            );
                            result.misconfigurations.push(m);
                        }
                    }
                }
                passed |= !failed;
            }
            if passed {
                result.misconf_summary.successes += 1;
                if opts.include_non_failures {
                    let m = misconfiguration(
                        check,
                        kind,
                        Status::Pass,
                        "No issues found".into(),
                        0,
                        0,
                        &lines,
                        opts,
                    );
                    result.misconfigurations.push(m);
                }
            }
        }
        result.misconfigurations.sort_by_key(|m| {
            (
                m.status == Status::Pass,
                m.cause_metadata.start_line,
                m.id.clone(),
            )
        });
    }
}

/// The (message, start line, end line) of each result of a `deny` rule (a set, an array, a
/// string or an object; `false`/undefined are no result).
fn deny_results(v: &regorus::Value) -> Vec<(String, usize, usize)> {
    if *v == regorus::Value::Undefined {
        return Vec::new();
    }
    let Ok(j) = serde_json::to_value(v) else {
        return Vec::new();
    };
    let items = match j {
        Json::Array(a) => a,
        Json::Null | Json::Bool(false) => return Vec::new(),
        other => vec![other],
    };
    items
        .iter()
        .filter_map(|item| match item {
            Json::String(s) => Some((s.clone(), 0, 0)),
            Json::Object(o) => {
                let msg = match o.get("msg") {
                    Some(Json::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                let (start, end, _) = lines_of(item);
                let start = start.unwrap_or(0);
                Some((msg, start, end.unwrap_or(start).max(start)))
            }
            Json::Bool(true) => Some((String::new(), 0, 0)),
            _ => None,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn misconfiguration(
    check: &Check,
    kind: FileKind,
    status: Status,
    message: String,
    start: usize,
    end: usize,
    lines: &[&str],
    opts: &Options,
) -> Misconfiguration {
    let (check_type, provider) = match kind {
        FileKind::Dockerfile => ("Dockerfile Security Check", "Dockerfile"),
        _ => ("Kubernetes Security Check", "Kubernetes"),
    };
    let m = &check.meta;
    Misconfiguration {
        check_type: check_type.to_string(),
        id: m.id.clone(),
        avd_id: m.avd_id.clone(),
        short_id: m.id.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        message,
        namespace: check.package.clone(),
        query: format!("data.{}.deny", check.package),
        resolution: m.resolution.clone(),
        severity: m.severity,
        primary_url: m.references.first().cloned().unwrap_or_default(),
        references: m.references.clone(),
        status,
        cause_metadata: CauseMetadata {
            provider: provider.to_string(),
            service: "general".to_string(),
            start_line: start,
            end_line: end,
            code: code(lines, start, end, opts.max_code_lines),
        },
        layer: None,
    }
}

fn code(lines: &[&str], start: usize, end: usize, max_lines: usize) -> Code {
    if start == 0 || start > lines.len() {
        return Code::default();
    }
    let end = end.clamp(start, lines.len());
    let last_shown = end.min(start + max_lines.max(1) - 1);
    Code {
        lines: (start..=last_shown)
            .map(|n| Line {
                number: n,
                content: lines[n - 1].to_string(),
                is_cause: true,
                annotation: String::new(),
                truncated: n == last_shown && last_shown < end,
                first_cause: n == start,
                last_cause: n == end,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces() {
        let ns = vec!["user".to_string()];
        assert!(in_namespace("user", &ns));
        assert!(in_namespace("user.k8s.x", &ns));
        assert!(!in_namespace("users.x", &ns));
        assert!(!in_namespace("builtin.x", &ns));
    }

    #[test]
    fn source_scraping() {
        let text = "# METADATA\n# title: T\n# custom:\n#   id: X-1\npackage user.a.b # c\n\ndeny[msg] {\n  msg := \"x\"\n}\ndeny_other contains m if { m := 1 }\ndenylist := 1\n";
        assert_eq!(package_of(text).as_deref(), Some("user.a.b"));
        assert_eq!(deny_rules(text), ["deny", "deny_other"]);
        assert_eq!(
            metadata_block(text).as_deref(),
            Some("title: T\ncustom:\n  id: X-1\n")
        );
        assert_eq!(error_line("a.rego:12:3: error", "a.rego"), Some(12));
        assert_eq!(error_line("no location", "a.rego"), None);
    }

    #[test]
    fn deny_result_shapes() {
        let v = regorus::Value::from(
            json!(["plain", {"msg": "obj", "startline": 3, "endline": 4},
            {"msg": "meta", "__defsec_metadata": {"startline": 7, "endline": 9}}]),
        );
        assert_eq!(
            deny_results(&v),
            [
                ("plain".to_string(), 0, 0),
                ("obj".to_string(), 3, 4),
                ("meta".to_string(), 7, 9)
            ]
        );
        assert!(deny_results(&regorus::Value::Undefined).is_empty());
    }
}
