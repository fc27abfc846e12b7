//! KSV-0044 (KSV044): No wildcard verb and resource roles
//!
//! ## What it checks
//! A role grants every verb on every resource of every API group.
//!
//! ## Why it matters
//! Check whether role permits wildcard verb on wildcard resource

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0044",
    short_id: "KSV044",
    avd_id: "AVD-KSV-0044",
    title: "No wildcard verb and resource roles",
    description: "Check whether role permits wildcard verb on wildcard resource",
    resolution: "Create a role which does not permit wildcard verb on wildcard resource",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV044",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for rule in role_rules(res) {
        if rule_has(rule, "apiGroups", &["*"])
            && rule_has(rule, "resources", &["*"])
            && rule_has(rule, "verbs", &["*"])
        {
            out.push(Cause::new(
                "Role permits wildcard verb on wildcard resource",
                Some((rule.start, rule.end)),
            ));
        }
    }
}
