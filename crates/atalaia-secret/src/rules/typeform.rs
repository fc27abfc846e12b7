//! Typeform rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `typeform-api-token`: Typeform API token.
///
/// ## What it checks
/// A Typeform personal token (`tfp_` and 59 characters) assigned to a name starting with `typeform`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Typeform`, severity `LOW`, as in Trivy.
pub(crate) const TYPEFORM_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "typeform-api-token",
    category: "Typeform",
    title: "Typeform API token",
    severity: Severity::Low,
    pattern: Pattern::Raw(
        r#"(?i)(?P<key>typeform[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}(?P<secret>tfp_[a-z0-9\-_\.=]{59})"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("typeform")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["TYPEFORM_TOKEN=tfp_gtayqrhe2waj5zcydnyakak0axu1xrgluqycy6d1yroznv4n767qbd25ywx\n"],
    counter_examples: &["TYPEFORM_TOKEN=tfp_711mswwmh4\n"],
};
