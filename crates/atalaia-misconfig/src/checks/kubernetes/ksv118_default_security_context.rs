//! KSV-0118 (KSV118): Default security context configured
//!
//! ## What it checks
//! The pod or a container relies on the default security context (`securityContext` missing or empty).
//!
//! ## Why it matters
//! Security context controls the allocation of security parameters for the pod/container/volume, ensuring the appropriate level of protection. Relying on default security context may expose vulnerabilities to potential attacks that rely on privileged access.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0118",
    short_id: "KSV118",
    avd_id: "AVD-KSV-0118",
    title: "Default security context configured",
    description: "Security context controls the allocation of security parameters for the pod/container/volume, ensuring the appropriate level of protection. Relying on default security context may expose vulnerabilities to potential attacks that rely on privileged access.",
    resolution: "To enhance security, it is strongly recommended not to rely on the default security context. Instead, it is advisable to explicitly define the required security parameters (such as runAsNonRoot, capabilities, readOnlyRootFilesystem, etc.) within the security context.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"],
    namespace: "builtin.kubernetes.KSV118",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let default_sc = |n: Option<&Node>| {
        n.is_none_or(|n| {
            n.get("securityContext")
                .is_none_or(|s| s.is_empty_map() || matches!(s.value, crate::yaml::Value::Null))
        })
    };
    for p in res.pods() {
        if p.spec.is_some() && default_sc(p.spec) {
            out.push(Cause::new(
                format!("{} {} in {} namespace is using the default security context, which allows root privileges", res.kind_lower(), res.name, res.namespace),
                p.spec_lines(),
            ));
            break;
        }
    }
    for c in res.containers().iter().filter(|c| default_sc(Some(c.node))) {
        out.push(Cause::new(
            format!(
                "container {} in {} namespace is using the default security context",
                res.name, res.namespace
            ),
            Some(c.lines()),
        ));
    }
}
