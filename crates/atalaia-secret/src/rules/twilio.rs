//! Twilio rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `twilio-api-key`: Twilio API Key.
///
/// ## What it checks
/// A Twilio API key SID: `SK` and 32 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Twilio`, severity `MEDIUM`, as in Trivy.
pub(crate) const TWILIO_API_KEY: BuiltinRule = BuiltinRule {
    id: "twilio-api-key",
    category: "Twilio",
    title: "Twilio API Key",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"SK[0-9a-fA-F]{32}"),
    secret_group: None,
    keywords: &[cs("SK")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["TWILIO_KEY=SKe21b14f54c5b4bb1a26ffa54cf7c0ab4\n"],
    counter_examples: &["TWILIO_KEY=SK33d36154c593a01f\n"],
};
