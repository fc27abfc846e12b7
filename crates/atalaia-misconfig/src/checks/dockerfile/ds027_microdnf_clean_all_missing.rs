//! DS-0027 (DS027): 'microdnf clean all' missing
//!
//! ## What it checks
//! A `RUN` installs with `microdnf` and the last `microdnf` command is not `microdnf clean all`.
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
    id: "DS-0027",
    short_id: "DS027",
    avd_id: "AVD-DS-0027",
    title: "'microdnf clean all' missing",
    description: "Cached package data should be cleaned after installation to reduce image size.",
    resolution: "Add 'microdnf clean all' to Dockerfile",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/"],
    namespace: "builtin.dockerfile.DS027",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let install = r"(microdnf install)|(microdnf reinstall)";
    static RE: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let regexes = RE.get_or_init(|| clean_regexes(install, &["microdnf clean all"]));
    install_then_clean(
        df,
        regexes.as_ref(),
        &["microdnf clean all"],
        |arg| format!("'microdnf clean all' is missed: {arg}"),
        out,
    );
}
