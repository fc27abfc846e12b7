//! DS-0011 (DS011): COPY with more than two arguments not ending with slash
//!
//! ## What it checks
//! A `COPY` with more than two arguments whose destination does not end with `/`.
//!
//! ## Why it matters
//! When a COPY command has more than two arguments, the last one should end with a slash.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0011",
    short_id: "DS011",
    avd_id: "AVD-DS-0011",
    title: "COPY with more than two arguments not ending with slash",
    description:
        "When a COPY command has more than two arguments, the last one should end with a slash.",
    resolution: "Add slash to last COPY argument",
    severity: Severity::Critical,
    references: &["https://docs.docker.com/engine/reference/builder/#copy"],
    namespace: "builtin.dockerfile.DS011",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in df.instructions().filter(|i| i.cmd == "copy") {
        let n = ins.value.len();
        if n <= 2 {
            continue;
        }
        let hashed = |p: &str| n == 3 && ins.value[0].starts_with(p) && ins.value[1] == "in";
        if hashed("file:") || hashed("multi:") {
            continue;
        }
        let arg = &ins.value[n - 1];
        if !arg.ends_with('/') {
            out.push(cause(
                format!("Slash is expected at the end of COPY command argument '{arg}'"),
                ins,
            ));
        }
    }
}
