//! NewRelic rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `new-relic-user-api-id`: New Relic user API ID.
///
/// ## What it checks
/// A value of the form `[A-Z0-9]{64}` in quotes, assigned (`=`, `:`, `:=`, `=>`, …) to a name that starts with `newrelic` (any case).
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `NewRelic`, severity `MEDIUM`, as in Trivy.
pub(crate) const NEW_RELIC_USER_API_ID: BuiltinRule = BuiltinRule {
    id: "new-relic-user-api-id",
    category: "NewRelic",
    title: "New Relic user API ID",
    severity: Severity::Medium,
    pattern: Pattern::Assigned {
        name: "newrelic",
        value: r"[A-Z0-9]{64}",
    },
    secret_group: Some("secret"),
    keywords: &[ci("newrelic")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "NEWRELIC_KEY = \"QLBYPGBM292SSMAKUA5DY9QRCFZVYRCT1KGKO7SQYSEPKWXLLTGSNNH2BE3MJ6QV\"\n",
        "newrelic: 'QLBYPGBM292SSMAKUA5DY9QRCFZVYRCT1KGKO7SQYSEPKWXLLTGSNNH2BE3MJ6QV'\n",
    ],
    counter_examples: &[
        "NEWRELIC_KEY = \"3TU2TTJD2\"\n",
        "OTHER_KEY = \"QLBYPGBM292SSMAKUA5DY9QRCFZVYRCT1KGKO7SQYSEPKWXLLTGSNNH2BE3MJ6QV\"\n",
    ],
};

/// `new-relic-user-api-key`: New Relic user API Key.
///
/// ## What it checks
/// A quoted New Relic user API key: `NRAK-` and 27 upper-case letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `NewRelic`, severity `MEDIUM`, as in Trivy.
pub(crate) const NEW_RELIC_USER_API_KEY: BuiltinRule = BuiltinRule {
    id: "new-relic-user-api-key",
    category: "NewRelic",
    title: "New Relic user API Key",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"](NRAK-[A-Z0-9]{27})['"]"#),
    secret_group: None,
    keywords: &[cs("NRAK-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["key = \"NRAK-0ZDY43C49B66Y3EH7HTCVYJDXZM\"\n"],
    counter_examples: &["key = \"NRAK-IR90AX4SRY\"\n"],
};

/// `new-relic-browser-api-token`: New Relic ingest browser API token.
///
/// ## What it checks
/// A quoted New Relic browser ingest key: `NRJS-` and 19 hex digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `NewRelic`, severity `MEDIUM`, as in Trivy.
pub(crate) const NEW_RELIC_BROWSER_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "new-relic-browser-api-token",
    category: "NewRelic",
    title: "New Relic ingest browser API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r#"['"](NRJS-[a-f0-9]{19})['"]"#),
    secret_group: None,
    keywords: &[cs("NRJS-")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["key = \"NRJS-ff257abd787b2e4b8a9\"\n"],
    counter_examples: &["key = \"NRJS-65450cace\"\n"],
};
