//! Docker rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `dockerconfig-secret`: Dockerconfig secret exposed.
///
/// ## What it checks
/// A Kubernetes `.dockerconfigjson` or `.dockercfg` value: base64 JSON (starting `ey` or `ew`) that holds registry credentials, inline or in a `|` block on the next line.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Docker`, severity `HIGH`, as in Trivy.
pub(crate) const DOCKERCONFIG_SECRET: BuiltinRule = BuiltinRule {
    id: "dockerconfig-secret",
    category: "Docker",
    title: "Dockerconfig secret exposed",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)\.(?:dockerconfigjson|dockercfg):\s*\|*\s*(?P<secret>(?:ey|ew)+[A-Za-z0-9/+=]+)"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("dockerc")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "data:\n  .dockerconfigjson: eyJhdXRocyI6ewViPEuThTML71VEqTJ8C7G0rZnpRo4UEg6528p1\n",
        "data:\n  .dockercfg: |\n    ewogICJhdXRocyI6gr6fvqtPZuRTlpPwCeTURVapA0X4LB\n",
    ],
    counter_examples: &["data:\n  .dockerconfigjson: yzyzyyxyyyxzxzzyzyyyxyyyxxyyyz\n"],
};
