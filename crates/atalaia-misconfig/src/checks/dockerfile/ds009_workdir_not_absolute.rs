//! DS-0009 (DS009): WORKDIR path not absolute
//!
//! ## What it checks
//! A `WORKDIR` path is relative (not `/…`, a Windows drive, or a variable).
//!
//! ## Why it matters
//! For clarity and reliability, you should always use absolute paths for your WORKDIR.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;
use regex::Regex;
use std::sync::OnceLock;

pub(crate) static META: Meta = Meta {
    id: "DS-0009",
    short_id: "DS009",
    avd_id: "AVD-DS-0009",
    title: "WORKDIR path not absolute",
    description:
        "For clarity and reliability, you should always use absolute paths for your WORKDIR.",
    resolution: "Use absolute paths for your WORKDIR",
    severity: Severity::High,
    references: &[
        "https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#workdir",
    ],
    namespace: "builtin.dockerfile.DS009",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"^["']?(/[A-Za-z0-9\-_+\[\]\\^`]*)|([A-Za-z0-9\-_+\[\]\\^`]:\\.*)|(\$[{}A-Za-z0-9\-_+\[\]\\^`].*)"#).expect("valid regex")
    });
    for ins in df.instructions().filter(|i| i.cmd == "workdir") {
        let Some(arg) = ins.value.first() else {
            continue;
        };
        if !re.is_match(arg) {
            out.push(cause(
                format!("WORKDIR path '{arg}' should be absolute"),
                ins,
            ));
        }
    }
}
