//! LinkedIn rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `linkedin-client-secret`: LinkedIn Client secret.
///
/// ## What it checks
/// A value of the form `[a-z]{16}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `linkedin` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `LinkedIn`, severity `LOW`, as in Trivy.
pub(crate) const LINKEDIN_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "linkedin-client-secret",
    category: "LinkedIn",
    title: "LinkedIn Client secret",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "linkedin",
        value: r"[a-z]{16}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("linkedin")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "LINKEDIN_KEY = \"fwsirqxoutcsymfq\"\n",
        "linkedin: 'fwsirqxoutcsymfq'\n",
    ],
    counter_examples: &[
        "LINKEDIN_KEY = \"rsebratib\"\n",
        "OTHER_KEY = \"fwsirqxoutcsymfq\"\n",
    ],
};

/// `linkedin-client-id`: LinkedIn Client ID.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{14}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `linkedin` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `LinkedIn`, severity `LOW`, as in Trivy.
pub(crate) const LINKEDIN_CLIENT_ID: BuiltinRule = BuiltinRule {
    id: "linkedin-client-id",
    category: "LinkedIn",
    title: "LinkedIn Client ID",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "linkedin",
        value: r"[a-z0-9]{14}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("linkedin")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "LINKEDIN_KEY = \"gppwozg48dm8y6\"\n",
        "linkedin: 'gppwozg48dm8y6'\n",
    ],
    counter_examples: &[
        "LINKEDIN_KEY = \"m0xer\"\n",
        "OTHER_KEY = \"gppwozg48dm8y6\"\n",
    ],
};
