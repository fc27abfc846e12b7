//! DS-0012 (DS012): Duplicate aliases defined in different FROMs
//!
//! ## What it checks
//! Two `FROM`s define the same alias.
//!
//! ## Why it matters
//! Different FROMs can't have the same alias defined.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0012",
    short_id: "DS012",
    avd_id: "AVD-DS-0012",
    title: "Duplicate aliases defined in different FROMs",
    description: "Different FROMs can't have the same alias defined.",
    resolution: "Change aliases to make them different",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/develop/develop-images/multistage-build/"],
    namespace: "builtin.dockerfile.DS012",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let named: Vec<(&str, &Instruction)> = df
        .stages
        .iter()
        .filter_map(|s| Some((s.alias.as_deref()?, s.instructions.first()?)))
        .collect();
    for (i, (a1, ins1)) in named.iter().enumerate() {
        if named[i + 1..]
            .iter()
            .any(|(a2, ins2)| a1 == a2 && ins1.start_line < ins2.start_line)
        {
            out.push(cause(
                format!("Duplicate aliases '{a1}' are found in different FROMs"),
                ins1,
            ));
        }
    }
}
