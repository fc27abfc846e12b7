//! KSV-0113 (KSV113): Manage namespace secrets
//!
//! ## What it checks
//! A Role can read or change `secrets`.
//!
//! ## Why it matters
//! Viewing secrets at the namespace scope can lead to escalation if another service account in that namespace has a higher privileged rolebinding or clusterrolebinding bound.

use super::{rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0113",
    short_id: "KSV113",
    avd_id: "AVD-KSV-0113",
    title: "Manage namespace secrets",
    description: "Viewing secrets at the namespace scope can lead to escalation if another service account in that namespace has a higher privileged rolebinding or clusterrolebinding bound.",
    resolution: "Manage namespace secrets are not allowed. Remove resource 'secrets' from role",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV113",
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
                    "{} '{}' shouldn't have access to manage secrets in namespace '{}'",
                    res.kind, res.name, res.namespace
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
