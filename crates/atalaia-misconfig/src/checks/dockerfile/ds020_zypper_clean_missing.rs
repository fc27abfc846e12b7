//! DS-0020 (DS020): 'zypper clean' missing
//!
//! ## What it checks
//! A `RUN` installs with `zypper` and the last `zypper` command is not `zypper clean`/`zypper cc`.
//!
//! ## Why it matters
//! The layer and image size should be reduced by deleting unneeded caches after running zypper.

use std::sync::OnceLock;

use regex::Regex;

use super::{clean_regexes, install_then_clean};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0020",
    short_id: "DS020",
    avd_id: "AVD-DS-0020",
    title: "'zypper clean' missing",
    description: "The layer and image size should be reduced by deleting unneeded caches after running zypper.",
    resolution: "Add 'zypper clean' to Dockerfile",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#run"],
    namespace: "builtin.dockerfile.DS020",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let install = r"(zypper in)|(zypper remove)|(zypper rm)|(zypper source-install)|(zypper si)|(zypper patch)|(zypper (-(-)?[a-zA-Z]+ *)*install)";
    static RE: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let regexes = RE.get_or_init(|| clean_regexes(install, &["zypper clean", "zypper cc"]));
    install_then_clean(
        df,
        regexes.as_ref(),
        &["zypper clean", "zypper cc"],
        |arg| format!("'zypper clean' is missed: '{arg}'"),
        out,
    );
}
