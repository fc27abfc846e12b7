//! DS-0001 (DS001): ':latest' tag used
//!
//! ## What it checks
//! The image in a `FROM` has no tag, or the tag `latest` (after `ARG` substitution), and is not `scratch` or a stage alias.
//!
//! ## Why it matters
//! When using a 'FROM' statement you should use a specific tag to avoid uncontrolled behavior when the image is updated.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

pub(crate) static META: Meta = Meta {
    id: "DS-0001",
    short_id: "DS001",
    avd_id: "AVD-DS-0001",
    title: "':latest' tag used",
    description: "When using a 'FROM' statement you should use a specific tag to avoid uncontrolled behavior when the image is updated.",
    resolution: "Add a tag to the image in the 'FROM' statement",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.dockerfile.DS001",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let aliases: Vec<String> = df.stages.iter().filter_map(|s| s.alias.clone()).collect();
    let global = stage_args(df.stages.first());
    for (i, stage) in df.stages.iter().enumerate() {
        let mut vars = global.clone();
        if i != 0 {
            vars.extend(stage_args(Some(stage)));
        }
        for ins in stage.instructions.iter().filter(|i| i.cmd == "from") {
            let Some(reference) = ins.value.first() else {
                continue;
            };
            let Some((img, tag)) = image_and_tag(reference, &vars) else {
                continue;
            };
            if img != "scratch"
                && !aliases.iter().any(|a| a == &img.to_ascii_lowercase())
                && tag == "latest"
            {
                out.push(cause(
                    format!("Specify a tag in the 'FROM' statement for image '{img}'"),
                    ins,
                ));
            }
        }
    }
}

fn stage_args(stage: Option<&crate::dockerfile::Stage>) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for ins in stage
        .iter()
        .flat_map(|s| s.instructions.iter())
        .filter(|i| i.cmd == "arg")
    {
        if let Some(raw) = ins.value.first() {
            match raw.split_once('=') {
                Some((k, v)) => {
                    m.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string())
                }
                None => m.insert(raw.clone(), String::new()),
            };
        }
    }
    m
}

fn var_refs(s: &str) -> Vec<(usize, usize, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r"\$\{[^}]+\}|\$[a-zA-Z_][a-zA-Z0-9_]*").expect("valid regex"));
    re.find_iter(s)
        .map(|m| {
            let t = m.as_str();
            let name = if let Some(inner) = t.strip_prefix("${") {
                inner.trim_end_matches('}')
            } else {
                &t[1..]
            };
            (m.start(), m.end(), name.to_string())
        })
        .collect()
}

fn split_tag(s: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        [img] => Some(((*img).to_string(), "latest".to_string())),
        [img, tag] => Some(((*img).to_string(), (*tag).to_string())),
        _ => None,
    }
}

fn image_and_tag(reference: &str, vars: &HashMap<String, String>) -> Option<(String, String)> {
    if !reference.contains('$') {
        return split_tag(reference);
    }
    let refs = var_refs(reference);
    let mut res = String::new();
    let mut last = 0;
    for (s, e, name) in &refs {
        res.push_str(&reference[last..*s]);
        res.push_str(vars.get(name).map_or("", String::as_str));
        last = *e;
    }
    res.push_str(&reference[last..]);
    if !res.contains(':') {
        let ends_with_var = var_refs(&res).iter().any(|(_, e, _)| *e == res.len());
        if ends_with_var {
            return None;
        }
        return split_tag(&res);
    }
    let (img, tag) = split_tag(&res)?;
    (!tag.contains('$')).then_some((img, tag))
}
