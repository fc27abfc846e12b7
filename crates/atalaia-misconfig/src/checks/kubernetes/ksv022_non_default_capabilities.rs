//! KSV-0022 (KSV022): Specific capabilities added
//!
//! ## What it checks
//! A container adds a capability outside the Pod Security Standards baseline list.
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
    const ALLOWED: &[&str] = &[
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    ];
    each_container(
        res,
        out,
        |c| {
            c.sc(&["capabilities", "add"]).is_some_and(|a| {
                a.items()
                    .iter()
                    .any(|x| x.as_str().is_none_or(|s| !ALLOWED.contains(&s)))
            })
        },
        |c| container_msg(res, c, "should not set 'securityContext.capabilities.add'"),
    );
}
