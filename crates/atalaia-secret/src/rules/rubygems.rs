//! RubyGems rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `rubygems-api-token`: Rubygem API token.
///
/// ## What it checks
/// A RubyGems API key: `rubygems_` and 48 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `RubyGems`, severity `MEDIUM`, as in Trivy.
pub(crate) const RUBYGEMS_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "rubygems-api-token",
    category: "RubyGems",
    title: "Rubygem API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"rubygems_[a-f0-9]{48}"),
    secret_group: None,
    keywords: &[cs("rubygems_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[":rubygems_api_key: rubygems_cf412dfeb3a59e9cf1be6698d98ebfe8242c44255368af3e\n"],
    counter_examples: &[":rubygems_api_key: rubygems_d2c356546d\n"],
};
