//! KSV-0026 (KSV026): Unsafe sysctl options set
//!
//! ## What it checks
//! The pod sets a sysctl outside the safe set (`kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`).
//!
//! ## Why it matters
//! Sysctls can disable security mechanisms or affect all containers on a host, and should be disallowed except for an allowed 'safe' subset. A sysctl is considered safe if it is namespaced in the container or the Pod, and it is isolated from other Pods or processes on the same Node.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0026",
    short_id: "KSV026",
    avd_id: "AVD-KSV-0026",
    title: "Unsafe sysctl options set",
    description: "Sysctls can disable security mechanisms or affect all containers on a host, and should be disallowed except for an allowed 'safe' subset. A sysctl is considered safe if it is namespaced in the container or the Pod, and it is isolated from other Pods or processes on the same Node.",
    resolution: "Do not set 'spec.securityContext.sysctls' or set to values in an allowed subset",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV026",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const ALLOWED: &[&str] = &[
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
    ];
    let unsafe_set = res.pods().iter().any(|p| {
        p.sc(&["sysctls"]).is_some_and(|s| {
            s.items().iter().any(|x| {
                x.get("name")
                    .and_then(Node::scalar_text)
                    .is_some_and(|n| !ALLOWED.contains(&n.as_str()))
            })
        })
    });
    if unsafe_set {
        out.push(spec_cause(
            res,
            format!(
                "{} '{}' should set 'securityContext.sysctl' to the allowed values",
                res.kind, res.name
            ),
        ));
    }
}
