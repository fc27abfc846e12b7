//! Ionic rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `ionic-api-token`: Ionic API token.
///
/// ## What it checks
/// An Ionic API token (`ion_` and 42 characters) in quotes, assigned to a name starting with `ionic`. Trivy gives this rule no severity, so it reports `UNKNOWN`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Ionic`, severity `UNKNOWN`, as in Trivy.
pub(crate) const IONIC_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "ionic-api-token",
    category: "Ionic",
    title: "Ionic API token",
    severity: Severity::Unknown,
    pattern: Pattern::Raw(
        r#"(?i)(ionic[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}['"](ion_[a-z0-9]{42})['"]"#,
    ),
    secret_group: None,
    keywords: &[ci("ionic")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["IONIC_TOKEN = \"ion_r3kuosye6hoeprenbnu7rur8ptf9smvjc5qcllw9kg\"\n"],
    counter_examples: &["IONIC_TOKEN = \"ion_cil24ueqgiof\"\n"],
};
