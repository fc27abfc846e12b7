//! Dropbox rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `dropbox-api-secret`: Dropbox API secret/key.
///
/// ## What it checks
/// A 15-character Dropbox app key or secret in quotes, assigned to a name starting with `dropbox`. The whole assignment is reported.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Dropbox`, severity `HIGH`, as in Trivy.
pub(crate) const DROPBOX_API_SECRET: BuiltinRule = BuiltinRule {
    id: "dropbox-api-secret",
    category: "Dropbox",
    title: "Dropbox API secret/key",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)(dropbox[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}['"]([a-z0-9]{15})['"]"#,
    ),
    secret_group: None,
    keywords: &[ci("dropbox")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["DROPBOX_SECRET = \"7loszui2tiuichc\"\n"],
    counter_examples: &["DROPBOX_SECRET = \"nr2is\"\n"],
};

/// `dropbox-short-lived-api-token`: Dropbox short lived API token.
///
/// ## What it checks
/// A short-lived Dropbox token (`sl.` and 135 characters) in quotes, assigned to a name starting with `dropbox`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Dropbox`, severity `HIGH`, as in Trivy.
pub(crate) const DROPBOX_SHORT_LIVED_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "dropbox-short-lived-api-token",
    category: "Dropbox",
    title: "Dropbox short lived API token",
    severity: Severity::High,
    pattern: Pattern::Raw(r#"(?i)(dropbox[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}['"](sl\.[a-z0-9\-=_]{135})['"]"#),
    secret_group: None,
    keywords: &[ci("dropbox")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["DROPBOX_TOKEN = \"sl.k41kp710s7a2069mf7yunusdai079yl8mzv9a1ww892r58337rbcopklgvrzy5436j6dcijkaomss0geczywiujpxoff2hbkufx0doq1v9tk8az8pjqhhfk1gcy3gn244lan5dl\"\n"],
    counter_examples: &["DROPBOX_TOKEN = \"sl.m926k1dse2bw72a0mtra\"\n"],
};

/// `dropbox-long-lived-api-token`: Dropbox long lived API token.
///
/// ## What it checks
/// A long-lived Dropbox token (11 characters, ten `A`, 43 characters) in quotes, assigned to a name starting with `dropbox`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Dropbox`, severity `HIGH`, as in Trivy.
pub(crate) const DROPBOX_LONG_LIVED_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "dropbox-long-lived-api-token",
    category: "Dropbox",
    title: "Dropbox long lived API token",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)(dropbox[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}['"][a-z0-9]{11}(AAAAAAAAAA)[a-z0-9\-_=]{43}['"]"#,
    ),
    secret_group: None,
    keywords: &[ci("dropbox")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "DROPBOX_TOKEN = \"aslbjpg5sq7AAAAAAAAAAp8uei9f5jm5cc5tw8pjjjem34ln4cxb4rw3k2hz3a7g\"\n",
    ],
    counter_examples: &[
        "DROPBOX_TOKEN = \"t1u315yahsiBBBBrxxpm8mxjckfswlc5ntm8f5aj7ziohtbephtsfgzb68\"\n",
    ],
};
