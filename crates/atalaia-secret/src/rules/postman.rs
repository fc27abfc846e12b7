//! Postman rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `postman-api-token`: Postman API token.
///
/// ## What it checks
/// A Postman API key: `PMAK-`, 24 hex digits, `-`, 34 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Postman`, severity `MEDIUM`, as in Trivy.
pub(crate) const POSTMAN_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "postman-api-token",
    category: "Postman",
    title: "Postman API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"PMAK-(?i)[a-f0-9]{24}-[a-f0-9]{34}"),
    secret_group: None,
    keywords: &[cs("PMAK-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["POSTMAN=PMAK-920139072a3b9b158bb30c84-2717024f931d096c99604f34f8534c6c11\n"],
    counter_examples: &["POSTMAN=PMAK-aa3fb74c55d085b644f29cf9\n"],
};
