//! KSV-0021 (KSV021): Runs with GID <= 10000
//!
//! ## What it checks
//! A container's `securityContext.runAsGroup` is unset or at most 10000.
//!
//! ## Why it matters
//! Force the container to run with group ID > 10000 to avoid conflicts with the host’s user table.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0021",
    short_id: "KSV021",
    avd_id: "AVD-KSV-0021",
    title: "Runs with GID <= 10000",
    description: "Force the container to run with group ID > 10000 to avoid conflicts with the host’s user table.",
    resolution: "Set 'containers[].securityContext.runAsGroup' to an integer > 10000.",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-securitycontext-runasuser/"],
    namespace: "builtin.kubernetes.KSV021",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| {
            c.sc(&["runAsGroup"])
                .and_then(Node::as_f64)
                .is_none_or(|g| g <= 10000.0)
        },
        |c| container_msg(res, c, "should set 'securityContext.runAsGroup' > 10000"),
    );
}
