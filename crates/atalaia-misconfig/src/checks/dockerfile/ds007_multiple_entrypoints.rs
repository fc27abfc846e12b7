//! DS-0007 (DS007): Multiple ENTRYPOINT instructions listed
//!
//! ## What it checks
//! A stage has more than one `ENTRYPOINT`.
//!
//! ## Why it matters
//! There can only be one ENTRYPOINT instruction in a Dockerfile. Only the last ENTRYPOINT instruction in the Dockerfile will have an effect.

use super::duplicates;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0007",
    short_id: "DS007",
    avd_id: "AVD-DS-0007",
    title: "Multiple ENTRYPOINT instructions listed",
    description: "There can only be one ENTRYPOINT instruction in a Dockerfile. Only the last ENTRYPOINT instruction in the Dockerfile will have an effect.",
    resolution: "Remove unnecessary ENTRYPOINT instruction.",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/engine/reference/builder/#entrypoint"],
    namespace: "builtin.dockerfile.DS007",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    duplicates(
        df,
        "entrypoint",
        |n| format!("There are {n} duplicate ENTRYPOINT instructions"),
        out,
    );
}
