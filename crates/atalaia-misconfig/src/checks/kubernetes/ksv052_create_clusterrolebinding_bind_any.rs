//! KSV-0052 (KSV052): Do not allow role to create ClusterRoleBindings and association with privileged role
//!
//! ## What it checks
//! A role can create `clusterrolebindings` and, in a later rule, `bind` any cluster role.
//!
//! ## Why it matters
//! Check whether role permits creating role ClusterRoleBindings and association with privileged cluster role

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0052",
    short_id: "KSV052",
    avd_id: "AVD-KSV-0052",
    title: "Do not allow role to create ClusterRoleBindings and association with privileged role",
    description: "Check whether role permits creating role ClusterRoleBindings and association with privileged cluster role",
    resolution: "Create a role which does not permit to create role clusterrolebindings and associate to privileged cluster role",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV052",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let rules = role_rules(res);
    for (i, a) in rules.iter().enumerate() {
        let creates = rule_has(a, "apiGroups", &["rbac.authorization.k8s.io"])
            && rule_has(a, "resources", &["clusterrolebindings"])
            && rule_has(a, "verbs", &["create"]);
        let binds = rules[i + 1..].iter().any(|b| {
            rule_has(b, "resources", &["clusterroles"])
                && rule_has(b, "verbs", &["bind"])
                && rule_has(b, "resourceNames", &["*"])
        });
        if creates && binds {
            out.push(Cause::new(
                "Role permits creation of role binding and association with privileged role",
                Some((a.start, a.end)),
            ));
        }
    }
}
