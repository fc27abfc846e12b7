//! HubSpot rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `hubspot-api-token`: HubSpot API token.
///
/// ## What it checks
/// A value of the form `[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `hubspot` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `HubSpot`, severity `LOW`, as in Trivy.
pub(crate) const HUBSPOT_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "hubspot-api-token",
    category: "HubSpot",
    title: "HubSpot API token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "hubspot",
        value: r"[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("hubspot")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "HUBSPOT_KEY = \"82275818-649d-02de-aef4-3be7037df19f\"\n",
        "hubspot: '82275818-649d-02de-aef4-3be7037df19f'\n",
    ],
    counter_examples: &[
        "HUBSPOT_KEY = \"1234\"\n",
        "OTHER_KEY = \"82275818-649d-02de-aef4-3be7037df19f\"\n",
    ],
};
