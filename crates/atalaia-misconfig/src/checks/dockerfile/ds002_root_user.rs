//! DS-0002 (DS002): Image user should not be 'root'
//!
//! ## What it checks
//! No `USER` instruction at all (a whole-file finding), or the last `USER` is `root` or `0`.
//!
//! ## Why it matters
//! Running containers with 'root' user can lead to a container escape situation. It is a best practice to run containers as non-root users, which can be done by adding a 'USER' statement to the Dockerfile.

use super::cause;
use crate::checks::{Cause, Meta};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0002",
    short_id: "DS002",
    avd_id: "AVD-DS-0002",
    title: "Image user should not be 'root'",
    description: "Running containers with 'root' user can lead to a container escape situation. It is a best practice to run containers as non-root users, which can be done by adding a 'USER' statement to the Dockerfile.",
    resolution: "Add 'USER <non root user name>' line to the Dockerfile",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/dockerfile_best-practices/"],
    namespace: "builtin.dockerfile.DS002",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    let users: Vec<&Instruction> = df.instructions().filter(|i| i.cmd == "user").collect();
    let Some(last) = users.last() else {
        out.push(Cause::new(
            "Specify at least 1 USER command in Dockerfile with non-root user as argument",
            None,
        ));
        return;
    };
    let v = last.value.first().map_or("", String::as_str);
    let is_root = |p: &str| {
        v == p
            || v.strip_prefix(p)
                .is_some_and(|r| r.len() > 1 && r.starts_with(':'))
    };
    if is_root("root") || is_root("0") {
        out.push(cause(
            "Last USER command in Dockerfile should not be 'root'",
            last,
        ));
    }
}
