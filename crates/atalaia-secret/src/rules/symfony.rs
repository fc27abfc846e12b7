//! Symfony rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `symfony-default-secret`: Symfony Default Secret.
///
/// ## What it checks
/// The default `APP_SECRET` shipped with Symfony and eZ Platform skeletons, left unchanged.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Symfony`, severity `HIGH`, as in Trivy.
pub(crate) const SYMFONY_DEFAULT_SECRET: BuiltinRule = BuiltinRule {
    id: "symfony-default-secret",
    category: "Symfony",
    title: "Symfony Default Secret",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r"ThisTokenIsNotSoSecretChangeIt|ThisEzPlatformTokenIsNotSoSecret_PleaseChangeIt",
    ),
    secret_group: None,
    keywords: &[cs("TokenIsNotSoSecret")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["APP_SECRET=ThisTokenIsNotSoSecretChangeIt\n"],
    counter_examples: &["APP_SECRET=ThisTokenIsSecret\n"],
};
