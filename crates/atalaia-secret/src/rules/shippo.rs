//! Shippo rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `shippo-api-token`: Shippo API token.
///
/// ## What it checks
/// A Shippo API token: `shippo_live_` or `shippo_test_` and 40 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Shippo`, severity `LOW`, as in Trivy.
pub(crate) const SHIPPO_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "shippo-api-token",
    category: "Shippo",
    title: "Shippo API token",
    severity: Severity::Low,
    pattern: Pattern::Raw(r"shippo_(?:live|test)_[a-f0-9]{40}"),
    secret_group: None,
    keywords: &[cs("shippo_live_"), cs("shippo_test_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["SHIPPO=shippo_live_f560235e71018a6955398598a56ada30c5eff639\n"],
    counter_examples: &["SHIPPO=shippo_live_2bbd0c80a1\n"],
};
