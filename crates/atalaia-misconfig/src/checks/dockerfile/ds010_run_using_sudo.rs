//! DS-0010 (DS010): RUN using 'sudo'
//!
//! ## What it checks
//! A shell-form `RUN` has a command that starts with `sudo`.
//!
//! ## Why it matters
//! Avoid using 'RUN' with 'sudo' commands, as it can lead to unpredictable behavior.

use super::{cause, runs};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0010",
    short_id: "DS010",
    avd_id: "AVD-DS-0010",
    title: "RUN using 'sudo'",
    description:
        "Avoid using 'RUN' with 'sudo' commands, as it can lead to unpredictable behavior.",
    resolution: "Don't use sudo",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/engine/reference/builder/#run"],
    namespace: "builtin.dockerfile.DS010",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in runs(df) {
        if ins.value.len() == 1
            && ins.value[0]
                .split("&&")
                .any(|p| p.trim_start().starts_with("sudo"))
        {
            out.push(cause("Using 'sudo' in Dockerfile should be avoided", ins));
        }
    }
}
