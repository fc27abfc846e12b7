//! Mailgun rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `mailgun-token`: Mailgun private API token.
///
/// ## What it checks
/// A value of the form `(?:pub)?key-[a-f0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `mailgun` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Mailgun`, severity `MEDIUM`, as in Trivy.
pub(crate) const MAILGUN_TOKEN: BuiltinRule = BuiltinRule {
    id: "mailgun-token",
    category: "Mailgun",
    title: "Mailgun private API token",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "mailgun",
        value: r"(?:pub)?key-[a-f0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("mailgun")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "MAILGUN_KEY = \"key-f2600c66b4e4478c57dd5904e5c765e5\"\n",
        "mailgun: 'key-f2600c66b4e4478c57dd5904e5c765e5'\n",
    ],
    counter_examples: &[
        "MAILGUN_KEY = \"key-99cf92081\"\n",
        "OTHER_KEY = \"key-f2600c66b4e4478c57dd5904e5c765e5\"\n",
    ],
};

/// `mailgun-signing-key`: Mailgun webhook signing key.
///
/// ## What it checks
/// A value of the form `[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `mailgun` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Mailgun`, severity `MEDIUM`, as in Trivy.
pub(crate) const MAILGUN_SIGNING_KEY: BuiltinRule = BuiltinRule {
    id: "mailgun-signing-key",
    category: "Mailgun",
    title: "Mailgun webhook signing key",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "mailgun",
        value: r"[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("mailgun")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "MAILGUN_KEY = \"65775ae6a87aa699b0b206c5cf87264c-fac65003-eb4c9af7\"\n",
        "mailgun: '65775ae6a87aa699b0b206c5cf87264c-fac65003-eb4c9af7'\n",
    ],
    counter_examples: &[
        "MAILGUN_KEY = \"10dfcfe8b\"\n",
        "OTHER_KEY = \"65775ae6a87aa699b0b206c5cf87264c-fac65003-eb4c9af7\"\n",
    ],
};
