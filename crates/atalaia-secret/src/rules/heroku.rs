//! Heroku rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `heroku-api-key`: Heroku API Key.
///
/// ## What it checks
/// A Heroku API key (a UUID) assigned to a name starting with `heroku`, after a space.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Heroku`, severity `HIGH`, as in Trivy.
pub(crate) const HEROKU_API_KEY: BuiltinRule = BuiltinRule {
    id: "heroku-api-key",
    category: "Heroku",
    title: "Heroku API Key",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#" (?i)(?P<key>heroku[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}['"](?P<secret>[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})['"]"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("heroku")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["export HEROKU_API_KEY=\"5370a677-3a71-582c-8db8-f404ee52fca4\"\n"],
    counter_examples: &["export HEROKU_API_KEY=\"not-a-uuid\"\n"],
};
