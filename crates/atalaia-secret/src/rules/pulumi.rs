//! Pulumi rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `pulumi-api-token`: Pulumi API token.
///
/// ## What it checks
/// A Pulumi access token: `pul-` and 40 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Pulumi`, severity `HIGH`, as in Trivy.
pub(crate) const PULUMI_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "pulumi-api-token",
    category: "Pulumi",
    title: "Pulumi API token",
    severity: Severity::High,
    pattern: Pattern::Raw(r"pul-[a-f0-9]{40}"),
    secret_group: None,
    keywords: &[cs("pul-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["PULUMI_ACCESS_TOKEN=pul-6f0aa7264c2463895e611b96e0ad8db0e190c10c\n"],
    counter_examples: &["PULUMI_ACCESS_TOKEN=pul-3e05cbd264\n"],
};
