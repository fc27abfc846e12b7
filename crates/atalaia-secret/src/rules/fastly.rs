//! Fastly rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `fastly-api-token`: Fastly API token.
///
/// ## What it checks
/// A value of the form `[a-z0-9\-=_]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `fastly` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Fastly`, severity `MEDIUM`, as in Trivy.
pub(crate) const FASTLY_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "fastly-api-token",
    category: "Fastly",
    title: "Fastly API token",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "fastly",
        value: r#"[a-z0-9\-=_]{32}"#,
    },
    secret_group: Some("secret"),
    keywords: &[ci("fastly")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "FASTLY_KEY = \"fawi61sf101w5uee1ot990fl1mvpcuxp\"\n",
        "fastly: 'fawi61sf101w5uee1ot990fl1mvpcuxp'\n",
    ],
    counter_examples: &[
        "FASTLY_KEY = \"wljxp3dc5\"\n",
        "OTHER_KEY = \"fawi61sf101w5uee1ot990fl1mvpcuxp\"\n",
    ],
};
