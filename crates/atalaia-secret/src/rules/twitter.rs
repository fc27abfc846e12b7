//! Twitter rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `twitter-token`: Twitter token.
///
/// ## What it checks
/// A value of the form `[a-f0-9]{35,44}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `twitter` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Twitter`, severity `LOW`, as in Trivy.
pub(crate) const TWITTER_TOKEN: BuiltinRule = BuiltinRule {
    id: "twitter-token",
    category: "Twitter",
    title: "Twitter token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "twitter",
        value: r"[a-f0-9]{35,44}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("twitter")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "TWITTER_KEY = \"5fc15c3727d54e680a81af88b5109697a269402c\"\n",
        "twitter: '5fc15c3727d54e680a81af88b5109697a269402c'\n",
    ],
    counter_examples: &[
        "TWITTER_KEY = \"5674bea20e2c193d0eb9\"\n",
        "OTHER_KEY = \"5fc15c3727d54e680a81af88b5109697a269402c\"\n",
    ],
};
