//! Beamer rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `beamer-api-token`: Beamer API token.
///
/// ## What it checks
/// A value of the form `b_[a-z0-9=_\-]{44}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `beamer` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Beamer`, severity `LOW`, as in Trivy.
pub(crate) const BEAMER_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "beamer-api-token",
    category: "Beamer",
    title: "Beamer API token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "beamer",
        value: r#"b_[a-z0-9=_\-]{44}"#,
    },
    secret_group: Some("secret"),
    keywords: &[ci("beamer")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "BEAMER_KEY = \"b_l72fmj91seisjozr6jbu0c2c6xr67rr3650bbktaya5f\"\n",
        "beamer: 'b_l72fmj91seisjozr6jbu0c2c6xr67rr3650bbktaya5f'\n",
    ],
    counter_examples: &[
        "BEAMER_KEY = \"b_yy7h6we6sg\"\n",
        "OTHER_KEY = \"b_l72fmj91seisjozr6jbu0c2c6xr67rr3650bbktaya5f\"\n",
    ],
};
