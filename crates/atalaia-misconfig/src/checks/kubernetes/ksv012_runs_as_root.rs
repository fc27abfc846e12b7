//! KSV-0012 (KSV012): Runs as root user
//!
//! ## What it checks
//! Neither the container nor its pod sets `runAsNonRoot: true` (a container's `false` wins over the pod's `true`).
//!
//! ## Why it matters
//! Force the running image to run as a non-root user to ensure least privileges.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0012",
    short_id: "KSV012",
    avd_id: "AVD-KSV-0012",
    title: "Runs as root user",
    description: "Force the running image to run as a non-root user to ensure least privileges.",
    resolution: "Set 'containers[].securityContext.runAsNonRoot' to true.",
    severity: Severity::Medium,
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    ],
    namespace: "builtin.kubernetes.KSV012",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| {
            let own = c.sc(&["runAsNonRoot"]).and_then(Node::as_bool);
            let pod = c.pod.sc(&["runAsNonRoot"]).and_then(Node::as_bool);
            !(own == Some(true) || (pod == Some(true) && own != Some(false)))
        },
        |c| container_msg(res, c, "should set 'securityContext.runAsNonRoot' to true"),
    );
}
