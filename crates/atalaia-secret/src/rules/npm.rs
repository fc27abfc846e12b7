//! Npm rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `npm-access-token`: npm access token.
///
/// ## What it checks
/// A quoted npm access token: `npm_` and 36 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Npm`, severity `CRITICAL`, as in Trivy.
pub(crate) const NPM_ACCESS_TOKEN: BuiltinRule = BuiltinRule {
    id: "npm-access-token",
    category: "Npm",
    title: "npm access token",
    severity: Severity::Critical,
    pattern: Pattern::Raw(r#"['"](npm_(?i)[a-z0-9]{36})['"]"#),
    secret_group: None,
    keywords: &[cs("npm_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["\"authToken\": \"npm_mTMfttIf2wi1DeBG7gcuRDmqyOWY4mJNATba\"\n"],
    counter_examples: &["\"authToken\": \"npm_a50XPiqPpn\"\n"],
};
