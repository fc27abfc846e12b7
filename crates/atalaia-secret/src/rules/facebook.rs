//! Facebook rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `facebook-token`: Facebook token.
///
/// ## What it checks
/// A value of the form `[a-f0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `facebook` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Facebook`, severity `LOW`, as in Trivy.
pub(crate) const FACEBOOK_TOKEN: BuiltinRule = BuiltinRule {
    id: "facebook-token",
    category: "Facebook",
    title: "Facebook token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "facebook",
        value: r"[a-f0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("facebook")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "FACEBOOK_KEY = \"0ffc38e45c084749220f9fc5ea6dfbf0\"\n",
        "facebook: '0ffc38e45c084749220f9fc5ea6dfbf0'\n",
    ],
    counter_examples: &[
        "FACEBOOK_KEY = \"489949937659d832\"\n",
        "OTHER_KEY = \"0ffc38e45c084749220f9fc5ea6dfbf0\"\n",
    ],
};
