//! Mapbox rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `mapbox-api-token`: Mapbox API token.
///
/// ## What it checks
/// A Mapbox public token: `pk.`, 60 characters, `.`, 22 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Mapbox`, severity `MEDIUM`, as in Trivy.
pub(crate) const MAPBOX_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "mapbox-api-token",
    category: "Mapbox",
    title: "Mapbox API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"(?i)(pk\.[a-z0-9]{60}\.[a-z0-9]{22})"#),
    secret_group: None,
    keywords: &[ci("pk.")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["MAPBOX=pk.t17m0yed6w2bpfv0kbt4evu27vhlpx8wzbn2agu789bssoye7bd1zanopeew.d40e6jl0hj39wwqgh5wkbx\n"],
    counter_examples: &["MAPBOX=pk.2xhhubum7o36umj3ufoj\n"],
};
