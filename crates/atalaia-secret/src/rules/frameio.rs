//! Frameio rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `frameio-api-token`: Frame.io API token.
///
/// ## What it checks
/// A Frame.io developer token: `fio-u-` and 64 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Frameio`, severity `LOW`, as in Trivy.
pub(crate) const FRAMEIO_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "frameio-api-token",
    category: "Frameio",
    title: "Frame.io API token",
    severity: Severity::Low,
    pattern: Pattern::Raw(r#"fio-u-(?i)[a-z0-9\-_=]{64}"#),
    secret_group: None,
    keywords: &[cs("fio-u-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["FRAMEIO=fio-u-ktudyc838g2mpuo0yrggbofitqc373a45bj5mucep7mh17y7fi90ma84zsww9igz\n"],
    counter_examples: &["FRAMEIO=fio-u-sguvhecf2zc213rhs16i\n"],
};
