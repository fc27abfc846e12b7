//! KSV-0047 (KSV047): Do not allow privilege escalation from node proxy
//!
//! ## What it checks
//! A role can `get` or `create` `nodes/proxy`.
//!
//! ## Why it matters
//! Check whether role permits privilege escalation from node proxy

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0047",
    short_id: "KSV047",
    avd_id: "AVD-KSV-0047",
    title: "Do not allow privilege escalation from node proxy",
    description: "Check whether role permits privilege escalation from node proxy",
    resolution: "Create a role which does not permit privilege escalation from node proxy",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV047",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for rule in role_rules(res) {
        if rule_has(rule, "resources", &["nodes/proxy"])
            && rule_has(rule, "verbs", &["get", "create"])
        {
            out.push(Cause::new(
                "Role permits privilege escalation from node proxy",
                Some((rule.start, rule.end)),
            ));
        }
    }
}
