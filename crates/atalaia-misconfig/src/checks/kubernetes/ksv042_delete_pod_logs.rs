//! KSV-0042 (KSV042): Delete pod logs
//!
//! ## What it checks
//! A role can delete `pods/log`.
//!
//! ## Why it matters
//! Used to cover attacker’s tracks, but most clusters ship logs quickly off-cluster.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0042",
    short_id: "KSV042",
    avd_id: "AVD-KSV-0042",
    title: "Delete pod logs",
    description: "Used to cover attacker’s tracks, but most clusters ship logs quickly off-cluster.",
    resolution: "Remove verbs 'delete' and 'deletecollection' for resource 'pods/log' for Role and ClusterRole",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV042",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &["pods/log"];
    const VERBS: &[&str] = &["delete", "deletecollection", "*"];
    for rule in rules(res) {
        if rule_has(rule, "resources", RESOURCES) && rule_has(rule, "verbs", VERBS) {
            out.push(Cause::new(
                format!(
                    "{} '{}' should not have access to resource 'pods/log' for verbs {}",
                    res.kind,
                    res.name,
                    rego_list(VERBS)
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
