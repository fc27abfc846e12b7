//! KSV-0114 (KSV114): Manage webhookconfigurations
//!
//! ## What it checks
//! A role can change mutating or validating webhook configurations.
//!
//! ## Why it matters
//! Webhooks can silently intercept or actively mutate/block resources as they are being created or updated. This includes secrets and pod specs.

use super::{rego_list, rule_has, rules};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0114",
    short_id: "KSV114",
    avd_id: "AVD-KSV-0114",
    title: "Manage webhookconfigurations",
    description: "Webhooks can silently intercept or actively mutate/block resources as they are being created or updated. This includes secrets and pod specs.",
    resolution: "Remove webhook configuration resources/verbs, acceptable values for verbs ['get', 'list', 'watch']",
    severity: Severity::Critical,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV114",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if !["Role", "ClusterRole"].contains(&res.kind.as_str()) {
        return;
    }
    const RESOURCES: &[&str] = &[
        "mutatingwebhookconfigurations",
        "validatingwebhookconfigurations",
    ];
    const VERBS: &[&str] = &[
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
                    "{} '{}' should not have access to resources {} for verbs {}",
                    res.kind,
                    res.name,
                    rego_list(RESOURCES),
                    rego_list(VERBS)
                ),
                Some((rule.start, rule.end)),
            ));
        }
    }
}
