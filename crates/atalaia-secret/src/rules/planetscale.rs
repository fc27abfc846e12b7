//! Planetscale rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `planetscale-password`: PlanetScale password.
///
/// ## What it checks
/// A PlanetScale database password: `pscale_pw_` and 43 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Planetscale`, severity `MEDIUM`, as in Trivy.
pub(crate) const PLANETSCALE_PASSWORD: BuiltinRule = BuiltinRule {
    id: "planetscale-password",
    category: "Planetscale",
    title: "PlanetScale password",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"pscale_pw_(?i)[a-z0-9\-_\.]{43}"#),
    secret_group: None,
    keywords: &[cs("pscale_pw_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["DB_PASSWORD=pscale_pw_0b16flnrl7j0wg620p23zcwytrw2g4gxux477ilbzd2\n"],
    counter_examples: &["DB_PASSWORD=pscale_pw_2gxp6svi5c\n"],
};

/// `planetscale-api-token`: PlanetScale API token.
///
/// ## What it checks
/// A PlanetScale service token: `pscale_tkn_` and 43 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Planetscale`, severity `MEDIUM`, as in Trivy.
pub(crate) const PLANETSCALE_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "planetscale-api-token",
    category: "Planetscale",
    title: "PlanetScale API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"pscale_tkn_(?i)[a-z0-9\-_\.]{43}"#),
    secret_group: None,
    keywords: &[cs("pscale_tkn_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["TOKEN=pscale_tkn_vol7t7e4x75xxxctvpso45lpj4n1uoitt6rptlsa9i3\n"],
    counter_examples: &["TOKEN=pscale_tkn_7brzj9q0oh\n"],
};
