//! KSV-0112 (KSV112): Manage all resources at the namespace
//!
//! ## What it checks
//! A Role grants a verb on every resource (`*`) of its namespace.
//!
//! ## Why it matters
//! Full control of the resources within a namespace.  In some cluster configurations, this is excessive. In others, this is normal (a gitops deployment operator like flux)

use super::{rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0112",
    short_id: "KSV112",
    avd_id: "AVD-KSV-0112",
    title: "Manage all resources at the namespace",
    description: "Full control of the resources within a namespace.  In some cluster configurations, this is excessive. In others, this is normal (a gitops deployment operator like flux)",
    resolution: "Remove '*' from 'rules.resources'. Provide specific list of resources to be managed by role in namespace",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV112",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &["*"];
    const VERBS: &[&str] = &[
        "create",
        "update",
        "delete",
        "deletecollection",
        "impersonate",
        "*",
        "list",
        "get",
    ];
    for rule in rules(res) {
        if rule_has(rule, "resources", RESOURCES) && rule_has(rule, "verbs", VERBS) {
            out.push(Cause::new(
                format!(
                    "{} '{}' shouldn't manage all resources at the namespace '{}'",
                    res.kind, res.name, res.namespace
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
