//! AsymmetricPrivateKey rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `private-key`: Asymmetric Private Key.
///
/// ## What it checks
/// A PEM (or PGP) private key block: a `-----BEGIN … PRIVATE KEY-----` armour line, at least 32 characters of base64 body, and the matching `END` line. The body may span many lines; only the body is reported and redacted.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `AsymmetricPrivateKey`, severity `HIGH`, as in Trivy.
pub(crate) const PRIVATE_KEY: BuiltinRule = BuiltinRule {
    id: "private-key",
    category: "AsymmetricPrivateKey",
    title: "Asymmetric Private Key",
    severity: Severity::High,
    pattern: Pattern::Raw(r#"(?i)-----\s*?BEGIN[ A-Z0-9_-]*?PRIVATE KEY(?: BLOCK)?\s*?-----\s*?(?P<secret>[A-Za-z0-9=+/\\][A-Za-z0-9=+/\\\s]{30,}[A-Za-z0-9=+/\\])\s*?-----\s*?END[ A-Z0-9_-]*? PRIVATE KEY(?: BLOCK)?\s*?-----"#),
    secret_group: Some("secret"),
    keywords: &[ci("private key")],
    path: None,
    allow_rules: &[],
    scope: Scope::Multiline,
    examples: &["-----BEGIN RSA PRIVATE KEY-----\nByo/tOEk3S/7Urv8mCRuEC2zRqIj4PsEYcOZTNppX50b+RzcbOV9nwog4JkdzFjh\nQSXO+u+Jh97FhZ58upvQLZo5xMuTThZJjF84Ky9iiLixYmpxx+PEy4FWdSNp+fm4\nVGQnny+25mqdTqX5Q2oW81qjxE4zJtBaQUlvO1MrCWbntCius/KXl4KjX4/3Q9DN\nfncU2bHVfwi+gcgmOrFUTTkEyEJm1dyco0OsIChPTWuPMucIcfLsMAdrfqTI4HSM\n-----END RSA PRIVATE KEY-----\n", "-----BEGIN OPENSSH PRIVATE KEY-----\\nT5RixDCNSoWH4ROZIu0fIq9KWQa3sv4GhraaLDSz599O4SLHm2aSaiZOJd4v1vJ6OoXyJK\\n-----END OPENSSH PRIVATE KEY-----\n"],
    counter_examples: &["-----BEGIN PUBLIC KEY-----\n8nFDWszU8YHL63BF1VYg1yHuB41FIyMQd9I14ZXQmZoJkyAupqJvZGa3tpAzIq2E\n-----END PUBLIC KEY-----\n", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"],
};
