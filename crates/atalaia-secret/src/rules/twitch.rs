//! Twitch rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `twitch-api-token`: Twitch API token.
///
/// ## What it checks
/// A value of the form `[a-z0-9]{30}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `twitch` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Twitch`, severity `LOW`, as in Trivy.
pub(crate) const TWITCH_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "twitch-api-token",
    category: "Twitch",
    title: "Twitch API token",
    severity: Severity::Low,
    pattern: Pattern::Assigned {
        name: "twitch",
        value: r"[a-z0-9]{30}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("twitch")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "TWITCH_KEY = \"4ydtpxpoa0i4vi7g93xlawm859hlsc\"\n",
        "twitch: '4ydtpxpoa0i4vi7g93xlawm859hlsc'\n",
    ],
    counter_examples: &[
        "TWITCH_KEY = \"5ly0ibsox\"\n",
        "OTHER_KEY = \"4ydtpxpoa0i4vi7g93xlawm859hlsc\"\n",
    ],
};
