//! KSV-0054 (KSV054): Do not allow attaching to shell on pods
//!
//! ## What it checks
//! A role can `create` `pods/attach` and, in a later rule, `get` `pods` (in every API group).
//!
//! ## Why it matters
//! Check whether role permits attaching to shell on pods

use super::{role_rules, rule_has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0054",
    short_id: "KSV054",
    avd_id: "AVD-KSV-0054",
    title: "Do not allow attaching to shell on pods",
    description: "Check whether role permits attaching to shell on pods",
    resolution: "Create a role which does not permit attaching to shell on pods",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV054",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let rules = role_rules(res);
    for (i, a) in rules.iter().enumerate() {
        let attach = rule_has(a, "apiGroups", &["*"])
            && rule_has(a, "resources", &["pods/attach"])
            && rule_has(a, "verbs", &["create"]);
        let get = rules[i + 1..].iter().any(|b| {
            rule_has(b, "apiGroups", &["*"])
                && rule_has(b, "resources", &["pods"])
                && rule_has(b, "verbs", &["get"])
        });
        if attach && get {
            out.push(Cause::new(
                "Role permits attaching to shell on pods",
                Some((a.start, a.end)),
            ));
        }
    }
}
