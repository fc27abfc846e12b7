//! Private Packagist rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `private-packagist-token`: Private Packagist token.
///
/// ## What it checks
/// A Private Packagist token (`packagist_uut_`, `packagist_ort_`, `packagist_out_`, …) and 68 hex digits, see <https://packagist.com/docs/composer-authentication#token-format>.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Private Packagist`, severity `HIGH`, as in Trivy.
pub(crate) const PRIVATE_PACKAGIST_TOKEN: BuiltinRule = BuiltinRule {
    id: "private-packagist-token",
    category: "Private Packagist",
    title: "Private Packagist token",
    severity: Severity::High,
    pattern: Pattern::Raw(r"packagist_[ou][ru]t_(?i)[a-f0-9]{68}"),
    secret_group: None,
    keywords: &[cs("packagist_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["COMPOSER_AUTH=packagist_uut_ba64d36f3574c91a1f7a987cb93ca16e5f575f5f8c315207feae8b71d7535b0b0c04\n"],
    counter_examples: &["COMPOSER_AUTH=packagist_uut_9f149063120e4328de6e\n"],
};
