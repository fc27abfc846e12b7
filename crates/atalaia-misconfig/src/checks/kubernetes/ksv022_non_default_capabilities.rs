//! KSV-0022 (KSV022): Specific capabilities added
//!
//! ## What it checks
//! A container adds any capability (`securityContext.capabilities.add` is not empty).
//!
//! ## Why it matters
//! According to pod security standard 'Capabilities', capabilities beyond the default set must not be added.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0022",
    short_id: "KSV022",
    avd_id: "AVD-KSV-0022",
    title: "Specific capabilities added",
    description: "According to pod security standard 'Capabilities', capabilities beyond the default set must not be added.",
    resolution: "Do not set spec.containers[*].securityContext.capabilities.add and spec.initContainers[*].securityContext.capabilities.add.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV022",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    // Trivy's rule allows no added capability at all (its allow-list is empty), so
    // `NET_BIND_SERVICE` is reported too (as it is on the corpus' Helm charts).
    each_container(
        res,
        out,
        |c| {
            c.sc(&["capabilities", "add"])
                .is_some_and(|a| !a.items().is_empty())
        },
        |c| container_msg(res, c, "should not set 'securityContext.capabilities.add'"),
    );
}
