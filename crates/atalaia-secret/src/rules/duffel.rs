//! Duffel rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `duffel-api-token`: Duffel API token.
///
/// ## What it checks
/// A quoted Duffel access token: `duffel_test_` or `duffel_live_` and 43 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Duffel`, severity `LOW`, as in Trivy.
pub(crate) const DUFFEL_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "duffel-api-token",
    category: "Duffel",
    title: "Duffel API token",
    severity: Severity::Low,
    pattern: Pattern::Raw(r#"['"]duffel_(?:test|live)_(?i)[a-z0-9_-]{43}['"]"#),
    secret_group: None,
    keywords: &[cs("duffel_test_"), cs("duffel_live_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["key = \"duffel_live_o7747wx35gje2yd94ryhd9of84bh0h3by9um17m52iy\"\n"],
    counter_examples: &["key = \"duffel_live_6ekxcn2y4u\"\n"],
};
