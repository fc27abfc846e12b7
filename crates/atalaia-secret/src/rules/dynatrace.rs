//! Dynatrace rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `dynatrace-api-token`: Dynatrace API token.
///
/// ## What it checks
/// A quoted Dynatrace API token: `dt0c01.`, 24 characters, `.`, 64 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Dynatrace`, severity `MEDIUM`, as in Trivy.
pub(crate) const DYNATRACE_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "dynatrace-api-token",
    category: "Dynatrace",
    title: "Dynatrace API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"]dt0c01\.(?i)[a-z0-9]{24}\.[a-z0-9]{64}['"]"#),
    secret_group: None,
    keywords: &[cs("dt0c01.")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["token: \"dt0c01.xnnf5ata7a33w0fmpev2y5q6.ggel2igulodlod1xiqndwiv43uyyjusgxh4s8odyu2rd8jvza4xdeykzvk7hopaz\"\n"],
    counter_examples: &["token: \"dt0c01.nt0cn9wccnisg59ajodbkuav\"\n"],
};
