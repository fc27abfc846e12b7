//! DS-0013 (DS013): 'RUN cd ...' to change directory
//!
//! ## What it checks
//! A `RUN` has a command (split at `&&`) that starts with `cd `.
//!
//! ## Why it matters
//! Use WORKDIR instead of proliferating instructions like 'RUN cd … && do-something', which are hard to read, troubleshoot, and maintain.

use super::{cause, runs};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;
use regex::Regex;
use std::sync::OnceLock;

pub(crate) static META: Meta = Meta {
    id: "DS-0013",
    short_id: "DS013",
    avd_id: "AVD-DS-0013",
    title: "'RUN cd ...' to change directory",
    description: "Use WORKDIR instead of proliferating instructions like 'RUN cd … && do-something', which are hard to read, troubleshoot, and maintain.",
    resolution: "Use WORKDIR to change directory",
    severity: Severity::Medium,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#workdir"],
    namespace: "builtin.dockerfile.DS013",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\s*&&\s*").expect("valid regex"));
    for ins in runs(df) {
        if ins
            .value
            .iter()
            .any(|v| re.split(v).any(|p| p.starts_with("cd ")))
        {
            let args = ins.value.join(" ");
            out.push(cause(format!("RUN should not be used to change directory: '{args}'. Use 'WORKDIR' statement instead."), ins));
        }
    }
}
