//! KSV-0041 (KSV041): Manage secrets
//!
//! ## What it checks
//! A ClusterRole can read or change `secrets`.
//!
//! ## Why it matters
//! Viewing secrets at the cluster-scope is akin to cluster-admin in most clusters as there are typically at least one service accounts (their token stored in a secret) bound to cluster-admin directly or a role/clusterrole that gives similar permissions.

use super::{rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0041",
    short_id: "KSV041",
    avd_id: "AVD-KSV-0041",
    title: "Manage secrets",
    description: "Viewing secrets at the cluster-scope is akin to cluster-admin in most clusters as there are typically at least one service accounts (their token stored in a secret) bound to cluster-admin directly or a role/clusterrole that gives similar permissions.",
    resolution: "Manage secrets are not allowed. Remove resource 'secrets' from cluster role",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV041",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &["secrets"];
    const VERBS: &[&str] = &[
        "get",
        "list",
        "watch",
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
                    "{} '{}' shouldn't have access to manage resource 'secrets'",
                    res.kind, res.name
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
