//! Linear rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `linear-client-secret`: Linear client secret/ID.
///
/// ## What it checks
/// A value of the form `[a-f0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `linear` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Linear`, severity `MEDIUM`, as in Trivy.
pub(crate) const LINEAR_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "linear-client-secret",
    category: "Linear",
    title: "Linear client secret/ID",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "linear",
        value: r"[a-f0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("linear")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "LINEAR_KEY = \"0d95df740cd6af35219b146d67add6ca\"\n",
        "linear: '0d95df740cd6af35219b146d67add6ca'\n",
    ],
    counter_examples: &[
        "LINEAR_KEY = \"548ccc3b5\"\n",
        "OTHER_KEY = \"0d95df740cd6af35219b146d67add6ca\"\n",
    ],
};

/// `linear-api-token`: Linear API token.
///
/// ## What it checks
/// A Linear personal API key: `lin_api_` and 40 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Linear`, severity `MEDIUM`, as in Trivy.
pub(crate) const LINEAR_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "linear-api-token",
    category: "Linear",
    title: "Linear API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"lin_api_(?i)[a-z0-9]{40}"),
    secret_group: None,
    keywords: &[cs("lin_api_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["LINEAR=lin_api_jtcd3jvuvm4uh9qj6vxjcuk1jwg5wml3eaevx93y\n"],
    counter_examples: &["LINEAR=lin_api_4l3kgt8jm1\n"],
};
