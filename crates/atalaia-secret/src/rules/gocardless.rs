//! GoCardless rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `gocardless-api-token`: GoCardless API token.
///
/// ## What it checks
/// A quoted GoCardless live access token: `live_` and 40 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GoCardless`, severity `MEDIUM`, as in Trivy.
pub(crate) const GOCARDLESS_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "gocardless-api-token",
    category: "GoCardless",
    title: "GoCardless API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"]live_(?i)[a-z0-9\-_=]{40}['"]"#),
    secret_group: None,
    keywords: &[cs("live_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["token = \"live_vzvxqsdpbffwyv5cnk0eiheyt21ahho96t9fj8ib\"\n"],
    counter_examples: &["token = \"live_35nocp9z9i1a\"\n"],
};
