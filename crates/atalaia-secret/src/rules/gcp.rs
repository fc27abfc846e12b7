//! Google rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `gcp-service-account`: Google (GCP) Service-account.
///
/// ## What it checks
/// A Google Cloud service-account key file, recognised by its `"type": "service_account"` member.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Google`, severity `CRITICAL`, as in Trivy.
pub(crate) const GCP_SERVICE_ACCOUNT: BuiltinRule = BuiltinRule {
    id: "gcp-service-account",
    category: "Google",
    title: "Google (GCP) Service-account",
    severity: Severity::Critical,
    pattern: Pattern::Raw(r#""type": "service_account""#),
    secret_group: None,
    keywords: &[cs("\"type\": \"service_account\"")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\"\n}\n"],
    counter_examples: &["{\"type\": \"user\"}\n"],
};
