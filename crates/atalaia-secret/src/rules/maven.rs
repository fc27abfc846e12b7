//! Maven rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `maven-settings-password`: Maven settings.xml password.
///
/// ## What it checks
/// A literal `<password>` in a Maven `settings.xml` (encrypted `{…}` values and `${…}` property references are left alone).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Maven`, severity `HIGH`, as in Trivy.
pub(crate) const MAVEN_SETTINGS_PASSWORD: BuiltinRule = BuiltinRule {
    id: "maven-settings-password",
    category: "Maven",
    title: "Maven settings.xml password",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)<\s*password\s*>\s*(?P<secret>[^<\s{][^<{]+[^<\s])\s*<\s*/\s*password\s*>"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("password")],
    path: Some(r#"(?i)(?:^|[/\\])settings\.xml$"#),
    allow_rules: &[],
    scope: Scope::WholeFile,
    examples: &["<server><id>r</id><password>ecIhKOn0MvVladCL</password></server>\n"],
    counter_examples: &[
        "<server><password>{HgWEDaWOCBj9cDHq}</password></server>\n",
        "<password>${env.PASS}</password>\n",
    ],
};

/// `maven-settings-passphrase`: Maven settings.xml passphrase.
///
/// ## What it checks
/// A literal `<passphrase>` (for a private key) in a Maven `settings.xml`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Maven`, severity `HIGH`, as in Trivy.
pub(crate) const MAVEN_SETTINGS_PASSPHRASE: BuiltinRule = BuiltinRule {
    id: "maven-settings-passphrase",
    category: "Maven",
    title: "Maven settings.xml passphrase",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)<\s*passphrase\s*>\s*(?P<secret>[^<\s{][^<{]+[^<\s])\s*<\s*/\s*passphrase\s*>"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("passphrase")],
    path: Some(r#"(?i)(?:^|[/\\])settings\.xml$"#),
    allow_rules: &[],
    scope: Scope::WholeFile,
    examples: &["<server><passphrase>iWnAYDU1pNbFHnnP</passphrase></server>\n"],
    counter_examples: &["<server><passphrase>{qmrx3PsL89ebUDiY}</passphrase></server>\n"],
};

/// `maven-settings-security-master`: Maven settings-security.xml master password.
///
/// ## What it checks
/// The `<master>` password in a Maven `settings-security.xml`, which decrypts every password in `settings.xml`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Maven`, severity `HIGH`, as in Trivy.
pub(crate) const MAVEN_SETTINGS_SECURITY_MASTER: BuiltinRule = BuiltinRule {
    id: "maven-settings-security-master",
    category: "Maven",
    title: "Maven settings-security.xml master password",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)<\s*master\s*>\s*(?P<secret>[^<\s][^<]+[^<\s])\s*<\s*/\s*master\s*>"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("master")],
    path: Some(r#"(?i)(?:^|[/\\])settings-security\.xml$"#),
    allow_rules: &[],
    scope: Scope::WholeFile,
    examples: &[
        "<settingsSecurity><master>{3kfXRoSEKrAAJPbMdHS9UQZW}</master></settingsSecurity>\n",
    ],
    counter_examples: &["<settingsSecurity><master></master></settingsSecurity>\n"],
};
