//! Easypost rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `easypost-api-token`: EasyPost API token.
///
/// ## What it checks
/// A quoted EasyPost API key: `EZAK` (production) or `EZTK` (test) and 54 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Easypost`, severity `LOW`, as in Trivy.
pub(crate) const EASYPOST_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "easypost-api-token",
    category: "Easypost",
    title: "EasyPost API token",
    severity: Severity::Low,
    pattern: Pattern::Raw(r#"['"]EZ[AT]K(?i)[a-z0-9]{54}['"]"#),
    secret_group: None,
    keywords: &[cs("EZAK"), cs("EZTK")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["key = \"EZAKxupw2jkq1pnni46z890gnalq98r9b7hi5ye87w5ast8hlf50t7k1fv\"\n"],
    counter_examples: &["key = \"EZAKd8a6n4yoiajda1j2n4z5\"\n"],
};
