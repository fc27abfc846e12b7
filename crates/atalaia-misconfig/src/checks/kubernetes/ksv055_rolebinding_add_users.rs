//! KSV-0055 (KSV055): Do not allow users in a rolebinding to add other users to their rolebindings
//!
//! ## What it checks
//! A role can `get` and `patch` `rolebindings` in every API group.
//!
//! ## Why it matters
//! Check whether role permits allowing users in a rolebinding to add other users to their rolebindings

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0055",
    short_id: "KSV055",
    avd_id: "AVD-KSV-0055",
    title: "Do not allow users in a rolebinding to add other users to their rolebindings",
    description: "Check whether role permits allowing users in a rolebinding to add other users to their rolebindings",
    resolution: "Create a role which does not permit allowing users in a rolebinding to add other users to their rolebindings if not needed",
    severity: Severity::Low,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV055",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for rule in role_rules(res) {
        if rule_has(rule, "apiGroups", &["*"])
            && rule_has(rule, "resources", &["rolebindings"])
            && rule_has(rule, "verbs", &["get"])
            && rule_has(rule, "verbs", &["patch"])
        {
            out.push(Cause::new("Role permits allowing users in a rolebinding to add other users to their rolebindings", Some((rule.start, rule.end))));
        }
    }
}
