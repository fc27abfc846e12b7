//! KSV-0051 (KSV051): Do not allow role binding creation and association with privileged role/clusterrole
//!
//! ## What it checks
//! A role can create `rolebindings` and, in a later rule, `bind` any role or cluster role.
//!
//! ## Why it matters
//! Check whether role permits creating role bindings and associating to privileged role/clusterrole

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0051",
    short_id: "KSV051",
    avd_id: "AVD-KSV-0051",
    title: "Do not allow role binding creation and association with privileged role/clusterrole",
    description: "Check whether role permits creating role bindings and associating to privileged role/clusterrole",
    resolution: "Create a role which does not permit creation of role bindings and associating with privileged cluster role",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV051",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let rules = role_rules(res);
    for (i, a) in rules.iter().enumerate() {
        let creates = rule_has(a, "apiGroups", &["rbac.authorization.k8s.io"])
            && rule_has(a, "resources", &["rolebindings"])
            && rule_has(a, "verbs", &["create"]);
        let binds = rules[i + 1..].iter().any(|b| {
            rule_has(b, "apiGroups", &["rbac.authorization.k8s.io"])
                && rule_has(b, "resources", &["clusterroles", "roles"])
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
