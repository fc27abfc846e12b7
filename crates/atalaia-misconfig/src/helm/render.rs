//! Rendering a loaded chart as `helm template` would: values coalesced with the subcharts'
//! defaults and globals, dependencies enabled by `condition`/`tags`, every template of every
//! chart parsed into one set (parents' definitions win), then each non-partial template
//! executed with its chart's scoped values.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::gotmpl::value::{Map, Native};
use crate::gotmpl::{Limits, TemplateSet, Value};

use super::chart::Chart;
use super::HelmError;

/// The Kubernetes version templates see (`.Capabilities.KubeVersion`).
pub const KUBE_VERSION: (u32, u32) = (1, 29);

/// One rendered template.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Path relative to the top chart's root: `templates/x.yaml`,
    /// `charts/<sub>/templates/y.yaml`.
    pub path: String,
    /// Helm's template name: `<chart>/templates/x.yaml`.
    pub name: String,
    /// The output.
    pub output: String,
}

/// API versions `.Capabilities.APIVersions.Has` knows (Kubernetes 1.29's built-in groups).
const API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
    "apps/v1/Deployment",
    "apps/v1/StatefulSet",
    "apps/v1/DaemonSet",
    "batch/v1/Job",
    "batch/v1/CronJob",
    "networking.k8s.io/v1/Ingress",
    "policy/v1/PodDisruptionBudget",
    "autoscaling/v2/HorizontalPodAutoscaler",
];

fn new_map() -> Map {
    Rc::new(std::cell::RefCell::new(BTreeMap::new()))
}

fn as_map(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m) => Some(m.clone()),
        _ => None,
    }
}

/// Fill `dst` from `defaults` where it has no key; maps merged deeply; a `null` in `dst`
/// removes the default (Helm's coalescing of user values over chart defaults).
fn coalesce(dst: &Map, defaults: &Map, depth: usize) {
    if depth > 100 || Rc::ptr_eq(dst, defaults) {
        return;
    }
    let defaults: Vec<(String, Value)> = defaults
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, dv) in defaults {
        let cur = dst.borrow().get(&k).cloned();
        match cur {
            None => {
                dst.borrow_mut().insert(k, dv.deep_copy());
            }
            Some(Value::Nil) => {
                dst.borrow_mut().remove(&k);
            }
            Some(Value::Map(cm)) => {
                if let Value::Map(dm) = &dv {
                    coalesce(&cm, dm, depth + 1);
                }
            }
            Some(_) => {}
        }
    }
}

/// Copy the parent's `global` into the subchart's (parent wins, maps merged).
fn push_globals(parent: &Map, sub: &Map) {
    let Some(pg) = parent.borrow().get("global").and_then(as_map) else {
        return;
    };
    let sg = match sub.borrow().get("global").and_then(as_map) {
        Some(g) => g,
        None => new_map(),
    };
    // Parent wins: start from a copy of the parent's, fill from the subchart's.
    let merged = match Value::Map(pg).deep_copy() {
        Value::Map(m) => m,
        _ => new_map(),
    };
    coalesce(&merged, &sg, 0);
    sub.borrow_mut().insert("global".into(), Value::Map(merged));
}

/// Look a dotted path up in values.
fn lookup(values: &Map, path: &str) -> Option<Value> {
    let mut cur = Value::Map(values.clone());
    for part in path.split('.') {
        cur = match &cur {
            Value::Map(m) => m.borrow().get(part).cloned()?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A chart with its scoped values and Helm path, ready to render.
struct Scoped<'a> {
    chart: &'a Chart,
    name: String,
    values: Map,
    /// `<top>` or `<top>/charts/<sub>`.
    helm_path: String,
    /// Path relative to the top chart's root (`""` or `charts/<sub>/`).
    rel_prefix: String,
    is_root: bool,
}

fn effective_name(parent: &Chart, sub: &Chart) -> String {
    parent
        .dependencies
        .iter()
        .find(|d| d.name == sub.name)
        .and_then(|d| d.alias.clone())
        .unwrap_or_else(|| sub.name.clone())
}

/// Coalesce subchart defaults into `values`, decide which subcharts are enabled, and collect
/// every enabled chart with its scoped values.
#[allow(clippy::too_many_arguments)] // The recursion's state; a struct would only rename it.
fn scope<'a>(
    chart: &'a Chart,
    name: String,
    values: Map,
    helm_path: String,
    rel_prefix: String,
    is_root: bool,
    out: &mut Vec<Scoped<'a>>,
    depth: usize,
) {
    if depth > 10 {
        return;
    }
    let mut subs = Vec::new();
    for sub in &chart.subcharts {
        let sub_name = effective_name(chart, sub);
        let sv = match values.borrow().get(&sub_name).and_then(as_map) {
            Some(m) => m,
            None => new_map(),
        };
        if let Value::Map(defaults) = &sub.values {
            coalesce(&sv, defaults, 0);
        }
        push_globals(&values, &sv);
        values
            .borrow_mut()
            .insert(sub_name.clone(), Value::Map(sv.clone()));
        subs.push((sub, sub_name, sv));
    }
    out.push(Scoped {
        chart,
        name,
        values: values.clone(),
        helm_path: helm_path.clone(),
        rel_prefix: rel_prefix.clone(),
        is_root,
    });
    for (sub, sub_name, sv) in subs {
        if !enabled(chart, sub, &values) {
            continue;
        }
        scope(
            sub,
            sub_name.clone(),
            sv,
            format!("{helm_path}/charts/{sub_name}"),
            format!("{rel_prefix}charts/{sub_name}/"),
            false,
            out,
            depth + 1,
        );
    }
}

/// Helm's rules: the first `condition` path that resolves to a boolean decides; otherwise
/// any tag set to true enables and tags all set to false disable; otherwise enabled.
fn enabled(parent: &Chart, sub: &Chart, values: &Map) -> bool {
    let Some(dep) = parent.dependencies.iter().find(|d| d.name == sub.name) else {
        return true;
    };
    if let Some(cond) = &dep.condition {
        for path in cond.split(',').map(str::trim) {
            if let Some(Value::Bool(b)) = lookup(values, path) {
                return b;
            }
        }
    }
    if !dep.tags.is_empty() {
        let tags: Vec<bool> = dep
            .tags
            .iter()
            .filter_map(|t| match lookup(values, &format!("tags.{t}")) {
                Some(Value::Bool(b)) => Some(b),
                _ => None,
            })
            .collect();
        if !tags.is_empty() {
            return tags.iter().any(|b| *b);
        }
    }
    true
}

/// `Chart.yaml` as `.Chart`: Helm's field names (`Name`, `AppVersion`, `APIVersion`...).
fn chart_object(meta: &Value, name: &str, is_root: bool) -> Value {
    let mut m = BTreeMap::new();
    if let Value::Map(src) = meta {
        for (k, v) in src.borrow().iter() {
            let key = match k.as_str() {
                "apiVersion" => "APIVersion".to_string(),
                k => {
                    let mut c = k.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                }
            };
            m.insert(key, v.clone());
        }
    }
    m.insert("Name".into(), Value::str(name));
    m.insert("IsRoot".into(), Value::Bool(is_root));
    Value::map(m)
}

fn capabilities() -> Value {
    let (major, minor) = KUBE_VERSION;
    let version = format!("v{major}.{minor}.0");
    let mut kv = BTreeMap::new();
    kv.insert("Version".to_string(), Value::str(&version));
    kv.insert("GitVersion".to_string(), Value::str(&version));
    kv.insert("Major".to_string(), Value::str(major.to_string()));
    kv.insert("Minor".to_string(), Value::str(minor.to_string()));
    let mut hv = BTreeMap::new();
    hv.insert("Version".to_string(), Value::str("v3.16.0"));
    let mut caps = BTreeMap::new();
    caps.insert("KubeVersion".to_string(), Value::map(kv));
    caps.insert("HelmVersion".to_string(), Value::map(hv));
    caps.insert(
        "APIVersions".to_string(),
        Value::Native(Rc::new(Native::ApiVersions(
            API_VERSIONS.iter().map(|s| (*s).to_string()).collect(),
        ))),
    );
    Value::map(caps)
}

/// Helm's template parse order: deeper paths first, then reverse lexical order, so that the
/// definitions of a parent chart (parsed last) win over its subcharts'.
fn parse_order(names: &mut [(String, &str)]) {
    names.sort_by(|(a, _), (b, _)| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

/// Render every template of a chart (and its enabled subcharts). A parse or execution error
/// of any template fails the whole chart, as in Helm.
pub fn render(chart: &Chart, limits: &Limits) -> Result<Vec<Rendered>, HelmError> {
    let top_values = match chart.values.deep_copy() {
        Value::Map(m) => m,
        _ => new_map(),
    };
    let mut scoped = Vec::new();
    scope(
        chart,
        chart.name.clone(),
        top_values,
        chart.name.clone(),
        String::new(),
        true,
        &mut scoped,
        0,
    );
    let mut sources: Vec<(String, &str)> = Vec::new();
    for s in &scoped {
        for (path, src) in &s.chart.templates {
            sources.push((format!("{}/{path}", s.helm_path), src.as_str()));
        }
    }
    parse_order(&mut sources);
    let mut set = TemplateSet::new();
    for (name, src) in &sources {
        set.add(name, src).map_err(HelmError::Template)?;
    }
    let release = {
        let mut r = BTreeMap::new();
        // As Trivy renders: the release is named after the chart, in no namespace.
        r.insert("Name".to_string(), Value::str(&chart.name));
        r.insert("Namespace".to_string(), Value::str(""));
        r.insert("Service".to_string(), Value::str("Helm"));
        r.insert("IsInstall".to_string(), Value::Bool(true));
        r.insert("IsUpgrade".to_string(), Value::Bool(false));
        r.insert("Revision".to_string(), Value::Int(1));
        Value::map(r)
    };
    let caps = capabilities();
    let mut out = Vec::new();
    for s in &scoped {
        if s.chart.library {
            continue;
        }
        let files = Value::Native(Rc::new(Native::Files(
            s.chart
                .files
                .iter()
                .map(|(p, b)| (p.clone(), Rc::from(b.as_slice())))
                .collect(),
        )));
        let chart_obj = chart_object(&s.chart.metadata, &s.name, s.is_root);
        for (path, _) in &s.chart.templates {
            let base = path.rsplit('/').next().unwrap_or(path);
            if base.starts_with('_') || base == "NOTES.txt" {
                continue;
            }
            let name = format!("{}/{path}", s.helm_path);
            let mut tmpl = BTreeMap::new();
            tmpl.insert("Name".to_string(), Value::str(&name));
            tmpl.insert(
                "BasePath".to_string(),
                Value::str(format!("{}/templates", s.helm_path)),
            );
            let mut data = BTreeMap::new();
            data.insert("Values".to_string(), Value::Map(s.values.clone()));
            data.insert("Release".to_string(), release.clone());
            data.insert("Chart".to_string(), chart_obj.clone());
            data.insert("Capabilities".to_string(), caps.clone());
            data.insert("Files".to_string(), files.clone());
            data.insert("Template".to_string(), Value::map(tmpl));
            let output = set
                .render(&name, &Value::map(data), limits)
                .map_err(HelmError::Template)?;
            out.push(Rendered {
                path: format!("{}{path}", s.rel_prefix),
                name,
                output: output.replace("<no value>", ""),
            });
        }
    }
    Ok(out)
}

/// Helm's `releaseutil.SplitManifests`: documents split at `---` lines, each trimmed, empty
/// ones dropped.
pub fn split_manifests(output: &str) -> Vec<String> {
    // (?:^|\s*\n)---\s*
    let re = regex::Regex::new(r"(?:^|\s*\n)---\s*").expect("valid regex");
    re.split(output.trim())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::chart::{Chart, Dependency};

    fn chart(name: &str, values: &str, templates: &[(&str, &str)], subs: Vec<Chart>) -> Chart {
        let v = crate::yaml::parse_documents(values).unwrap();
        Chart {
            name: name.to_string(),
            metadata: Value::from_yaml(
                &crate::yaml::parse_documents(&format!("name: {name}\nversion: 1.2.3\n")).unwrap()
                    [0],
                false,
            ),
            values: v.first().map_or_else(
                || Value::map(BTreeMap::new()),
                |d| Value::from_yaml(d, true),
            ),
            templates: templates
                .iter()
                .map(|(p, s)| ((*p).to_string(), (*s).to_string()))
                .collect(),
            files: vec![("files/a.conf".to_string(), b"k=v".to_vec())],
            subcharts: subs,
            dependencies: Vec::new(),
            library: false,
        }
    }

    #[test]
    fn scoping_globals_conditions_and_overrides() {
        let lib = Chart {
            library: true,
            ..chart(
                "lib",
                "",
                &[("templates/_h.tpl", "{{ define \"lib.name\" }}lib-{{ .Chart.Name }}{{ end }}{{ define \"shared\" }}from-lib{{ end }}")],
                vec![],
            )
        };
        let sub = chart(
            "sub",
            "port: 1\nname: subdefault\nglobal: {g: sub, only: s}\n",
            &[("templates/s.yaml", "{{ .Values.port }} {{ .Values.name }} {{ .Values.global.g }} {{ .Values.global.only }} {{ include \"shared\" . }} {{ .Chart.Name }}")],
            vec![],
        );
        let off = chart(
            "off",
            "",
            &[("templates/o.yaml", "{{ fail \"disabled chart rendered\" }}")],
            vec![],
        );
        let mut top = chart(
            "top",
            "global: {g: top}\nsub: {name: fromtop}\noff: {enabled: false}\n",
            &[
                ("templates/_helpers.tpl", "{{ define \"shared\" }}from-top{{ end }}"),
                ("templates/t.yaml", "{{ include \"lib.name\" . }} {{ .Values.sub.port }} {{ .Release.Name }} {{ .Files.Get \"files/a.conf\" }} {{ .Capabilities.APIVersions.Has \"apps/v1\" }} {{ .Template.Name }}"),
                ("templates/NOTES.txt", "{{ fail \"notes rendered\" }}"),
            ],
            vec![lib, sub, off],
        );
        top.dependencies = vec![Dependency {
            name: "off".into(),
            condition: Some("off.enabled".into()),
            ..Dependency::default()
        }];
        let r = render(&top, &Limits::default()).unwrap();
        let get = |p: &str| r.iter().find(|x| x.path == p).map(|x| x.output.clone());
        assert_eq!(
            get("templates/t.yaml").unwrap(),
            "lib-top 1 top k=v true top/templates/t.yaml"
        );
        assert_eq!(
            get("charts/sub/templates/s.yaml").unwrap(),
            "1 fromtop top s from-top sub"
        );
        assert!(get("charts/off/templates/o.yaml").is_none());
    }

    #[test]
    fn failures_fail_the_chart() {
        let c = chart(
            "c",
            "",
            &[(
                "templates/a.yaml",
                "{{ required \"x is required\" .Values.x }}",
            )],
            vec![],
        );
        assert!(matches!(
            render(&c, &Limits::default()),
            Err(HelmError::Template(_))
        ));
        let c = chart(
            "c",
            "",
            &[("templates/a.yaml", "{{ unknownFn 1 }}")],
            vec![],
        );
        assert!(render(&c, &Limits::default()).is_err());
    }

    #[test]
    fn split() {
        assert_eq!(
            split_manifests("\n\n---\na: 1\n---\n\n---   \nb: 2\n  \n"),
            ["a: 1", "---   \nb: 2"],
            "as Go's regexp splits: the second separator is swallowed by the first's `\\s*`"
        );
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n---\n"), ["a: 1", "b: 2"]);
    }
}
