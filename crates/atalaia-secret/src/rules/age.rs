//! Age rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `age-secret-key`: Age secret key.
///
/// ## What it checks
/// An age encryption identity: `AGE-SECRET-KEY-1` and 58 bech32 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Age`, severity `MEDIUM`, as in Trivy.
pub(crate) const AGE_SECRET_KEY: BuiltinRule = BuiltinRule {
    id: "age-secret-key",
    category: "Age",
    title: "Age secret key",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
    secret_group: None,
    keywords: &[cs("AGE-SECRET-KEY-1")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["AGE-SECRET-KEY-1GJQ8AT6N3765KY7FKE6GRYUEWE5TRGFXJZHYTAVHR00WNK02CYKTKXEDR6\n"],
    counter_examples: &["AGE-SECRET-KEY-1YW3GK2CM9XSEL0FH2QN3\n"],
};
