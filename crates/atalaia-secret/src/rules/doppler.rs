//! Doppler rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `doppler-api-token`: Doppler API token.
///
/// ## What it checks
/// A quoted Doppler personal token: `dp.pt.` and 43 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Doppler`, severity `MEDIUM`, as in Trivy.
pub(crate) const DOPPLER_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "doppler-api-token",
    category: "Doppler",
    title: "Doppler API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"]dp\.pt\.(?i)[a-z0-9]{43}['"]"#),
    secret_group: None,
    keywords: &[cs("dp.pt.")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["token = \"dp.pt.141a4c0hnx9q8em8zq66d2mlrve5hqlbqqksmudqfg3\"\n"],
    counter_examples: &["token = \"dp.pt.fda8lxnk0c\"\n"],
};
