//! KSV-0056 (KSV056): Manage Kubernetes networking
//!
//! ## What it checks
//! A role can change services, endpoints, network policies or ingresses.
//!
//! ## Why it matters
//! The ability to control which pods get service traffic directed to them allows for interception attacks. Controlling network policy allows for bypassing lateral movement restrictions.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0056",
    short_id: "KSV056",
    avd_id: "AVD-KSV-0056",
    title: "Manage Kubernetes networking",
    description: "The ability to control which pods get service traffic directed to them allows for interception attacks. Controlling network policy allows for bypassing lateral movement restrictions.",
    resolution: "Networking resources are only allowed for verbs 'list', 'watch', 'get'",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV056",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &[
        "services",
        "endpoints",
        "endpointslices",
        "networkpolicies",
        "ingresses",
    ];
    const VERBS: &[&str] = &[
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
        "impersonate",
        "*",
    ];
    for rule in rules(res) {
        if rule_has(rule, "resources", RESOURCES) && rule_has(rule, "verbs", VERBS) {
            out.push(Cause::new(
                format!(
                    "{} '{}' should not have access to resources {} for verbs {}",
                    res.kind,
                    res.name,
                    rego_list(RESOURCES),
                    rego_list(VERBS)
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
