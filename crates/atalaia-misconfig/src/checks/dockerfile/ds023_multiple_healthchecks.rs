//! DS-0023 (DS023): Multiple HEALTHCHECK defined
//!
//! ## What it checks
//! A stage has more than one `HEALTHCHECK`.
//!
//! ## Why it matters
//! Providing more than one HEALTHCHECK instruction per stage is confusing and error-prone.

use super::duplicates;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0023",
    short_id: "DS023",
    avd_id: "AVD-DS-0023",
    title: "Multiple HEALTHCHECK defined",
    description:
        "Providing more than one HEALTHCHECK instruction per stage is confusing and error-prone.",
    resolution:
        "One HEALTHCHECK instruction must remain in Dockerfile. Remove all other instructions.",
    severity: Severity::Medium,
    references: &["https://docs.docker.com/engine/reference/builder/#healthcheck"],
    namespace: "builtin.dockerfile.DS023",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    duplicates(
        df,
        "healthcheck",
        |n| format!("There are {n} duplicate HEALTHCHECK instructions in the stage"),
        out,
    );
}
