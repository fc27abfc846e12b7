//! Grafana rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `grafana-api-token`: Grafana API token.
///
/// ## What it checks
/// A Grafana API key: base64 JSON starting `eyJrIjoi` (`{"k":"`) and 72 to 92 more characters, optionally quoted.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Grafana`, severity `MEDIUM`, as in Trivy.
pub(crate) const GRAFANA_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "grafana-api-token",
    category: "Grafana",
    title: "Grafana API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"]?eyJrIjoi(?i)[a-z0-9\-_=]{72,92}['"]?"#),
    secret_group: None,
    keywords: &[cs("eyJrIjoi")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["GRAFANA_TOKEN=eyJrIjoiZzrxtfKguixHu7o4t14CR6fBWM2SG4dCJSpWj5OJnL4hhinGW58EZNNI6W7vFf0f341qT57S7U5GecfL\n"],
    counter_examples: &["GRAFANA_TOKEN=eyJrIjoiw2xFPPBEuB27Ym3WO17i\n"],
};
