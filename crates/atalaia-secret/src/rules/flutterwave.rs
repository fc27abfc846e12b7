//! Flutterwave rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `flutterwave-public-key`: Flutterwave public/secret key.
///
/// ## What it checks
/// A Flutterwave test public or secret key: `FLWPUBK_TEST-` or `FLWSECK_TEST-`, 32 characters from `a-h0-9`, `-X`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Flutterwave`, severity `MEDIUM`, as in Trivy.
pub(crate) const FLUTTERWAVE_PUBLIC_KEY: BuiltinRule = BuiltinRule {
    id: "flutterwave-public-key",
    category: "Flutterwave",
    title: "Flutterwave public/secret key",
    severity: Severity::Medium,
    pattern: Pattern::Token(r"FLW(?:PUB|SEC)K_TEST-(?i)[a-h0-9]{32}-X"),
    secret_group: Some("secret"),
    keywords: &[cs("FLWSECK_TEST-"), cs("FLWPUBK_TEST-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["FLWPUBK_TEST-b8041536fc91g067h5a75271b583d5f5-X\n"],
    counter_examples: &["FLWPUBK_TEST-a28069bf2a-X\n"],
};

/// `flutterwave-enc-key`: Flutterwave encrypted key.
///
/// ## What it checks
/// A Flutterwave test encryption key: `FLWSECK_TEST` and 12 characters from `a-h0-9`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Flutterwave`, severity `MEDIUM`, as in Trivy.
pub(crate) const FLUTTERWAVE_ENC_KEY: BuiltinRule = BuiltinRule {
    id: "flutterwave-enc-key",
    category: "Flutterwave",
    title: "Flutterwave encrypted key",
    severity: Severity::Medium,
    pattern: Pattern::Token(r"FLWSECK_TEST[a-h0-9]{12}"),
    secret_group: Some("secret"),
    keywords: &[cs("FLWSECK_TEST")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["FLWSECK_TESTg39923c25aag\n"],
    counter_examples: &["FLWSECK_TESTyyzxxzyxxyzz\n"],
};
