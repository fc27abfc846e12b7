//! Alibaba rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `alibaba-secret-key`: Alibaba Secret Key.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{30}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `alibaba` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Alibaba`, severity `HIGH`, as in Trivy.
pub(crate) const ALIBABA_SECRET_KEY: BuiltinRule = BuiltinRule {
    id: "alibaba-secret-key",
    category: "Alibaba",
    title: "Alibaba Secret Key",
    severity: Severity::High,
    pattern: Pattern::Assigned {
        name: "alibaba",
        value: r"[a-z0-9]{30}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("alibaba")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "ALIBABA_KEY = \"ze6x8dt9f891gsr1i6wt3dsp9yf4gp\"\n",
        "alibaba: 'ze6x8dt9f891gsr1i6wt3dsp9yf4gp'\n",
    ],
    counter_examples: &[
        "ALIBABA_KEY = \"5fbz3f6an6co\"\n",
        "OTHER_KEY = \"ze6x8dt9f891gsr1i6wt3dsp9yf4gp\"\n",
    ],
};

/// `alibaba-access-key-id`: Alibaba AccessKey ID.
///
/// ## What it checks
/// An Alibaba Cloud AccessKey ID: `LTAI` and 20 letters or digits, standing alone.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Alibaba`, severity `HIGH`, as in Trivy.
pub(crate) const ALIBABA_ACCESS_KEY_ID: BuiltinRule = BuiltinRule {
    id: "alibaba-access-key-id",
    category: "Alibaba",
    title: "Alibaba AccessKey ID",
    severity: Severity::High,
    pattern: Pattern::Raw(r"(?:[^0-9A-Za-z]|^)(?P<secret>LTAI(?i)[a-z0-9]{20})(?:[^0-9A-Za-z]|$)"),
    secret_group: Some("secret"),
    keywords: &[cs("LTAI")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["ALIBABA_ID=LTAIzzfx82fcgqfi4mn884cc\n"],
    counter_examples: &[
        "ALIBABA_ID=XLTAIdawn0mohq6o96mkjmzia\n",
        "ALIBABA_ID=LTAIylatpbhiawh8\n",
    ],
};
