//! Lob rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `lob-api-key`: Lob API Key.
///
/// ## What it checks
/// A value of the form `(?:live|test)_[a-f0-9]{35}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `lob` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Lob`, severity `LOW`, as in Trivy.
pub(crate) const LOB_API_KEY: BuiltinRule = BuiltinRule {
    id: "lob-api-key",
    category: "Lob",
    title: "Lob API Key",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "lob",
        value: r"(?:live|test)_[a-f0-9]{35}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("lob")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "LOB_KEY = \"live_519a96c17b4a2d97903d27f678e3c88b26d\"\n",
        "lob: 'live_519a96c17b4a2d97903d27f678e3c88b26d'\n",
    ],
    counter_examples: &[
        "LOB_KEY = \"live_874b42139\"\n",
        "OTHER_KEY = \"live_519a96c17b4a2d97903d27f678e3c88b26d\"\n",
    ],
};

/// `lob-pub-api-key`: Lob Publishable API Key.
///
/// ## What it checks
/// A value of the form `(?:test|live)_pub_[a-f0-9]{31}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `lob` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Lob`, severity `LOW`, as in Trivy.
pub(crate) const LOB_PUB_API_KEY: BuiltinRule = BuiltinRule {
    id: "lob-pub-api-key",
    category: "Lob",
    title: "Lob Publishable API Key",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "lob",
        value: r"(?:test|live)_pub_[a-f0-9]{31}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("lob")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "LOB_KEY = \"live_pub_418ab34cc5b5c64692c756e075c00c7\"\n",
        "lob: 'live_pub_418ab34cc5b5c64692c756e075c00c7'\n",
    ],
    counter_examples: &[
        "LOB_KEY = \"live_pub_7474fd829\"\n",
        "OTHER_KEY = \"live_pub_418ab34cc5b5c64692c756e075c00c7\"\n",
    ],
};
