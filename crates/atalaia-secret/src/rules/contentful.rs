//! ContentfulDelivery rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `contentful-delivery-api-token`: Contentful delivery API token.
///
/// ## What it checks
/// A value of the form `[a-z0-9\-=_]{43}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `contentful` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `ContentfulDelivery`, severity `LOW`, as in Trivy.
pub(crate) const CONTENTFUL_DELIVERY_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "contentful-delivery-api-token",
    category: "ContentfulDelivery",
    title: "Contentful delivery API token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "contentful",
        value: r#"[a-z0-9\-=_]{43}"#,
    },
    secret_group: Some("secret"),
    keywords: &[ci("contentful")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "CONTENTFUL_KEY = \"8av7i2e0o2m7s700acg2lvr8p8hssiqqqv4bajj8qai\"\n",
        "contentful: '8av7i2e0o2m7s700acg2lvr8p8hssiqqqv4bajj8qai'\n",
    ],
    counter_examples: &[
        "CONTENTFUL_KEY = \"8bq3axl5yh\"\n",
        "OTHER_KEY = \"8av7i2e0o2m7s700acg2lvr8p8hssiqqqv4bajj8qai\"\n",
    ],
};
