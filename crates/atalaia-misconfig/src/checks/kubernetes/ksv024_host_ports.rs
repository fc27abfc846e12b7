//! KSV-0024 (KSV024): Access to host ports
//!
//! ## What it checks
//! A container sets `ports[*].hostPort`.
//!
//! ## Why it matters
//! According to pod security standard 'Host Ports', hostPorts should be disallowed, or at minimum restricted to a known list.

use super::container_msg;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0024",
    short_id: "KSV024",
    avd_id: "AVD-KSV-0024",
    title: "Access to host ports",
    description: "According to pod security standard 'Host Ports', hostPorts should be disallowed, or at minimum restricted to a known list.",
    resolution: "Do not set spec.containers[*].ports[*].hostPort and spec.initContainers[*].ports[*].hostPort.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV024",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let containers = res.containers();
    let has_host_port = |c: &crate::kubernetes::Container<'_>| {
        c.node.get("ports").is_some_and(|p| {
            p.items().iter().any(|p| {
                p.get("hostPort")
                    .is_some_and(|h| h.as_f64().is_some_and(|n| n != 0.0))
            })
        })
    };
    // Trivy places each offending container's finding on every container of the pod (its
    // location lookup matches them all); the same causes are reported here so that ignore
    // rules written against Trivy's lines keep matching.
    for offender in containers.iter().filter(|c| has_host_port(c)) {
        for c in &containers {
            out.push(Cause::new(
                container_msg(
                    res,
                    offender,
                    "should not set host ports, 'ports[*].hostPort'",
                ),
                Some(c.lines()),
            ));
        }
    }
}
