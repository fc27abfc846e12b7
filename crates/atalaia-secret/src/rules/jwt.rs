//! JWT rules.

use super::{cs, BuiltinAllowRule, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `jwt-token`: JWT token.
///
/// ## What it checks
/// A JSON Web Token: two base64url segments starting `ey` (`{"`) and an optional signature, separated by dots. A JWT inside a stateless `ghs_<app id>_<JWT>` GitHub App token is left to `github-app-token` (allow rule `stateless-ghs-jwt`).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `JWT`, severity `MEDIUM`, as in Trivy.
pub(crate) const JWT_TOKEN: BuiltinRule = BuiltinRule {
    id: "jwt-token",
    category: "JWT",
    title: "JWT token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"(?:ghs_[0-9]+_)?(?P<secret>ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_-]{17,}\.(?:[a-zA-Z0-9/\\_-]{10,}={0,2})?)"#),
    secret_group: Some("secret"),
    keywords: &[cs(".ey")],
    path: None,
    allow_rules: &[
        BuiltinAllowRule {
            id: "stateless-ghs-jwt",
            description: "Avoid double-reporting the JWT embedded in a stateless ghs_ GitHub App token",
            regex: Some(r"^ghs_"),
            path: None,
        },
    ],
    scope: Scope::Lines,
    examples: &["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9xx.eyJzdWIiOiIxMjM0NTY3ODkwIn0xx.UlzJjoUKdLdrd4kxwAdlRn4A8Va3RvuGFirfeDK7JzR\n"],
    counter_examples: &["ghs_12345_eyJhbGciOiJIUzI1NiJ9xx.eyJzdWIiOiIxMjM0NTY3ODkwIn0xx.V1q7CzwP8aIjMmBiniOkingaIUV2Aug90wHeOsGzqs2\n", "eyJhbGciOiJIUzI1NiJ9.e30\n"],
};
