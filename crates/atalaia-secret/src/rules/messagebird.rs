//! MessageBird rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `messagebird-api-token`: MessageBird API token.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{25}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `messagebird` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `MessageBird`, severity `MEDIUM`, as in Trivy.
pub(crate) const MESSAGEBIRD_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "messagebird-api-token",
    category: "MessageBird",
    title: "MessageBird API token",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "messagebird",
        value: r"[a-z0-9]{25}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("messagebird")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "MESSAGEBIRD_KEY = \"2maly1v5ie1g4lgzbwqbo2qjs\"\n",
        "messagebird: '2maly1v5ie1g4lgzbwqbo2qjs'\n",
    ],
    counter_examples: &[
        "MESSAGEBIRD_KEY = \"3whqhmqy3\"\n",
        "OTHER_KEY = \"2maly1v5ie1g4lgzbwqbo2qjs\"\n",
    ],
};

/// `messagebird-client-id`: MessageBird API client ID.
///
/// ## What it checks
/// A value of the form `[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `messagebird` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `MessageBird`, severity `MEDIUM`, as in Trivy.
pub(crate) const MESSAGEBIRD_CLIENT_ID: BuiltinRule = BuiltinRule {
    id: "messagebird-client-id",
    category: "MessageBird",
    title: "MessageBird API client ID",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "messagebird",
        value: r"[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("messagebird")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "MESSAGEBIRD_KEY = \"f3f968ca-b776-6c4f-a161-58d3b8f541af\"\n",
        "messagebird: 'f3f968ca-b776-6c4f-a161-58d3b8f541af'\n",
    ],
    counter_examples: &[
        "MESSAGEBIRD_KEY = \"1234\"\n",
        "OTHER_KEY = \"f3f968ca-b776-6c4f-a161-58d3b8f541af\"\n",
    ],
};
