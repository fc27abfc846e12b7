//! DS-0030 (DS030): WORKDIR should not be mounted on system dirs
//!
//! ## What it checks
//! A `WORKDIR` under `/proc/`, `/boot/`, `/dev/`, `/initrd/` or `/lost+found/`.
//!
//! ## Why it matters
//! WORKDIR should not be mounted on system directories to avoid container breakouts

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0030",
    short_id: "DS030",
    avd_id: "AVD-DS-0030",
    title: "WORKDIR should not be mounted on system dirs",
    description: "WORKDIR should not be mounted on system directories to avoid container breakouts",
    resolution: "Avoid using system directories to mount WORKDIR",
    severity: Severity::High,
    references: &[
        "https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#workdir",
    ],
    namespace: "builtin.dockerfile.DS030",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in df.instructions().filter(|i| i.cmd == "workdir") {
        let Some(arg) = ins.value.first() else {
            continue;
        };
        let trimmed = arg.trim_matches('"');
        if ["/proc/", "/boot/", "/dev/", "/initrd/", "/lost+found/"]
            .iter()
            .any(|d| trimmed.starts_with(d))
        {
            out.push(cause(
                format!("WORKDIR path '{arg}' should not mount system directories"),
                ins,
            ));
        }
    }
}
