//! Bitbucket rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `bitbucket-client-id`: Bitbucket client ID.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `bitbucket` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Bitbucket`, severity `HIGH`, as in Trivy.
pub(crate) const BITBUCKET_CLIENT_ID: BuiltinRule = BuiltinRule {
    id: "bitbucket-client-id",
    category: "Bitbucket",
    title: "Bitbucket client ID",
    severity: Severity::High,
    pattern: Pattern::Assigned {
        name: "bitbucket",
        value: r"[a-z0-9]{32}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("bitbucket")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "BITBUCKET_KEY = \"xfgxuutvf90t5os5pi9pgx87qzn0onc5\"\n",
        "bitbucket: 'xfgxuutvf90t5os5pi9pgx87qzn0onc5'\n",
    ],
    counter_examples: &[
        "BITBUCKET_KEY = \"898wmp66mp\"\n",
        "OTHER_KEY = \"xfgxuutvf90t5os5pi9pgx87qzn0onc5\"\n",
    ],
};

/// `bitbucket-client-secret`: Bitbucket client secret.
///
/// ## What it checks
/// A value of the form `[a-z0-9_\-]{64}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `bitbucket` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Bitbucket`, severity `HIGH`, as in Trivy.
pub(crate) const BITBUCKET_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "bitbucket-client-secret",
    category: "Bitbucket",
    title: "Bitbucket client secret",
    severity: Severity::High,
    pattern: Pattern::Assigned {
        name: "bitbucket",
        value: r#"[a-z0-9_\-]{64}"#,
    },
    secret_group: Some("secret"),
    keywords: &[ci("bitbucket")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "BITBUCKET_KEY = \"ory2oke56ggpetxocunr5ses6mefn5y9s0f8ak7hp08rs6hhx4kbz8ljecddu4rd\"\n",
        "bitbucket: 'ory2oke56ggpetxocunr5ses6mefn5y9s0f8ak7hp08rs6hhx4kbz8ljecddu4rd'\n",
    ],
    counter_examples: &[
        "BITBUCKET_KEY = \"ph3gsu54di\"\n",
        "OTHER_KEY = \"ory2oke56ggpetxocunr5ses6mefn5y9s0f8ak7hp08rs6hhx4kbz8ljecddu4rd\"\n",
    ],
};
