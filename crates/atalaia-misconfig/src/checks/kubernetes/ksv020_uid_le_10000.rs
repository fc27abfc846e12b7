//! KSV-0020 (KSV020): Runs with UID <= 10000
//!
//! ## What it checks
//! A container's `securityContext.runAsUser` is unset or at most 10000 (the pod's value is not considered, as in Trivy).
//!
//! ## Why it matters
//! Force the container to run with user ID > 10000 to avoid conflicts with the host’s user table.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0020",
    short_id: "KSV020",
    avd_id: "AVD-KSV-0020",
    title: "Runs with UID <= 10000",
    description: "Force the container to run with user ID > 10000 to avoid conflicts with the host’s user table.",
    resolution: "Set 'containers[].securityContext.runAsUser' to an integer > 10000.",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-securitycontext-runasuser/"],
    namespace: "builtin.kubernetes.KSV020",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| {
            c.sc(&["runAsUser"])
                .and_then(Node::as_f64)
                .is_none_or(|u| u <= 10000.0)
        },
        |c| container_msg(res, c, "should set 'securityContext.runAsUser' > 10000"),
    );
}
