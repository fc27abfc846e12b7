//! SendGrid rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `sendgrid-api-token`: SendGrid API token.
///
/// ## What it checks
/// A SendGrid API key: `SG.` and 66 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `SendGrid`, severity `MEDIUM`, as in Trivy.
pub(crate) const SENDGRID_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "sendgrid-api-token",
    category: "SendGrid",
    title: "SendGrid API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"SG\.(?i)[a-z0-9_\-\.]{66}"#),
    secret_group: None,
    keywords: &[cs("SG.")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["SENDGRID=SG.m0o94ycjnw3xdq83x6vlgf.iysns3j3y54sg30zzazp3h0k7j9u08a51ev4d0tomkc\n"],
    counter_examples: &["SENDGRID=SG.z4o3f7l35h7fhxacxe3hne\n"],
};
