//! Finicity rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `finicity-client-secret`: Finicity client secret.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{20}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `finicity` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Finicity`, severity `MEDIUM`, as in Trivy.
pub(crate) const FINICITY_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "finicity-client-secret",
    category: "Finicity",
    title: "Finicity client secret",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "finicity",
        value: r"[a-z0-9]{20}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("finicity")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "FINICITY_KEY = \"2x441qyianf5hjoaxypw\"\n",
        "finicity: '2x441qyianf5hjoaxypw'\n",
    ],
    counter_examples: &[
        "FINICITY_KEY = \"sfhfw8lzi\"\n",
        "OTHER_KEY = \"2x441qyianf5hjoaxypw\"\n",
    ],
};

/// `finicity-api-token`: Finicity API token.
///
/// ## What it checks
/// A value of the form `[a-f0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `finicity` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Finicity`, severity `MEDIUM`, as in Trivy.
pub(crate) const FINICITY_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "finicity-api-token",
    category: "Finicity",
    title: "Finicity API token",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "finicity",
        value: r"[a-f0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("finicity")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "FINICITY_KEY = \"a0e55d7a9f7a64b7a90c2bcf24ff5480\"\n",
        "finicity: 'a0e55d7a9f7a64b7a90c2bcf24ff5480'\n",
    ],
    counter_examples: &[
        "FINICITY_KEY = \"108867a2f\"\n",
        "OTHER_KEY = \"a0e55d7a9f7a64b7a90c2bcf24ff5480\"\n",
    ],
};
