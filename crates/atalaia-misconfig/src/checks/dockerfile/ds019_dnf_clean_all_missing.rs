//! DS-0019 (DS019): 'dnf clean all' missing
//!
//! ## What it checks
//! A `RUN` installs with `dnf` and the last `dnf` command is not `dnf clean all`.
//!
//! ## Why it matters
//! Cached package data should be cleaned after installation to reduce image size.

use std::sync::OnceLock;

use regex::Regex;

use super::{clean_regexes, install_then_clean};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0019",
    short_id: "DS019",
    avd_id: "AVD-DS-0019",
    title: "'dnf clean all' missing",
    description: "Cached package data should be cleaned after installation to reduce image size.",
    resolution: "Add 'dnf clean all' to Dockerfile",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/"],
    namespace: "builtin.dockerfile.DS019",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let install = r"(dnf install)|(dnf in)|(dnf reinstall)|(dnf rei)|(dnf install-n)|(dnf install-na)|(dnf install-nevra)";
    static RE: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let regexes = RE.get_or_init(|| clean_regexes(install, &["dnf clean all"]));
    install_then_clean(
        df,
        regexes.as_ref(),
        &["dnf clean all"],
        |arg| format!("'dnf clean all' is missed: {arg}"),
        out,
    );
}
