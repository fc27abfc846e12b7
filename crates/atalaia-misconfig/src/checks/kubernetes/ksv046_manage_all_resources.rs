//! KSV-0046 (KSV046): Manage all resources
//!
//! ## What it checks
//! A ClusterRole rule grants any verb on every resource (`*`).
//!
//! ## Why it matters
//! Full control of the cluster resources, and therefore also root on all nodes where workloads can run and has access to all pods, secrets, and data.

use super::{rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0046",
    short_id: "KSV046",
    avd_id: "AVD-KSV-0046",
    title: "Manage all resources",
    description: "Full control of the cluster resources, and therefore also root on all nodes where workloads can run and has access to all pods, secrets, and data.",
    resolution: "Remove '*' from 'rules.resources'. Provide specific list of resources to be managed by cluster role",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV046",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const VERBS: &[&str] = &[
        "create",
        "update",
        "delete",
        "deletecollection",
        "impersonate",
        "*",
        "list",
        "get",
    ];
    if res.kind != "ClusterRole" {
        return;
    }
    for rule in rules(res) {
        if rule_has(rule, "resources", &["*"]) && rule_has(rule, "verbs", VERBS) {
            out.push(Cause::new(
                format!("ClusterRole '{}' shouldn't manage all resources", res.name),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
