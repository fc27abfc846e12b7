//! Asana rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `asana-client-id`: Asana Client ID.
///
/// ## What it checks
/// A value of the form `[0-9]{16}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `asana` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Asana`, severity `MEDIUM`, as in Trivy.
pub(crate) const ASANA_CLIENT_ID: BuiltinRule = BuiltinRule {
    id: "asana-client-id",
    category: "Asana",
    title: "Asana Client ID",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "asana",
        value: r"[0-9]{16}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("asana")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "ASANA_KEY = \"1583533425497151\"\n",
        "asana: '1583533425497151'\n",
    ],
    counter_examples: &[
        "ASANA_KEY = \"46242632\"\n",
        "OTHER_KEY = \"1583533425497151\"\n",
    ],
};

/// `asana-client-secret`: Asana Client Secret.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `asana` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Asana`, severity `MEDIUM`, as in Trivy.
pub(crate) const ASANA_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "asana-client-secret",
    category: "Asana",
    title: "Asana Client Secret",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "asana",
        value: r"[a-z0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("asana")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "ASANA_KEY = \"ibgkubvbg3qljaoqvw18s16rffxnp1cw\"\n",
        "asana: 'ibgkubvbg3qljaoqvw18s16rffxnp1cw'\n",
    ],
    counter_examples: &[
        "ASANA_KEY = \"pyaecz1nif\"\n",
        "OTHER_KEY = \"ibgkubvbg3qljaoqvw18s16rffxnp1cw\"\n",
    ],
};
