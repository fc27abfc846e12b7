//! Atlassian rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `atlassian-api-token`: Atlassian API token.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{24}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `atlassian` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Atlassian`, severity `HIGH`, as in Trivy.
pub(crate) const ATLASSIAN_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "atlassian-api-token",
    category: "Atlassian",
    title: "Atlassian API token",
    severity: Severity::High,
    pattern: Pattern::Assigned {
        name: "atlassian",
        value: r"[a-z0-9]{24}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("atlassian")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "ATLASSIAN_KEY = \"5vlmba3umtfj9g760kaz9uqt\"\n",
        "atlassian: '5vlmba3umtfj9g760kaz9uqt'\n",
    ],
    counter_examples: &[
        "ATLASSIAN_KEY = \"kvohvf8243\"\n",
        "OTHER_KEY = \"5vlmba3umtfj9g760kaz9uqt\"\n",
    ],
};
