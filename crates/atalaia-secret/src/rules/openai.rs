//! OpenAI rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `openai-project-api-key`: OpenAI Project API Key.
///
/// ## What it checks
/// An OpenAI project API key: `sk-proj-` and two segments around the `T3BlbkFJ` watermark (base64 of `OpenAI`).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `OpenAI`, severity `CRITICAL`, as in Trivy.
pub(crate) const OPENAI_PROJECT_API_KEY: BuiltinRule = BuiltinRule {
    id: "openai-project-api-key",
    category: "OpenAI",
    title: "OpenAI Project API Key",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"sk-proj-[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}"),
    secret_group: Some("secret"),
    keywords: &[cs("T3BlbkFJ")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["OPENAI_API_KEY=sk-proj-8NGlxFX5dDV4kuD6FSLZT3BlbkFJI3tI5SQWK7oRPayhxuXv\n"],
    counter_examples: &["OPENAI_API_KEY=sk-proj-4kX1MsLdlsgJro05ArXgKwzvLWkpvn2gBqoj1pUr\n"],
};

/// `openai-service-account-key`: OpenAI Service Account Key.
///
/// ## What it checks
/// An OpenAI service-account key: `sk-svcacct-` and two segments around the `T3BlbkFJ` watermark.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `OpenAI`, severity `CRITICAL`, as in Trivy.
pub(crate) const OPENAI_SERVICE_ACCOUNT_KEY: BuiltinRule = BuiltinRule {
    id: "openai-service-account-key",
    category: "OpenAI",
    title: "OpenAI Service Account Key",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"sk-svcacct-[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}"),
    secret_group: Some("secret"),
    keywords: &[cs("T3BlbkFJ")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["OPENAI_API_KEY=sk-svcacct-2ghjV5aOYrwRTZy5A7xvT3BlbkFJyi8V4vAfDhbwKo9yJJ0V\n"],
    counter_examples: &["OPENAI_API_KEY=sk-svcacct-41Z0snVjpAqctFuDn4Tgq03RUFj7M3ITIahRgF04\n"],
};

/// `openai-admin-api-key`: OpenAI Admin API Key.
///
/// ## What it checks
/// An OpenAI admin key: `sk-admin-` and two segments around the `T3BlbkFJ` watermark.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `OpenAI`, severity `CRITICAL`, as in Trivy.
pub(crate) const OPENAI_ADMIN_API_KEY: BuiltinRule = BuiltinRule {
    id: "openai-admin-api-key",
    category: "OpenAI",
    title: "OpenAI Admin API Key",
    severity: Severity::Critical,
    pattern: Pattern::Token(r"sk-admin-[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}"),
    secret_group: Some("secret"),
    keywords: &[cs("T3BlbkFJ")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["OPENAI_ADMIN_KEY=sk-admin-35t4WMbERhpLtuTks2PjT3BlbkFJagzhRgP8mNZ4hNky34lG\n"],
    counter_examples: &["OPENAI_ADMIN_KEY=sk-admin-byGy09wqjSdxXUwtk4bOmXtp42MIVlM0MoWpqM30\n"],
};

/// `openai-legacy-api-key`: OpenAI Legacy User API Key.
///
/// ## What it checks
/// A legacy OpenAI user key: `sk-` and two alphanumeric segments around the `T3BlbkFJ` watermark (no `-` or `_`, so typed keys never also match here).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `OpenAI`, severity `HIGH`, as in Trivy.
pub(crate) const OPENAI_LEGACY_API_KEY: BuiltinRule = BuiltinRule {
    id: "openai-legacy-api-key",
    category: "OpenAI",
    title: "OpenAI Legacy User API Key",
    severity: Severity::High,
    pattern: Pattern::Token(r"sk-(?:None-)?[A-Za-z0-9]{20,42}T3BlbkFJ[A-Za-z0-9]{20,42}"),
    secret_group: Some("secret"),
    keywords: &[cs("T3BlbkFJ")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["OPENAI_API_KEY=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\n"],
    counter_examples: &["OPENAI_API_KEY=sk-fnQyCSfeivR4Fwhdz7C8dha9QxYaLS1Ur0LrpnXvmXH8SiNF\n"],
};

/// `openai-service-api-key`: OpenAI Service API Key.
///
/// ## What it checks
/// An OpenAI service key: `sk-service-<name>-` and two 20-character segments around the `T3BlbkFJ` watermark.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `OpenAI`, severity `HIGH`, as in Trivy.
pub(crate) const OPENAI_SERVICE_API_KEY: BuiltinRule = BuiltinRule {
    id: "openai-service-api-key",
    category: "OpenAI",
    title: "OpenAI Service API Key",
    severity: Severity::High,
    pattern: Pattern::Token(r"sk-service-[A-Za-z0-9-]+-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"),
    secret_group: Some("secret"),
    keywords: &[cs("T3BlbkFJ")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "OPENAI_API_KEY=sk-service-demo-BpCyK1sJD5lu8FxUAcd3T3BlbkFJaS1OFOBMlwT5qexyENme\n",
    ],
    counter_examples: &[
        "OPENAI_API_KEY=sk-service-demo-mJmCNZZiUc7tXsXqRXiO5LTkhLHYPiGXLgYghPVvVNBfRBjl\n",
    ],
};

/// `openai-realtime-client-secret`: OpenAI Realtime Client Secret.
///
/// ## What it checks
/// An OpenAI Realtime ephemeral client secret: `ek_` and 32 hex digits, standing alone.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `OpenAI`, severity `MEDIUM`, as in Trivy.
pub(crate) const OPENAI_REALTIME_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "openai-realtime-client-secret",
    category: "OpenAI",
    title: "OpenAI Realtime Client Secret",
    severity: Severity::Medium,
    pattern: Pattern::Bounded(r"ek_[a-f0-9]{32}"),
    secret_group: Some("secret"),
    keywords: &[cs("ek_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["secret: ek_d47407ff41117f4a1ade2f3afc68d089\n"],
    counter_examples: &[
        "secret: ek_bc154351a741a0e9\n",
        "week_943f8b1468a6bc40988d4d56c901fdab\n",
    ],
};
