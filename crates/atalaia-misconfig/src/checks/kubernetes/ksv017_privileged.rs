//! KSV-0017 (KSV017): Privileged
//!
//! ## What it checks
//! A container sets `securityContext.privileged: true`.
//!
//! ## Why it matters
//! Privileged containers share namespaces with the host system and do not offer any security. They should be used exclusively for system containers that require high privileges.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0017",
    short_id: "KSV017",
    avd_id: "AVD-KSV-0017",
    title: "Privileged",
    description: "Privileged containers share namespaces with the host system and do not offer any security. They should be used exclusively for system containers that require high privileges.",
    resolution: "Change 'containers[].securityContext.privileged' to 'false'.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV017",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| c.sc(&["privileged"]).and_then(Node::as_bool) == Some(true),
        |c| container_msg(res, c, "should set 'securityContext.privileged' to false"),
    );
}
