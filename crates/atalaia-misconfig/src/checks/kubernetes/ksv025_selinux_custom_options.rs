//! KSV-0025 (KSV025): SELinux custom options set
//!
//! ## What it checks
//! A pod or container sets an SELinux type outside `container_t`, `container_init_t`, `container_kvm_t`, or sets the `role`/`user` options.
//!
//! ## Why it matters
//! According to pod security standard 'SElinux', setting custom SELinux options should be disallowed.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0025",
    short_id: "KSV025",
    avd_id: "AVD-KSV-0025",
    title: "SELinux custom options set",
    description: "According to pod security standard 'SElinux', setting custom SELinux options should be disallowed.",
    resolution: "Do not set 'spec.securityContext.seLinuxOptions', spec.containers[*].securityContext.seLinuxOptions and spec.initContainers[*].securityContext.seLinuxOptions.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV025",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const ALLOWED: &[&str] = &["container_t", "container_init_t", "container_kvm_t"];
    let mut contexts: Vec<&Node> = res
        .containers()
        .iter()
        .filter_map(|c| c.node.get("securityContext"))
        .collect();
    contexts.extend(
        res.pods()
            .iter()
            .filter_map(|p| p.spec.and_then(|s| s.get("securityContext"))),
    );
    let mut forbidden: Vec<&str> = Vec::new();
    for sc in &contexts {
        let Some(opts) = sc.get("seLinuxOptions").filter(|o| o.truthy()) else {
            continue;
        };
        if let Some(t) = opts.get("type").filter(|t| t.truthy()) {
            if !t.as_str().is_some_and(|t| ALLOWED.contains(&t)) {
                let t = t.scalar_text().unwrap_or_default();
                out.push(spec_cause(
                    res,
                    format!(
                        "{} '{}' uses invalid seLinux type '{t}'",
                        res.kind, res.name
                    ),
                ));
            }
        }
        for key in ["role", "user"] {
            if opts.get(key).is_some() && !forbidden.contains(&key) {
                forbidden.push(key);
            }
        }
    }
    if !forbidden.is_empty() {
        forbidden.sort_unstable();
        let keys = forbidden
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(spec_cause(
            res,
            format!(
                "{} '{}' uses restricted properties in seLinuxOptions: ({keys})",
                res.kind, res.name
            ),
        ));
    }
}
