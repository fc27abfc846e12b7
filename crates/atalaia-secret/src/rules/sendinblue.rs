//! Sendinblue rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `sendinblue-api-token`: Sendinblue API token.
///
/// ## What it checks
/// A Sendinblue (Brevo) API key: `xkeysib-`, 64 hex digits, `-`, 16 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Sendinblue`, severity `LOW`, as in Trivy.
pub(crate) const SENDINBLUE_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "sendinblue-api-token",
    category: "Sendinblue",
    title: "Sendinblue API token",
    severity: Severity::Low,
    pattern: Pattern::Raw(r"xkeysib-[a-f0-9]{64}-(?i)[a-z0-9]{16}"),
    secret_group: None,
    keywords: &[cs("xkeysib-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["BREVO=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\n"],
    counter_examples: &["BREVO=xkeysib-2fdc28124fe5dd052190\n"],
};
