//! Discord rules.

use super::{ci, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `discord-api-token`: Discord API key.
///
/// ## What it checks
/// A value of the form `[a-h0-9]{64}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `discord` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Discord`, severity `MEDIUM`, as in Trivy.
pub(crate) const DISCORD_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "discord-api-token",
    category: "Discord",
    title: "Discord API key",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "discord",
        value: r"[a-h0-9]{64}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("discord")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "DISCORD_KEY = \"bcd04d60507gad4f410a12g67ae3c7026c92e9gb95ac8d6077g19117841e0800\"\n",
        "discord: 'bcd04d60507gad4f410a12g67ae3c7026c92e9gb95ac8d6077g19117841e0800'\n",
    ],
    counter_examples: &[
        "DISCORD_KEY = \"gabceaebeb\"\n",
        "OTHER_KEY = \"bcd04d60507gad4f410a12g67ae3c7026c92e9gb95ac8d6077g19117841e0800\"\n",
    ],
};

/// `discord-client-id`: Discord client ID.
///
/// ## What it checks
/// A value of the form `[0-9]{18}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `discord` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Discord`, severity `MEDIUM`, as in Trivy.
pub(crate) const DISCORD_CLIENT_ID: BuiltinRule = BuiltinRule {
    id: "discord-client-id",
    category: "Discord",
    title: "Discord client ID",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "discord",
        value: r"[0-9]{18}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("discord")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "DISCORD_KEY = \"643697919264744149\"\n",
        "discord: '643697919264744149'\n",
    ],
    counter_examples: &[
        "DISCORD_KEY = \"945787206\"\n",
        "OTHER_KEY = \"643697919264744149\"\n",
    ],
};

/// `discord-client-secret`: Discord client secret.
///
/// ## What it checks
/// A value of the form `[a-z0-9=_\-]{32}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `discord` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Discord`, severity `MEDIUM`, as in Trivy.
pub(crate) const DISCORD_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "discord-client-secret",
    category: "Discord",
    title: "Discord client secret",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "discord",
        value: r#"[a-z0-9=_\-]{32}"#,
    },
    secret_group: Some("secret"),
    keywords: &[ci("discord")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "DISCORD_KEY = \"owxfkpeqkcu2ewrsmzd7jrajj23d32e5\"\n",
        "discord: 'owxfkpeqkcu2ewrsmzd7jrajj23d32e5'\n",
    ],
    counter_examples: &[
        "DISCORD_KEY = \"d1430locx\"\n",
        "OTHER_KEY = \"owxfkpeqkcu2ewrsmzd7jrajj23d32e5\"\n",
    ],
};
