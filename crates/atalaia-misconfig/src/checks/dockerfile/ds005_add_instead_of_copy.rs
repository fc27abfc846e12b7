//! DS-0005 (DS005): ADD instead of COPY
//!
//! ## What it checks
//! An `ADD` that neither extracts an archive nor fetches a URL (`.tar`, `http://`, `https://`, `git@`).
//!
//! ## Why it matters
//! You should use COPY instead of ADD unless you want to extract a tar file. Note that an ADD command will extract a tar file, which adds the risk of Zip-based vulnerabilities. Accordingly, it is advised to use a COPY command, which does not extract tar files.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0005",
    short_id: "DS005",
    avd_id: "AVD-DS-0005",
    title: "ADD instead of COPY",
    description: "You should use COPY instead of ADD unless you want to extract a tar file. Note that an ADD command will extract a tar file, which adds the risk of Zip-based vulnerabilities. Accordingly, it is advised to use a COPY command, which does not extract tar files.",
    resolution: "Use COPY instead of ADD",
    severity: Severity::Low,
    references: &["https://docs.docker.com/engine/reference/builder/#add"],
    namespace: "builtin.dockerfile.DS005",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in df.instructions().filter(|i| i.cmd == "add") {
        let args = ins.value.join(" ");
        if [".tar", "http://", "https://", "git@"]
            .iter()
            .any(|s| args.contains(s))
        {
            continue;
        }
        let hashed = |prefix: &str| match ins.value.as_slice() {
            [a, b, _] => a.starts_with(prefix) && b == "in",
            [a, _] => a.starts_with(prefix),
            _ => false,
        };
        if ["file:", "multi:", "dir:"].iter().any(|p| hashed(p)) {
            continue;
        }
        out.push(cause(
            format!("Consider using 'COPY {args}' command instead of 'ADD {args}'"),
            ins,
        ));
    }
}
