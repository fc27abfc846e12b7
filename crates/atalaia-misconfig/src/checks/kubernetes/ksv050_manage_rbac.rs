//! KSV-0050 (KSV050): Manage Kubernetes RBAC resources
//!
//! ## What it checks
//! A role can change `roles` or `rolebindings`.
//!
//! ## Why it matters
//! An effective level of access equivalent to cluster-admin should not be provided.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0050",
    short_id: "KSV050",
    avd_id: "AVD-KSV-0050",
    title: "Manage Kubernetes RBAC resources",
    description: "An effective level of access equivalent to cluster-admin should not be provided.",
    resolution: "Remove write permission verbs for resource 'roles' and 'rolebindings'",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV050",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &["roles", "rolebindings"];
    const VERBS: &[&str] = &[
        "create",
        "update",
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
