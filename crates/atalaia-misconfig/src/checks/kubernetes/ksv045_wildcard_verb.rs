//! KSV-0045 (KSV045): No wildcard verb roles
//!
//! ## What it checks
//! A role grants every verb on a sensitive resource (secrets, pods, workloads, roles, bindings, users, groups).
//!
//! ## Why it matters
//! Check whether role permits wildcard verb on specific resources

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0045",
    short_id: "KSV045",
    avd_id: "AVD-KSV-0045",
    title: "No wildcard verb roles",
    description: "Check whether role permits wildcard verb on specific resources",
    resolution: "Create a role which does not permit wildcard verb on specific resources",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV045",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const RESOURCES: &[&str] = &[
        "secrets",
        "pods",
        "deployments",
        "daemonsets",
        "statefulsets",
        "replicationcontrollers",
        "replicasets",
        "cronjobs",
        "jobs",
        "roles",
        "clusterroles",
        "rolebindings",
        "clusterrolebindings",
        "users",
        "groups",
    ];
    for rule in role_rules(res) {
        if rule_has(rule, "resources", RESOURCES) && rule_has(rule, "verbs", &["*"]) {
            out.push(Cause::new(
                "Role permits wildcard verb on specific resources",
                Some((rule.start, rule.end)),
            ));
        }
    }
}
