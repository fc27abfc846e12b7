//! Clojars rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `clojars-api-token`: Clojars API token.
///
/// ## What it checks
/// A Clojars deploy token: `CLOJARS_` and 60 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Clojars`, severity `MEDIUM`, as in Trivy.
pub(crate) const CLOJARS_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "clojars-api-token",
    category: "Clojars",
    title: "Clojars API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"CLOJARS_(?i)[a-z0-9]{60}"),
    secret_group: None,
    keywords: &[cs("CLOJARS_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["CLOJARS_ot49aeusx63y37hpof1l2fxl1pxfjfmwe3efnmus4jfx9qrp5uksrwvmifwa\n"],
    counter_examples: &["CLOJARS_cu0izczad73os7p5ibq5\n"],
};
