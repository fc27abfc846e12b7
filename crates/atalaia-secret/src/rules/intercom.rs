//! Intercom rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `intercom-api-token`: Intercom API token.
///
/// ## What it checks
/// A value of the form `[a-z0-9=_]{60}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `intercom` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Intercom`, severity `LOW`, as in Trivy.
pub(crate) const INTERCOM_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "intercom-api-token",
    category: "Intercom",
    title: "Intercom API token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "intercom",
        value: r"[a-z0-9=_]{60}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("intercom")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "INTERCOM_KEY = \"pvxlxhpwb489e6k0bk2ros4ksdioffx1ls9t7dw2phz3a4g3myoltj9fv1e7\"\n",
        "intercom: 'pvxlxhpwb489e6k0bk2ros4ksdioffx1ls9t7dw2phz3a4g3myoltj9fv1e7'\n",
    ],
    counter_examples: &[
        "INTERCOM_KEY = \"0rgph2lsb\"\n",
        "OTHER_KEY = \"pvxlxhpwb489e6k0bk2ros4ksdioffx1ls9t7dw2phz3a4g3myoltj9fv1e7\"\n",
    ],
};

/// `intercom-client-secret`: Intercom client secret/ID.
///
/// ## What it checks
/// A value of the form `[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `intercom` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Intercom`, severity `LOW`, as in Trivy.
pub(crate) const INTERCOM_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "intercom-client-secret",
    category: "Intercom",
    title: "Intercom client secret/ID",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "intercom",
        value: r"[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("intercom")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "INTERCOM_KEY = \"8c32e699-55b7-e45e-37c7-35b1f965f5e4\"\n",
        "intercom: '8c32e699-55b7-e45e-37c7-35b1f965f5e4'\n",
    ],
    counter_examples: &[
        "INTERCOM_KEY = \"1234\"\n",
        "OTHER_KEY = \"8c32e699-55b7-e45e-37c7-35b1f965f5e4\"\n",
    ],
};
