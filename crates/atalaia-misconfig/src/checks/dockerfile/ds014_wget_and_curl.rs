//! DS-0014 (DS014): RUN using 'wget' and 'curl'
//!
//! ## What it checks
//! Both `wget` and `curl` are used by `RUN`s (installing them does not count).
//!
//! ## Why it matters
//! Avoid using both 'wget' and 'curl' since these tools have the same effect.

use super::{cause, runs, split_and};
use crate::checks::{Cause, Meta};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0014",
    short_id: "DS014",
    avd_id: "AVD-DS-0014",
    title: "RUN using 'wget' and 'curl'",
    description: "Avoid using both 'wget' and 'curl' since these tools have the same effect.",
    resolution: "Pick one util, either 'wget' or 'curl'",
    severity: Severity::Low,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#run"],
    namespace: "builtin.dockerfile.DS014",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let uses = |tool: &str| -> Vec<&Instruction> {
        runs(df)
            .filter(|ins| {
                if ins.value.len() > 1 {
                    return ins.value[0] == tool;
                }
                let Some(v) = ins.value.first() else {
                    return false;
                };
                split_and(v)
                    .iter()
                    .any(|c| !c.contains("install ") && c.trim_start_matches(' ').starts_with(tool))
            })
            .collect()
    };
    let (wget, curl) = (uses("wget"), uses("curl"));
    if let (Some(first), false) = (wget.first(), curl.is_empty()) {
        out.push(cause("Shouldn't use both curl and wget", first));
    }
}
