//! DS-0029 (DS029): 'apt-get' missing '--no-install-recommends'
//!
//! ## What it checks
//! `apt-get install` without `--no-install-recommends`.
//!
//! ## Why it matters
//! 'apt-get' install should use '--no-install-recommends' to minimize image size.

use super::{cause, is_apt_get_install, runs, APT_PKGS};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;
use regex::Regex;
use std::sync::OnceLock;

pub(crate) static META: Meta = Meta {
    id: "DS-0029",
    short_id: "DS029",
    avd_id: "AVD-DS-0029",
    title: "'apt-get' missing '--no-install-recommends'",
    description: "'apt-get' install should use '--no-install-recommends' to minimize image size.",
    resolution: "Add '--no-install-recommends' flag to 'apt-get'",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/"],
    namespace: "builtin.dockerfile.DS029",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let flags = r"\s*(-(-)?[a-zA-Z]+\s*)*";
    let combined = format!(r"{flags}--no-install-recommends{flags}");
    let res = RE.get_or_init(|| {
        [
            Regex::new(&format!(r"apt-get{combined}install")).expect("valid regex"),
            Regex::new(&format!(r"apt-get{flags}install{combined}")).expect("valid regex"),
            Regex::new(&format!(
                r"apt-get{flags}install{flags}{APT_PKGS}{combined}"
            ))
            .expect("valid regex"),
        ]
    });
    for ins in runs(df) {
        let arg = ins.value.join(" ");
        if is_apt_get_install(&arg) && !res.iter().any(|r| r.is_match(&arg)) {
            out.push(cause(
                format!("'--no-install-recommends' flag is missed: '{arg}'"),
                ins,
            ));
        }
    }
}
