//! GitHub rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `github-pat`: GitHub Personal Access Token.
///
/// ## What it checks
/// A classic GitHub personal access token: `ghp_` and 36 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GitHub`, severity `CRITICAL`, as in Trivy.
pub(crate) const GITHUB_PAT: BuiltinRule = BuiltinRule {
    id: "github-pat",
    category: "GitHub",
    title: "GitHub Personal Access Token",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"ghp_[0-9a-zA-Z]{36}"),
    secret_group: Some("secret"),
    keywords: &[cs("ghp_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["GITHUB_TOKEN=ghp_hgnUaTMN6bPx1BHf9VWMG0TKmGouHyVHPmas\n"],
    counter_examples: &[
        "GITHUB_TOKEN=ghp_Ns6fVu76zoOsfJAVxZ8V\n",
        "xghp_2uHtO19wY5sP2gmFxy9L26tnszNy16RH7SUw\n",
    ],
};

/// `github-oauth`: GitHub OAuth Access Token.
///
/// ## What it checks
/// A GitHub OAuth access token: `gho_` and 36 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GitHub`, severity `CRITICAL`, as in Trivy.
pub(crate) const GITHUB_OAUTH: BuiltinRule = BuiltinRule {
    id: "github-oauth",
    category: "GitHub",
    title: "GitHub OAuth Access Token",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"gho_[0-9a-zA-Z]{36}"),
    secret_group: Some("secret"),
    keywords: &[cs("gho_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["token: gho_0RMLxRBmF0HG1frkeFU3rAXhN10rsrZ0Grr4\n"],
    counter_examples: &["token: gho_OApxp9pYGVDp\n"],
};

/// `github-app-token`: GitHub App Token.
///
/// ## What it checks
/// A GitHub App user-to-server token (`ghu_` and 36 letters or digits) or installation token (`ghs_` and at least 36 characters, which also covers the newer stateless `ghs_<app id>_<JWT>` form).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GitHub`, severity `CRITICAL`, as in Trivy.
pub(crate) const GITHUB_APP_TOKEN: BuiltinRule = BuiltinRule {
    id: "github-app-token",
    category: "GitHub",
    title: "GitHub App Token",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"(?:ghu_[0-9a-zA-Z]{36}|ghs_[0-9a-zA-Z._-]{36,})"),
    secret_group: Some("secret"),
    keywords: &[cs("ghu_"), cs("ghs_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "ghu_o0ZMH1mxFXgYhyfPkXKB6cY6ibNmRqfgDD3Q\n",
        "auth = \"ghs_5s7KfiMw3PeuYc16f2iPZx1e0oUcMYuosVw9\"\n",
    ],
    counter_examples: &["ghu_ueH5h6UNwBkkq5yjBUYegIofs7lvVm\n"],
};

/// `github-refresh-token`: GitHub Refresh Token.
///
/// ## What it checks
/// A GitHub refresh token: `ghr_` and 76 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GitHub`, severity `CRITICAL`, as in Trivy.
pub(crate) const GITHUB_REFRESH_TOKEN: BuiltinRule = BuiltinRule {
    id: "github-refresh-token",
    category: "GitHub",
    title: "GitHub Refresh Token",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"ghr_[0-9a-zA-Z]{76}"),
    secret_group: Some("secret"),
    keywords: &[cs("ghr_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["refresh=ghr_g8ddJYVl0kJOus4pVGEhKT7fi7ViounAlkiWCdS4CLQNsA07BLR5V7xSKTF3xV2XHltrR8E1i11r\n"],
    counter_examples: &["refresh=ghr_FOGIY7GsZnKHzXi0FPEhszcc3xG8swySbNj1Saf0\n"],
};

/// `github-fine-grained-pat`: GitHub Fine-grained personal access tokens.
///
/// ## What it checks
/// A fine-grained GitHub personal access token: `github_pat_`, 22 letters or digits, `_`, 59 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `GitHub`, severity `CRITICAL`, as in Trivy.
pub(crate) const GITHUB_FINE_GRAINED_PAT: BuiltinRule = BuiltinRule {
    id: "github-fine-grained-pat",
    category: "GitHub",
    title: "GitHub Fine-grained personal access tokens",
    severity: Severity::Critical,
    pattern: Pattern::Raw(r"github_pat_[a-zA-Z0-9]{22}_[a-zA-Z0-9]{59}"),
    secret_group: None,
    keywords: &[cs("github_pat_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["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\n"],
    counter_examples: &["github_pat_ssz3FCQOfF5PCviLVgxTMQ\n"],
};
