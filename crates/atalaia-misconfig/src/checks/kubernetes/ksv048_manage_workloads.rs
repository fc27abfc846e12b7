//! KSV-0048 (KSV048): Manage Kubernetes workloads and pods
//!
//! ## What it checks
//! A role can change pods or workload controllers.
//!
//! ## Why it matters
//! Depending on the policies enforced by the admission controller, this permission ranges from the ability to steal compute (crypto) by running workloads or allowing for creating workloads that escape to the node as root and escalation to cluster-admin.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0048",
    short_id: "KSV048",
    avd_id: "AVD-KSV-0048",
    title: "Manage Kubernetes workloads and pods",
    description: "Depending on the policies enforced by the admission controller, this permission ranges from the ability to steal compute (crypto) by running workloads or allowing for creating workloads that escape to the node as root and escalation to cluster-admin.",
    resolution: "Kubernetes workloads resources are only allowed for verbs 'list', 'watch', 'get'",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV048",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &[
        "pods",
        "deployments",
        "jobs",
        "cronjobs",
        "statefulsets",
        "daemonsets",
        "replicasets",
        "replicationcontrollers",
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
