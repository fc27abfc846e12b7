//! DS-0025 (DS025): 'apk add' is missing '--no-cache'
//!
//! ## What it checks
//! An `apk add` without `--no-cache`.
//!
//! ## Why it matters
//! You should use 'apk add' with '--no-cache' to clean package cached data and reduce image size.

use super::{cause, parse_commands, runs};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0025",
    short_id: "DS025",
    avd_id: "AVD-DS-0025",
    title: "'apk add' is missing '--no-cache'",
    description: "You should use 'apk add' with '--no-cache' to clean package cached data and reduce image size.",
    resolution: "Add '--no-cache' to 'apk add' in Dockerfile",
    severity: Severity::High,
    references: &["https://github.com/gliderlabs/docker-alpine/blob/master/docs/usage.md#disabling-cache"],
    namespace: "builtin.dockerfile.DS025",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in runs(df) {
        let raw = ins.value.join(" ");
        let missing = parse_commands(&raw).iter().any(|tokens| {
            tokens.first().is_some_and(|t| t == "apk")
                && tokens.iter().skip(1).any(|t| t == "add")
                && !tokens.iter().any(|t| t == "--no-cache")
        });
        if missing {
            out.push(cause(format!("'--no-cache' is missed: {raw}"), ins));
        }
    }
}
