//! Mailchimp rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `mailchimp-api-key`: Mailchimp API key.
///
/// ## What it checks
/// A value of the form `[a-f0-9]{32}-us20` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `mailchimp` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Mailchimp`, severity `MEDIUM`, as in Trivy.
pub(crate) const MAILCHIMP_API_KEY: BuiltinRule = BuiltinRule {
    id: "mailchimp-api-key",
    category: "Mailchimp",
    title: "Mailchimp API key",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "mailchimp",
        value: r"[a-f0-9]{32}-us20",
    },
    secret_group: Some("secret"),
    keywords: &[ci("mailchimp")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "MAILCHIMP_KEY = \"4362724b9ed5b266478c0a52471bebe8-us20\"\n",
        "mailchimp: '4362724b9ed5b266478c0a52471bebe8-us20'\n",
    ],
    counter_examples: &[
        "MAILCHIMP_KEY = \"c4d02f6a8b6895965afb91ebf15b22a5-eu1\"\n",
        "OTHER_KEY = \"4362724b9ed5b266478c0a52471bebe8-us20\"\n",
    ],
};
