//! DS-0015 (DS015): 'yum clean all' missing
//!
//! ## What it checks
//! A `RUN` has `yum install` not followed by `yum clean all`.
//!
//! ## Why it matters
//! You should use 'yum clean all' after using a 'yum install' command to clean package cached data and reduce image size.

use super::{cause, command_indexes, parse_commands, runs};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0015",
    short_id: "DS015",
    avd_id: "AVD-DS-0015",
    title: "'yum clean all' missing",
    description: "You should use 'yum clean all' after using a 'yum install' command to clean package cached data and reduce image size.",
    resolution: "Add 'yum clean all' to Dockerfile",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/#run"],
    namespace: "builtin.dockerfile.DS015",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    for ins in runs(df) {
        let run_cmd = ins.value.join(" ");
        let cmds = parse_commands(&run_cmd);
        let installs = command_indexes(&cmds, &["install"], &["yum"]);
        let Some(last_install) = installs.last() else {
            continue;
        };
        let cleans = command_indexes(&cmds, &["clean"], &["yum"]);
        let clean_all: Vec<usize> = cmds
            .iter()
            .enumerate()
            .filter(|(_, c)| c.iter().any(|t| t == "all"))
            .map(|(i, _)| i)
            .collect();
        let ok = !cleans.is_empty() && clean_all.last().is_some_and(|c| last_install < c);
        if !ok {
            out.push(cause(format!("'yum clean all' is missed: {run_cmd}"), ins));
        }
    }
}
