//! KSV-0001 (KSV001): Can elevate its own privileges
//!
//! ## What it checks
//! A container does not set `securityContext.allowPrivilegeEscalation` to `false`.
//!
//! ## Why it matters
//! A program inside the container can elevate its own privileges and run as root, which might give the program control over the container and node.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0001",
    short_id: "KSV001",
    avd_id: "AVD-KSV-0001",
    title: "Can elevate its own privileges",
    description: "A program inside the container can elevate its own privileges and run as root, which might give the program control over the container and node.",
    resolution: "Set 'set containers[].securityContext.allowPrivilegeEscalation' to 'false'.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
    namespace: "builtin.kubernetes.KSV001",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| c.sc(&["allowPrivilegeEscalation"]).and_then(Node::as_bool) != Some(false),
        |c| {
            container_msg(
                res,
                c,
                "should set 'securityContext.allowPrivilegeEscalation' to false",
            )
        },
    );
}
