//! HashiCorp rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `hashicorp-tf-api-token`: HashiCorp Terraform user/org API token.
///
/// ## What it checks
/// A quoted Terraform Cloud token: 14 characters, `.atlasv1.`, 60 to 70 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `HashiCorp`, severity `MEDIUM`, as in Trivy.
pub(crate) const HASHICORP_TF_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "hashicorp-tf-api-token",
    category: "HashiCorp",
    title: "HashiCorp Terraform user/org API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"](?i)[a-z0-9]{14}\.atlasv1\.[a-z0-9\-_=]{60,70}['"]"#),
    secret_group: None,
    keywords: &[ci("atlasv1.")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["token = \"lv4zlhuogbh07g.atlasv1.ybu7w9gjptjk9xb8aire89zekyqy1ni0h3hg2r633k0j4ae7t89zbfz6yjf7pklx\"\n"],
    counter_examples: &["token = \"zxkv4tiueywoyt.atlasv1.6u9jsf2anj\"\n"],
};
