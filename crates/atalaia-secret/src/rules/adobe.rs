//! Adobe rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `adobe-client-id`: Adobe Client ID (Oauth Web).
///
/// ## What it checks
/// A value of the form `[a-f0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `adobe` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Adobe`, severity `LOW`, as in Trivy.
pub(crate) const ADOBE_CLIENT_ID: BuiltinRule = BuiltinRule {
    id: "adobe-client-id",
    category: "Adobe",
    title: "Adobe Client ID (Oauth Web)",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "adobe",
        value: r"[a-f0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("adobe")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "ADOBE_KEY = \"e7833795286ddd43274470f8197cbadc\"\n",
        "adobe: 'e7833795286ddd43274470f8197cbadc'\n",
    ],
    counter_examples: &[
        "ADOBE_KEY = \"a83216255004764c\"\n",
        "OTHER_KEY = \"e7833795286ddd43274470f8197cbadc\"\n",
    ],
};

/// `adobe-client-secret`: Adobe Client Secret.
///
/// ## What it checks
/// An Adobe client secret: `p8e-` and 32 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Adobe`, severity `LOW`, as in Trivy.
pub(crate) const ADOBE_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "adobe-client-secret",
    category: "Adobe",
    title: "Adobe Client Secret",
    severity: Severity::Low,
    pattern: Pattern::Raw(r"p8e-(?i)[a-z0-9]{32}"),
    secret_group: None,
    keywords: &[cs("p8e-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["ADOBE_SECRET=p8e-3h8tny8jaz1co2z8akkkqc6d40vza1xa\n"],
    counter_examples: &["ADOBE_SECRET=p8e-35qjzmo49t\n"],
};
