//! Stripe rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `stripe-publishable-token`: Stripe Publishable Key.
///
/// ## What it checks
/// A Stripe publishable key: `pk_test_` or `pk_live_` and 10 to 32 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Stripe`, severity `LOW`, as in Trivy.
pub(crate) const STRIPE_PUBLISHABLE_TOKEN: BuiltinRule = BuiltinRule {
    id: "stripe-publishable-token",
    category: "Stripe",
    title: "Stripe Publishable Key",
    severity: Severity::Low,
    pattern: Pattern::Token(r"(?i)pk_(?:test|live)_[0-9a-z]{10,32}"),
    secret_group: Some("secret"),
    keywords: &[ci("pk_test_"), ci("pk_live_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["STRIPE_PK=pk_live_cagn752snfs9ut5j2wqslztb\n"],
    counter_examples: &["STRIPE_PK=pk_live_abc\n"],
};

/// `stripe-secret-token`: Stripe Secret Key.
///
/// ## What it checks
/// A Stripe secret key: `sk_test_` or `sk_live_` and 10 to 32 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Stripe`, severity `CRITICAL`, as in Trivy.
pub(crate) const STRIPE_SECRET_TOKEN: BuiltinRule = BuiltinRule {
    id: "stripe-secret-token",
    category: "Stripe",
    title: "Stripe Secret Key",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"(?i)sk_(?:test|live)_[0-9a-z]{10,32}"),
    secret_group: Some("secret"),
    keywords: &[ci("sk_test_"), ci("sk_live_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["STRIPE_SK=sk_live_hbo09njiglq32lpyt00bka3g\n"],
    counter_examples: &[
        "STRIPE_SK=sk_live_abc\n",
        "ask_live_iw2h1rgcesl0ud0vc6ai4i2i\n",
    ],
};
