//! The built-in rules: Trivy's rule set with the same IDs, categories, severities and titles.
//!
//! Each provider has its own file; each rule is a `const` [`BuiltinRule`] whose doc comment is
//! its documentation. [`BUILTIN_RULES`] is the registry. The regexes are written
//! for the `regex` crate from the meaning of Trivy's RE2 patterns; where Trivy's prefilter keyword
//! could miss a match of its own regex (`EZTK`, `A3T`, `packagist_urt_`) or is much weaker than a
//! literal the regex requires (`key` for AWS secrets, `SK` matched case-insensitively), the keyword
//! here is a literal that **every** match contains, so the engine may run a rule only around its
//! keyword hits without losing anything Trivy finds.
//!
//! [`BUILTIN_ALLOW_RULES`] (in `allow.rs`) are Trivy's global allow rules.

use crate::Severity;

mod adobe;
mod age;
mod alibaba;
mod allow;
mod asana;
mod atlassian;
mod aws;
mod azure;
mod beamer;
mod bitbucket;
mod clojars;
mod contentful;
mod databricks;
mod discord;
mod docker;
mod doppler;
mod dropbox;
mod duffel;
mod dynatrace;
mod easypost;
mod facebook;
mod fastly;
mod finicity;
mod flutterwave;
mod frameio;
mod gcp;
mod github;
mod gitlab;
mod gocardless;
mod grafana;
mod hashicorp;
mod heroku;
mod hubspot;
mod huggingface;
mod intercom;
mod ionic;
mod jwt;
mod linear;
mod linkedin;
mod lob;
mod mailchimp;
mod mailgun;
mod mapbox;
mod maven;
mod messagebird;
mod newrelic;
mod npm;
mod openai;
mod packagist;
mod planetscale;
mod postman;
mod private_key;
mod pulumi;
mod pypi;
mod rubygems;
mod sendgrid;
mod sendinblue;
mod shippo;
mod shopify;
mod slack;
mod stripe;
mod symfony;
mod twilio;
mod twitch;
mod twitter;
mod typeform;

pub(crate) use allow::BUILTIN_ALLOW_RULES;

/// A keyword of the prefilter: a literal that every match of its rule contains.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyword {
    /// The literal.
    pub(crate) text: &'static str,
    /// Whether the literal must match in this exact case (the part of the regex is case-sensitive).
    pub(crate) case_sensitive: bool,
}

/// A keyword matched in any ASCII case.
pub(crate) const fn ci(text: &'static str) -> Keyword {
    Keyword {
        text,
        case_sensitive: false,
    }
}

/// A keyword matched in this exact case.
pub(crate) const fn cs(text: &'static str) -> Keyword {
    Keyword {
        text,
        case_sensitive: true,
    }
}

/// How a rule's regex is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pattern {
    /// A complete regex.
    Raw(&'static str),
    /// A token that must not be glued to a preceding word character:
    /// `(?:[^0-9a-zA-Z_]|^)(?P<secret>TOKEN)`.
    Token(&'static str),
    /// A token standing alone as a word: `(?:[^0-9a-zA-Z_]|^)(?P<secret>TOKEN)(?:[^0-9a-zA-Z_]|$)`.
    Bounded(&'static str),
    /// A quoted value assigned to a name that starts with `name`, in any case:
    /// `(?i)(?P<key>NAME[a-z0-9_ .\-,]{0,25})(?:=|>|:=|\|\|:|<=|=>|:).{0,5}['"](?P<secret>VALUE)['"]`.
    Assigned {
        /// The start of the variable name (lower case).
        name: &'static str,
        /// The regex of the value.
        value: &'static str,
    },
}

impl Pattern {
    /// The part of the regex written per rule: the whole regex for [`Pattern::Raw`], the token
    /// for [`Pattern::Token`] and [`Pattern::Bounded`] (their boundaries only ever consume the
    /// one character around the token), the value regex for [`Pattern::Assigned`] (its frame
    /// stays on one line).
    pub(crate) fn body(&self) -> &'static str {
        match self {
            Pattern::Raw(s) | Pattern::Token(s) | Pattern::Bounded(s) => s,
            Pattern::Assigned { value, .. } => value,
        }
    }

    /// The regex source.
    pub(crate) fn source(&self) -> String {
        const START_WORD: &str = "(?:[^0-9a-zA-Z_]|^)";
        const END_WORD: &str = "(?:[^0-9a-zA-Z_]|$)";
        match self {
            Pattern::Raw(s) => (*s).to_owned(),
            Pattern::Token(s) => format!("{START_WORD}(?P<secret>{s})"),
            Pattern::Bounded(s) => format!("{START_WORD}(?P<secret>{s}){END_WORD}"),
            Pattern::Assigned { name, value } => format!(
                r#"(?i)(?P<key>{name}[a-z0-9_ .\-,]{{0,25}})(?:=|>|:=|\|\|:|<=|=>|:).{{0,5}}['"](?P<secret>{value})['"]"#
            ),
        }
    }
}

/// Which part of a file a rule's regex runs on once one of its keywords is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The keyword's line with one line before and two after (matches that wrap onto the next
    /// line, such as a YAML `|` block, are still seen).
    Lines,
    /// From the line before the keyword up to [`crate::engine::MULTILINE_WINDOW`] bytes after it:
    /// for blocks that span many lines (private keys).
    Multiline,
    /// The whole file (or chunk), as Trivy does: for rules that only run on a few paths.
    WholeFile,
}

/// An allow rule compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BuiltinAllowRule {
    /// The ID, as in Trivy (used by `disable-allow-rules`).
    pub(crate) id: &'static str,
    /// What it allows.
    pub(crate) description: &'static str,
    /// A regex on the whole match: a match it finds is not reported.
    pub(crate) regex: Option<&'static str>,
    /// A regex on the file path: files it finds are not scanned.
    pub(crate) path: Option<&'static str>,
}

/// A rule compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BuiltinRule {
    /// The rule ID, as in Trivy.
    pub(crate) id: &'static str,
    /// The category, as in Trivy.
    pub(crate) category: &'static str,
    /// The title, as in Trivy.
    pub(crate) title: &'static str,
    /// The severity, as in Trivy.
    pub(crate) severity: Severity,
    /// The regex.
    pub(crate) pattern: Pattern,
    /// The capture group that holds the secret; the whole match when `None`.
    pub(crate) secret_group: Option<&'static str>,
    /// Literals every match contains; the regex runs only near them.
    pub(crate) keywords: &'static [Keyword],
    /// Only files whose path matches this regex are scanned by the rule.
    pub(crate) path: Option<&'static str>,
    /// The rule's own allow rules.
    pub(crate) allow_rules: &'static [BuiltinAllowRule],
    /// Where the regex runs.
    pub(crate) scope: Scope,
    /// Fake inputs the rule must find (unit-tested).
    #[cfg_attr(not(test), allow(dead_code))] // Read by the unit tests only.
    pub(crate) examples: &'static [&'static str],
    /// Inputs the rule must not find (unit-tested).
    #[cfg_attr(not(test), allow(dead_code))] // Read by the unit tests only.
    pub(crate) counter_examples: &'static [&'static str],
}

/// Every built-in rule.
pub(crate) const BUILTIN_RULES: &[BuiltinRule] = &[
    aws::AWS_ACCESS_KEY_ID,
    aws::AWS_SECRET_ACCESS_KEY,
    github::GITHUB_PAT,
    github::GITHUB_OAUTH,
    github::GITHUB_APP_TOKEN,
    github::GITHUB_REFRESH_TOKEN,
    github::GITHUB_FINE_GRAINED_PAT,
    gitlab::GITLAB_PAT,
    huggingface::HUGGING_FACE_ACCESS_TOKEN,
    private_key::PRIVATE_KEY,
    shopify::SHOPIFY_TOKEN,
    slack::SLACK_ACCESS_TOKEN,
    slack::SLACK_WEB_HOOK,
    stripe::STRIPE_PUBLISHABLE_TOKEN,
    stripe::STRIPE_SECRET_TOKEN,
    pypi::PYPI_UPLOAD_TOKEN,
    gcp::GCP_SERVICE_ACCOUNT,
    heroku::HEROKU_API_KEY,
    twilio::TWILIO_API_KEY,
    age::AGE_SECRET_KEY,
    facebook::FACEBOOK_TOKEN,
    twitter::TWITTER_TOKEN,
    adobe::ADOBE_CLIENT_ID,
    adobe::ADOBE_CLIENT_SECRET,
    alibaba::ALIBABA_SECRET_KEY,
    alibaba::ALIBABA_ACCESS_KEY_ID,
    asana::ASANA_CLIENT_ID,
    asana::ASANA_CLIENT_SECRET,
    atlassian::ATLASSIAN_API_TOKEN,
    bitbucket::BITBUCKET_CLIENT_ID,
    bitbucket::BITBUCKET_CLIENT_SECRET,
    beamer::BEAMER_API_TOKEN,
    contentful::CONTENTFUL_DELIVERY_API_TOKEN,
    discord::DISCORD_API_TOKEN,
    discord::DISCORD_CLIENT_ID,
    discord::DISCORD_CLIENT_SECRET,
    fastly::FASTLY_API_TOKEN,
    finicity::FINICITY_CLIENT_SECRET,
    finicity::FINICITY_API_TOKEN,
    hubspot::HUBSPOT_API_TOKEN,
    intercom::INTERCOM_API_TOKEN,
    intercom::INTERCOM_CLIENT_SECRET,
    linear::LINEAR_CLIENT_SECRET,
    linear::LINEAR_API_TOKEN,
    lob::LOB_API_KEY,
    lob::LOB_PUB_API_KEY,
    mailchimp::MAILCHIMP_API_KEY,
    mailgun::MAILGUN_TOKEN,
    mailgun::MAILGUN_SIGNING_KEY,
    messagebird::MESSAGEBIRD_API_TOKEN,
    messagebird::MESSAGEBIRD_CLIENT_ID,
    newrelic::NEW_RELIC_USER_API_ID,
    newrelic::NEW_RELIC_USER_API_KEY,
    newrelic::NEW_RELIC_BROWSER_API_TOKEN,
    linkedin::LINKEDIN_CLIENT_SECRET,
    linkedin::LINKEDIN_CLIENT_ID,
    twitch::TWITCH_API_TOKEN,
    clojars::CLOJARS_API_TOKEN,
    databricks::DATABRICKS_API_TOKEN,
    doppler::DOPPLER_API_TOKEN,
    dropbox::DROPBOX_API_SECRET,
    dropbox::DROPBOX_SHORT_LIVED_API_TOKEN,
    dropbox::DROPBOX_LONG_LIVED_API_TOKEN,
    duffel::DUFFEL_API_TOKEN,
    dynatrace::DYNATRACE_API_TOKEN,
    easypost::EASYPOST_API_TOKEN,
    flutterwave::FLUTTERWAVE_PUBLIC_KEY,
    flutterwave::FLUTTERWAVE_ENC_KEY,
    frameio::FRAMEIO_API_TOKEN,
    gocardless::GOCARDLESS_API_TOKEN,
    grafana::GRAFANA_API_TOKEN,
    hashicorp::HASHICORP_TF_API_TOKEN,
    ionic::IONIC_API_TOKEN,
    jwt::JWT_TOKEN,
    mapbox::MAPBOX_API_TOKEN,
    npm::NPM_ACCESS_TOKEN,
    planetscale::PLANETSCALE_PASSWORD,
    planetscale::PLANETSCALE_API_TOKEN,
    packagist::PRIVATE_PACKAGIST_TOKEN,
    postman::POSTMAN_API_TOKEN,
    pulumi::PULUMI_API_TOKEN,
    rubygems::RUBYGEMS_API_TOKEN,
    sendgrid::SENDGRID_API_TOKEN,
    sendinblue::SENDINBLUE_API_TOKEN,
    shippo::SHIPPO_API_TOKEN,
    typeform::TYPEFORM_API_TOKEN,
    docker::DOCKERCONFIG_SECRET,
    symfony::SYMFONY_DEFAULT_SECRET,
    azure::AZURE_STORAGE_ACCOUNT_KEY,
    azure::AZURE_SAS_TOKEN,
    azure::AZURE_DEVOPS_PAT,
    azure::AZURE_ENTRA_CLIENT_SECRET,
    azure::AZURE_CONTAINER_REGISTRY_CREDENTIAL,
    azure::AZURE_CONTAINER_REGISTRY_PASSWORD,
    azure::AZURE_APP_CONFIG_CONNECTION_STRING,
    azure::AZURE_AI_SERVICES_KEY,
    maven::MAVEN_SETTINGS_PASSWORD,
    maven::MAVEN_SETTINGS_PASSPHRASE,
    maven::MAVEN_SETTINGS_SECURITY_MASTER,
    openai::OPENAI_PROJECT_API_KEY,
    openai::OPENAI_SERVICE_ACCOUNT_KEY,
    openai::OPENAI_ADMIN_API_KEY,
    openai::OPENAI_LEGACY_API_KEY,
    openai::OPENAI_SERVICE_API_KEY,
    openai::OPENAI_REALTIME_CLIENT_SECRET,
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::SecretScanner;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for rule in BUILTIN_RULES {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                rule.id
            );
        }
        let mut seen = HashSet::new();
        for rule in BUILTIN_ALLOW_RULES {
            assert!(seen.insert(rule.id), "duplicate allow rule id {}", rule.id);
        }
    }

    /// Trivy's built-in rule IDs (pkg/fanal/secret/builtin-rules.go): users' `disable-rules` and
    /// ignore files name them, so none may go missing or change.
    #[test]
    fn trivy_rule_ids_are_all_present() {
        const TRIVY: &[&str] = &[
            "adobe-client-id",
            "adobe-client-secret",
            "age-secret-key",
            "alibaba-access-key-id",
            "alibaba-secret-key",
            "asana-client-id",
            "asana-client-secret",
            "atlassian-api-token",
            "aws-access-key-id",
            "aws-secret-access-key",
            "azure-ai-services-key",
            "azure-app-config-connection-string",
            "azure-container-registry-credential",
            "azure-container-registry-password",
            "azure-devops-pat",
            "azure-entra-client-secret",
            "azure-sas-token",
            "azure-storage-account-key",
            "beamer-api-token",
            "bitbucket-client-id",
            "bitbucket-client-secret",
            "clojars-api-token",
            "contentful-delivery-api-token",
            "databricks-api-token",
            "discord-api-token",
            "discord-client-id",
            "discord-client-secret",
            "dockerconfig-secret",
            "doppler-api-token",
            "dropbox-api-secret",
            "dropbox-long-lived-api-token",
            "dropbox-short-lived-api-token",
            "duffel-api-token",
            "dynatrace-api-token",
            "easypost-api-token",
            "facebook-token",
            "fastly-api-token",
            "finicity-api-token",
            "finicity-client-secret",
            "flutterwave-enc-key",
            "flutterwave-public-key",
            "frameio-api-token",
            "gcp-service-account",
            "github-app-token",
            "github-fine-grained-pat",
            "github-oauth",
            "github-pat",
            "github-refresh-token",
            "gitlab-pat",
            "gocardless-api-token",
            "grafana-api-token",
            "hashicorp-tf-api-token",
            "heroku-api-key",
            "hubspot-api-token",
            "hugging-face-access-token",
            "intercom-api-token",
            "intercom-client-secret",
            "ionic-api-token",
            "jwt-token",
            "linear-api-token",
            "linear-client-secret",
            "linkedin-client-id",
            "linkedin-client-secret",
            "lob-api-key",
            "lob-pub-api-key",
            "mailchimp-api-key",
            "mailgun-signing-key",
            "mailgun-token",
            "mapbox-api-token",
            "maven-settings-passphrase",
            "maven-settings-password",
            "maven-settings-security-master",
            "messagebird-api-token",
            "messagebird-client-id",
            "new-relic-browser-api-token",
            "new-relic-user-api-id",
            "new-relic-user-api-key",
            "npm-access-token",
            "openai-admin-api-key",
            "openai-legacy-api-key",
            "openai-project-api-key",
            "openai-realtime-client-secret",
            "openai-service-account-key",
            "openai-service-api-key",
            "planetscale-api-token",
            "planetscale-password",
            "postman-api-token",
            "private-key",
            "private-packagist-token",
            "pulumi-api-token",
            "pypi-upload-token",
            "rubygems-api-token",
            "sendgrid-api-token",
            "sendinblue-api-token",
            "shippo-api-token",
            "shopify-token",
            "slack-access-token",
            "slack-web-hook",
            "stripe-publishable-token",
            "stripe-secret-token",
            "symfony-default-secret",
            "twilio-api-key",
            "twitch-api-token",
            "twitter-token",
            "typeform-api-token",
        ];
        let ours: HashSet<&str> = BUILTIN_RULES.iter().map(|r| r.id).collect();
        for id in TRIVY {
            assert!(ours.contains(id), "missing Trivy rule {id}");
        }
        assert_eq!(ours.len(), TRIVY.len());
    }

    #[test]
    fn every_rule_has_keywords_and_examples() {
        for rule in BUILTIN_RULES {
            assert!(!rule.keywords.is_empty(), "{} has no keyword", rule.id);
            assert!(!rule.examples.is_empty(), "{} has no example", rule.id);
            assert!(
                !rule.counter_examples.is_empty(),
                "{} has no counter-example",
                rule.id
            );
        }
    }

    /// Every example contains one of its rule's keywords: the prefilter can never hide it.
    #[test]
    fn examples_contain_a_keyword() {
        for rule in BUILTIN_RULES {
            for example in rule.examples {
                let found = rule.keywords.iter().any(|k| {
                    if k.case_sensitive {
                        example.contains(k.text)
                    } else {
                        example
                            .to_ascii_lowercase()
                            .contains(&k.text.to_ascii_lowercase())
                    }
                });
                assert!(found, "{}: example {example:?} holds no keyword", rule.id);
            }
        }
    }

    fn path_for(rule: &BuiltinRule) -> &'static str {
        match rule.id {
            "maven-settings-security-master" => "home/user/.m2/settings-security.xml",
            id if id.starts_with("maven-") => "home/user/.m2/settings.xml",
            _ => "app/config.env",
        }
    }

    /// Each rule finds its examples (through the whole engine: prefilter, windows, regex,
    /// allow rules) and the secret never shows in the finding.
    #[test]
    fn examples_are_found() {
        let scanner = SecretScanner::builder()
            .build()
            .expect("built-in rules compile");
        for rule in BUILTIN_RULES {
            for example in rule.examples {
                let findings = scanner.scan(path_for(rule), example.as_bytes());
                let hit = findings.iter().find(|f| f.rule_id == rule.id);
                let hit = hit.unwrap_or_else(|| {
                    panic!("{} misses its example {example:?}: {findings:?}", rule.id)
                });
                assert_eq!(hit.category, rule.category);
                assert_eq!(hit.title, rule.title);
                assert_eq!(hit.severity, rule.severity);
                assert!(
                    hit.r#match.contains('*'),
                    "{}: match not redacted: {}",
                    rule.id,
                    hit.r#match
                );
            }
        }
    }

    #[test]
    fn counter_examples_are_not_found() {
        let scanner = SecretScanner::builder()
            .build()
            .expect("built-in rules compile");
        for rule in BUILTIN_RULES {
            for example in rule.counter_examples {
                let findings = scanner.scan(path_for(rule), example.as_bytes());
                assert!(
                    findings.iter().all(|f| f.rule_id != rule.id),
                    "{} wrongly finds its counter-example {example:?}",
                    rule.id
                );
            }
        }
    }
}
