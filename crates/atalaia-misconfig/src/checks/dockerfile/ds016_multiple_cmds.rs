//! DS-0016 (DS016): Multiple CMD instructions listed
//!
//! ## What it checks
//! A stage has more than one `CMD`.
//!
//! ## Why it matters
//! There can only be one CMD instruction in a Dockerfile. If you list more than one CMD then only the last CMD will take effect.

use super::duplicates;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0016",
    short_id: "DS016",
    avd_id: "AVD-DS-0016",
    title: "Multiple CMD instructions listed",
    description: "There can only be one CMD instruction in a Dockerfile. If you list more than one CMD then only the last CMD will take effect.",
    resolution: "Dockerfile should only have one CMD instruction. Remove all the other CMD instructions",
    severity: Severity::High,
    references: &["https://docs.docker.com/engine/reference/builder/#cmd"],
    namespace: "builtin.dockerfile.DS016",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    duplicates(
        df,
        "cmd",
        |n| format!("There are {n} duplicate CMD instructions"),
        out,
    );
}
