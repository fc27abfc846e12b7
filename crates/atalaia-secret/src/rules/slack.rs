//! Slack rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `slack-access-token`: Slack token.
///
/// ## What it checks
/// A Slack bot, app, user, refresh or legacy token: `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-` or `xoxs-` and 10 to 48 letters or digits.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Slack`, severity `HIGH`, as in Trivy.
pub(crate) const SLACK_ACCESS_TOKEN: BuiltinRule = BuiltinRule {
    id: "slack-access-token",
    category: "Slack",
    title: "Slack token",
    severity: Severity::High,
    pattern: Pattern::Token(r"xox[baprs]-[0-9a-zA-Z]{10,48}"),
    secret_group: Some("secret"),
    keywords: &[
        cs("xoxb-"),
        cs("xoxa-"),
        cs("xoxp-"),
        cs("xoxr-"),
        cs("xoxs-"),
    ],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["SLACK_TOKEN=xoxb-460006033811-ENNMil8CF3TReZbJqsdJ7wfr\n"],
    counter_examples: &["SLACK_TOKEN=xoxz-584783301374\n", "xoxb-123\n"],
};

/// `slack-web-hook`: Slack Webhook.
///
/// ## What it checks
/// A Slack incoming-webhook URL: `https://hooks.slack.com/services/` and 44 to 48 path characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Slack`, severity `MEDIUM`, as in Trivy.
pub(crate) const SLACK_WEB_HOOK: BuiltinRule = BuiltinRule {
    id: "slack-web-hook",
    category: "Slack",
    title: "Slack Webhook",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"https://hooks.slack.com/services/[A-Za-z0-9+/]{44,48}"),
    secret_group: None,
    keywords: &[ci("slack")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "url: https://hooks.slack.com/services/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\n",
    ],
    counter_examples: &["url: https://hooks.slack.com/services/T000\n"],
};
