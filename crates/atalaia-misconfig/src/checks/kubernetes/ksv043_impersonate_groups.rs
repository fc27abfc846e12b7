//! KSV-0043 (KSV043): Do not allow impersonation of privileged groups
//!
//! ## What it checks
//! A role can impersonate `groups` in every API group.
//!
//! ## Why it matters
//! Check whether role permits impersonating privileged groups

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0043",
    short_id: "KSV043",
    avd_id: "AVD-KSV-0043",
    title: "Do not allow impersonation of privileged groups",
    description: "Check whether role permits impersonating privileged groups",
    resolution:
        "Create a role which does not permit to impersonate privileged groups if not needed",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV043",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for rule in role_rules(res) {
        if rule_has(rule, "apiGroups", &["*"])
            && rule_has(rule, "resources", &["groups"])
            && rule_has(rule, "verbs", &["impersonate"])
        {
            out.push(Cause::new(
                "Role permits impersonation of privileged groups",
                Some((rule.start, rule.end)),
            ));
        }
    }
}
