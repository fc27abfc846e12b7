//! GitLab rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `gitlab-pat`: GitLab Personal Access Token.
///
/// ## What it checks
/// A GitLab personal access token: `glpat-` and 20 letters, digits, `-` or `_`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GitLab`, severity `CRITICAL`, as in Trivy.
pub(crate) const GITLAB_PAT: BuiltinRule = BuiltinRule {
    id: "gitlab-pat",
    category: "GitLab",
    title: "GitLab Personal Access Token",
    severity: Severity::Critical,
    pattern: Pattern::Token(r#"glpat-[0-9a-zA-Z\-_]{20}"#),
    secret_group: Some("secret"),
    keywords: &[cs("glpat-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["GITLAB_TOKEN=glpat-DxEKynIHTLlYjG0cfJYQ\n"],
    counter_examples: &["GITLAB_TOKEN=glpat-WtnjOzq8\n"],
};
