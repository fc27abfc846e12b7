//! Shopify rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `shopify-token`: Shopify token.
///
/// ## What it checks
/// A Shopify shared secret, access token, custom-app token or private-app password: `shpss_`, `shpat_`, `shpca_` or `shppa_` and 32 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Shopify`, severity `HIGH`, as in Trivy.
pub(crate) const SHOPIFY_TOKEN: BuiltinRule = BuiltinRule {
    id: "shopify-token",
    category: "Shopify",
    title: "Shopify token",
    severity: Severity::High,
    pattern: Pattern::Raw(r"shp(?:ss|at|ca|pa)_[a-fA-F0-9]{32}"),
    secret_group: None,
    keywords: &[cs("shpss_"), cs("shpat_"), cs("shpca_"), cs("shppa_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["SHOPIFY_SECRET=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\n"],
    counter_examples: &["SHOPIFY_SECRET=shpxx_415c00eebc71bea9d48d227a6c1e979a\n"],
};
