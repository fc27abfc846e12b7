//! KSV-0049 (KSV049): Manage configmaps
//!
//! ## What it checks
//! A role can change `configmaps`.
//!
//! ## Why it matters
//! Some workloads leverage configmaps to store sensitive data or configuration parameters that affect runtime behavior that can be modified by an attacker or combined with another issue to potentially lead to compromise.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0049",
    short_id: "KSV049",
    avd_id: "AVD-KSV-0049",
    title: "Manage configmaps",
    description: "Some workloads leverage configmaps to store sensitive data or configuration parameters that affect runtime behavior that can be modified by an attacker or combined with another issue to potentially lead to compromise.",
    resolution: "Remove write permission verbs for resource 'configmaps'",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV049",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &["configmaps"];
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
                    "{} '{}' should not have access to resource 'configmaps' for verbs {}",
                    res.kind,
                    res.name,
                    rego_list(VERBS)
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
