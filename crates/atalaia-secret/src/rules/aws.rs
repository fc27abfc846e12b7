//! AWS rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `aws-access-key-id`: AWS Access Key ID.
///
/// ## What it checks
/// An AWS access key ID: one of the IAM prefixes (`AKIA`, `ASIA`, `AROA`, …) followed by 16 upper-case letters or digits, not glued to a preceding word.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `AWS`, severity `CRITICAL`, as in Trivy.
pub(crate) const AWS_ACCESS_KEY_ID: BuiltinRule = BuiltinRule {
    id: "aws-access-key-id",
    category: "AWS",
    title: "AWS Access Key ID",
    severity: Severity::Critical,
    pattern: Pattern::Raw(
        r#"(?:[^0-9a-zA-Z_]|^)(?P<secret>(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16})["']?[.,]?(?:\s+|$)"#,
    ),
    secret_group: Some("secret"),
    keywords: &[
        cs("AKIA"),
        cs("AGPA"),
        cs("AIDA"),
        cs("AROA"),
        cs("AIPA"),
        cs("ANPA"),
        cs("ANVA"),
        cs("ASIA"),
        cs("A3T"),
    ],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "aws_access_key_id = AKIAOXYIMCFIP6NZB353\n",
        "key: \"ASIAY5MZF5OBR704YHQG\"\n",
    ],
    counter_examples: &["id = XAKIAEYYGDVPF57NJE8C5\n", "AKIAMJ32S9W1IK\n"],
};

/// `aws-secret-access-key`: AWS Secret Access Key.
///
/// ## What it checks
/// A 40-character AWS secret access key assigned to a name such as `aws_secret_access_key`, `AWS_SECRET_KEY` or `aws_key`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `AWS`, severity `CRITICAL`, as in Trivy.
pub(crate) const AWS_SECRET_ACCESS_KEY: BuiltinRule = BuiltinRule {
    id: "aws-secret-access-key",
    category: "AWS",
    title: "AWS Secret Access Key",
    severity: Severity::Critical,
    pattern: Pattern::Raw(
        r#"(?i)["']?aws_?(?:sec(?:ret)?)?_?(?:access)?_?key["']?\s*(?::|=>|=)?\s*["']?(?P<secret>[A-Za-z0-9/+=]{40})["']?[.,]?(?:\s+|$)"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("aws")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "aws_secret_access_key = mOT+zNtTKjCSFbLRCIe2GWM1wYovdzuMobWRv3Dr\n",
        "\"AWS_SECRET_KEY\": \"AKCAAfLesTgcfQgWHHxjZ7GFTjMemb6ivyQKhVtw\"\n",
    ],
    counter_examples: &[
        "aws_secret_access_key = u9xaP1Fnd4Nc493WZ0Ll\n",
        "secret_key = lvBChfmMoFZEYjyhgLUCPiUCGUfT7EKz0xDodmdC\n",
    ],
};
