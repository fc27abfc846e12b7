//! Notifiers: a generic webhook (the [`Notification`] as JSON), a Slack-compatible webhook
//! (`{"text": …}`) and ntfy (plain text with `Title`/`Priority`/`Tags` headers). Each delivery
//! is retried with exponential backoff; what still fails stays in the outbox (see
//! [`crate::State::deliver_pending`]).

use std::fmt::Write as _;
use std::time::Duration;

use atalaia_detect::Severity;
use serde::{Deserialize, Serialize};

use crate::model::{Finding, Notification};

/// Where notifications go.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Target {
    /// A generic webhook: `POST` of the [`Notification`] as JSON.
    Webhook(String),
    /// A Slack-compatible incoming webhook (also Mattermost, Rocket.Chat, Discord's `/slack`):
    /// `POST {"text": …}` with a readable summary.
    Slack(String),
    /// An ntfy topic URL (`https://ntfy.sh/my-topic`): `POST` of the summary as text.
    Ntfy(String),
}

impl Target {
    /// `webhook`, `slack` or `ntfy`.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Webhook(_) => "webhook",
            Target::Slack(_) => "slack",
            Target::Ntfy(_) => "ntfy",
        }
    }

    /// The URL.
    pub fn url(&self) -> &str {
        match self {
            Target::Webhook(u) | Target::Slack(u) | Target::Ntfy(u) => u,
        }
    }

    /// From a kind and URL as stored in the outbox.
    pub(crate) fn from_parts(kind: &str, url: String) -> Option<Target> {
        Some(match kind {
            "webhook" => Target::Webhook(url),
            "slack" => Target::Slack(url),
            "ntfy" => Target::Ntfy(url),
            _ => return None,
        })
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind(), self.url())
    }
}

/// How deliveries are attempted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOptions {
    /// Attempts per notification in one run (at least 1).
    pub attempts: u32,
    /// The wait before the second attempt; doubled before each next one.
    pub initial_backoff: Duration,
    /// The timeout of one HTTP request (connect + send + response).
    pub timeout: Duration,
}

impl Default for DeliveryOptions {
    /// 4 attempts, 500 ms then 1 s then 2 s apart, 10 s per request.
    fn default() -> Self {
        DeliveryOptions {
            attempts: 4,
            initial_backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The configured notifiers and how to deliver to them.
#[derive(Debug, Clone, Default)]
pub struct Notifiers {
    /// The targets (none: events are recorded in the history only).
    pub targets: Vec<Target>,
    /// Retries and timeouts.
    pub delivery: DeliveryOptions,
}

impl Notifiers {
    /// Notifiers for `targets` with the default delivery options.
    pub fn new(targets: Vec<Target>) -> Self {
        Notifiers {
            targets,
            delivery: DeliveryOptions::default(),
        }
    }
}

/// The outcome of delivering one outbox entry in this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Delivery {
    /// The outbox entry.
    pub outbox_id: i64,
    /// The run whose events it carries.
    pub run: i64,
    /// Where it went.
    pub target: Target,
    /// Attempts made in this run.
    pub attempts: u32,
    /// Why the last attempt failed; `None` when delivered.
    pub error: Option<String>,
}

impl Delivery {
    /// Whether it was delivered.
    pub fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// The request a target receives for `n`: content type, extra headers, body.
pub(crate) struct Request {
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: String,
}

pub(crate) fn request(target: &Target, n: &Notification) -> Result<Request, serde_json::Error> {
    Ok(match target {
        Target::Webhook(_) => Request {
            content_type: "application/json",
            headers: Vec::new(),
            body: serde_json::to_string(n)?,
        },
        Target::Slack(_) => Request {
            content_type: "application/json",
            headers: Vec::new(),
            body: serde_json::to_string(&serde_json::json!({ "text": summary(n, true) }))?,
        },
        Target::Ntfy(_) => {
            let urgent = n.events.new_findings.iter().any(|i| {
                i.findings
                    .iter()
                    .any(|f| f.kev || f.severity == Severity::Critical)
            }) || n.events.containers_appeared.iter().any(|c| c.exposed);
            let mut tags = Vec::new();
            if !n.events.new_findings.is_empty() {
                tags.push("rotating_light");
            }
            if !n.events.fixed_findings.is_empty() {
                tags.push("white_check_mark");
            }
            if !n.events.containers_appeared.is_empty() || !n.events.containers_gone.is_empty() {
                tags.push("whale");
            }
            Request {
                content_type: "text/plain; charset=utf-8",
                headers: vec![
                    ("Title", ascii(&headline(n))),
                    (
                        "Priority",
                        if urgent { "high" } else { "default" }.to_owned(),
                    ),
                    ("Tags", tags.join(",")),
                ],
                body: summary(n, false),
            }
        }
    })
}

/// Header values must be ASCII: anything else becomes `?`.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line: what changed.
pub(crate) fn headline(n: &Notification) -> String {
    let e = &n.events;
    let exposed = e.containers_appeared.iter().filter(|c| c.exposed).count();
    let mut parts = vec![
        plural(e.new_finding_count(), "new finding", "new findings"),
        plural(e.fixed_finding_count(), "fixed", "fixed"),
    ];
    let mut appeared = plural(
        e.containers_appeared.len(),
        "container appeared",
        "containers appeared",
    );
    if exposed > 0 {
        let _ = write!(appeared, " ({exposed} exposed)");
    }
    parts.push(appeared);
    parts.push(plural(e.containers_gone.len(), "gone", "gone"));
    format!("atalaia watch: {}", parts.join(", "))
}

impl Notification {
    /// One line saying what changed (`atalaia watch: 2 new findings, 0 fixed, …`).
    pub fn headline(&self) -> String {
        headline(self)
    }

    /// The plain-text summary ntfy receives: the headline, then one line per finding and
    /// container (at most 40, then `... and N more lines`).
    pub fn summary(&self) -> String {
        summary(self, false)
    }
}

/// The most lines a summary lists before `… and N more`.
const MAX_LINES: usize = 40;

fn finding_line(f: &Finding, markdown: bool) -> String {
    let id = if markdown {
        format!("*{}*", f.vulnerability_id)
    } else {
        f.vulnerability_id.clone()
    };
    let mut line = format!(
        "{id} {}{} {} {}",
        f.severity.as_str(),
        if f.kev { " KEV" } else { "" },
        f.pkg_name,
        f.installed_version
    );
    if !f.fixed_version.is_empty() {
        let _ = write!(line, " -> {}", f.fixed_version);
    }
    line
}

/// A readable summary: the headline, then one line per finding and container.
pub(crate) fn summary(n: &Notification, markdown: bool) -> String {
    let e = &n.events;
    let mut lines = Vec::new();
    let bullet = if markdown { "\u{2022}" } else { "-" };
    for (title, groups) in [
        ("New findings", &e.new_findings),
        ("Fixed", &e.fixed_findings),
    ] {
        if groups.is_empty() {
            continue;
        }
        lines.push(format!("{title}:"));
        for g in groups {
            let names: Vec<&str> = g.containers.iter().map(|c| c.name.as_str()).collect();
            let running = if names.is_empty() {
                String::new()
            } else {
                format!(" (in {})", names.join(", "))
            };
            for f in &g.findings {
                lines.push(format!(
                    "{bullet} {}{running}: {}",
                    g.image,
                    finding_line(f, markdown)
                ));
            }
        }
    }
    if !e.containers_appeared.is_empty() {
        lines.push("Containers appeared:".to_owned());
        for c in &e.containers_appeared {
            let mut line = format!("{bullet} {} ({})", c.name, c.image);
            if c.exposed {
                let ports: Vec<String> = c
                    .exposure
                    .ports
                    .iter()
                    .filter(|p| p.on_all_interfaces())
                    .map(|p| format!("{}->{}/{}", p.host_port, p.container_port, p.protocol))
                    .collect();
                let mut how = ports.join(", ");
                if c.exposure.host_network {
                    how = if how.is_empty() {
                        "host network".to_owned()
                    } else {
                        format!("{how}, host network")
                    };
                }
                let _ = write!(line, " EXPOSED: {how}");
            }
            if c.exposure.privileged {
                line.push_str(" privileged");
            }
            let counts: Vec<String> = c
                .findings
                .vulnerabilities
                .iter()
                .rev()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            if !counts.is_empty() {
                let _ = write!(line, " [{}]", counts.join(", "));
            }
            lines.push(line);
        }
    }
    if !e.containers_gone.is_empty() {
        lines.push("Containers gone:".to_owned());
        for c in &e.containers_gone {
            lines.push(format!("{bullet} {} ({})", c.name, c.image));
        }
    }
    let total = lines.len();
    if total > MAX_LINES {
        lines.truncate(MAX_LINES);
        lines.push(format!("... and {} more lines", total - MAX_LINES));
    }
    let mut out = headline(n);
    for l in lines {
        out.push('\n');
        out.push_str(&l);
    }
    out
}

/// Sends `req` to `target`, retrying with backoff; returns the attempts made and the last error.
pub(crate) fn send(
    agent: &ureq::Agent,
    target: &Target,
    req: &Request,
    opts: &DeliveryOptions,
) -> (u32, Option<String>) {
    let mut backoff = opts.initial_backoff;
    let attempts = opts.attempts.max(1);
    let mut last = None;
    for attempt in 1..=attempts {
        let mut r = agent
            .post(target.url())
            .set("Content-Type", req.content_type);
        for (name, value) in &req.headers {
            if !value.is_empty() {
                r = r.set(name, value);
            }
        }
        match r.send_string(&req.body) {
            Ok(_) => return (attempt, None),
            Err(ureq::Error::Status(code, resp)) => {
                let text = resp.into_string().unwrap_or_default();
                let text: String = text.chars().take(200).collect();
                last = Some(format!("HTTP {code}: {}", text.trim()));
                // A client error other than rate limiting will not get better by retrying now.
                if (400..500).contains(&code) && code != 408 && code != 429 {
                    return (attempt, last);
                }
            }
            Err(ureq::Error::Transport(t)) => last = Some(t.to_string()),
        }
        if attempt < attempts {
            tracing::debug!(%target, attempt, error = ?last, "notification failed, retrying");
            std::thread::sleep(backoff);
            backoff = backoff.saturating_mul(2);
        }
    }
    (attempts, last)
}

pub(crate) fn agent(opts: &DeliveryOptions) -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(opts.timeout).build()
}
