//! DS-0021 (DS021): 'apt-get' missing '-y' to avoid manual input
//!
//! ## What it checks
//! `apt-get install` without `-y`/`--yes`/`--assume-yes`.
//!
//! ## Why it matters
//! 'apt-get' calls should use the flag '-y' to avoid manual user input.

use super::{cause, is_apt_get_install, runs, APT_PKGS};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;
use regex::Regex;
use std::sync::OnceLock;

pub(crate) static META: Meta = Meta {
    id: "DS-0021",
    short_id: "DS021",
    avd_id: "AVD-DS-0021",
    title: "'apt-get' missing '-y' to avoid manual input",
    description: "'apt-get' calls should use the flag '-y' to avoid manual user input.",
    resolution: "Add '-y' flag to 'apt-get'",
    severity: Severity::High,
    references: &["https://docs.docker.com/engine/reference/builder/#run"],
    namespace: "builtin.dockerfile.DS021",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let flags = r"\s*(-(-)?[a-zA-Z]+\s*)*";
    let combined =
        format!(r"{flags}((-([a-xzA-XZ])*y([a-xzA-XZ])*)|(--yes)|(--assume-yes)){flags}");
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
            out.push(cause(format!("'-y' flag is missed: '{arg}'"), ins));
        }
    }
}
