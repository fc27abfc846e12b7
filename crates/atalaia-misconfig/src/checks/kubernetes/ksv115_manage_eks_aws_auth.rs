//! KSV-0115 (KSV115): Manage EKS IAM Auth ConfigMap
//!
//! ## What it checks
//! A role can change the EKS `aws-auth` ConfigMap.
//!
//! ## Why it matters
//! Ability to add AWS IAM to RBAC bindings via special EKS configmap.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0115",
    short_id: "KSV115",
    avd_id: "AVD-KSV-0115",
    title: "Manage EKS IAM Auth ConfigMap",
    description: "Ability to add AWS IAM to RBAC bindings via special EKS configmap.",
    resolution: "Remove write permission verbs for resource 'configmaps' named 'aws-auth'",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV115",
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
        if rule_has(rule, "resources", RESOURCES)
            && rule_has(rule, "verbs", VERBS)
            && rule_has(rule, "resourceNames", &["aws-auth"])
        {
            out.push(Cause::new(format!("{} '{}' should not have access to resource 'configmaps' named 'aws-auth' for verbs {}", res.kind, res.name, rego_list(VERBS)), Some((rule.start, rule.end))));
        }
    }
}
