//! Custom rules in the format of Trivy's `trivy-secret.yaml`.
//!
//! ```yaml
//! enable-builtin-rules: [aws-access-key-id]   # only these built-in rules (all when absent)
//! disable-rules: [slack-web-hook]             # applied after enabling; custom rules too
//! disable-allow-rules: [markdown]             # built-in or custom allow rules
//! rules:
//!   - id: my-token
//!     category: Internal
//!     title: Internal token
//!     severity: HIGH
//!     regex: (?i)token\s*=\s*(?P<secret>itk_[0-9a-f]{32})
//!     secret-group-name: secret
//!     keywords: [itk_]
//!     path: .*\.env          # a regex, or a list of regexes
//!     allow-rules:
//!       - id: fixtures
//!         path: fixtures/
//!     exclude-block:
//!       regexes: ['(?s)BEGIN-DOC.*?END-DOC']
//! allow-rules:
//!   - id: skip-docs
//!     description: docs only hold placeholders
//!     path: ^docs/
//!     regex: PLACEHOLDER
//! exclude-block:
//!   description: sample blocks
//!   regexes: ['(?s)```sample.*?```']
//! ```
//!
//! Parsing is strict: an unknown field is an error naming the file, line and field. Every
//! invalid value (a regex that does not compile, a severity that is not one of Trivy's, a
//! `secret-group-name` the regex does not have, a rule without `id` or `regex`) is reported
//! together in one [`SecretError::InvalidConfig`]. Regexes use the `regex` crate's syntax, which
//! accepts Trivy's (Go RE2) patterns with the same meaning. A missing `severity` is `UNKNOWN`, as
//! in Trivy.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::{compile_content_regex, compile_path_regex, AllowRule};
use crate::{SecretError, Severity};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    enable_builtin_rules: Vec<String>,
    #[serde(default)]
    disable_rules: Vec<String>,
    #[serde(default)]
    disable_allow_rules: Vec<String>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    allow_rules: Vec<RawAllowRule>,
    #[serde(default)]
    exclude_block: Option<RawExcludeBlock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    id: Option<String>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    title: String,
    severity: Option<String>,
    regex: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    path: Option<OneOrMany>,
    #[serde(default)]
    allow_rules: Vec<RawAllowRule>,
    exclude_block: Option<RawExcludeBlock>,
    secret_group_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAllowRule {
    id: Option<String>,
    #[serde(default)]
    #[allow(dead_code)] // Read for strictness and documentation; not used by the engine.
    description: String,
    regex: Option<String>,
    path: Option<OneOrMany>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawExcludeBlock {
    #[serde(default)]
    #[allow(dead_code)] // As above.
    description: String,
    #[serde(default)]
    regexes: Vec<String>,
}

/// Trivy documents `path` both as one regex and as a list of regexes; both are accepted.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_pattern(self) -> String {
        match self {
            OneOrMany::One(s) => s,
            OneOrMany::Many(v) => v
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|"),
        }
    }
}

/// A custom rule from the config, validated and compiled.
#[derive(Debug, Clone)]
pub(crate) struct CustomRule {
    pub(crate) id: String,
    pub(crate) category: String,
    pub(crate) title: String,
    pub(crate) severity: Severity,
    pub(crate) regex: regex::bytes::Regex,
    pub(crate) secret_group: Option<String>,
    pub(crate) keywords: Vec<String>,
    pub(crate) path: Option<regex::Regex>,
    pub(crate) allow_rules: Vec<AllowRule>,
    pub(crate) exclude_block: Vec<regex::bytes::Regex>,
}

/// A parsed and validated `trivy-secret.yaml`.
#[derive(Debug, Clone, Default)]
pub struct SecretConfig {
    pub(crate) enable_builtin_rules: Vec<String>,
    pub(crate) disable_rules: Vec<String>,
    pub(crate) disable_allow_rules: Vec<String>,
    pub(crate) rules: Vec<CustomRule>,
    pub(crate) allow_rules: Vec<AllowRule>,
    pub(crate) exclude_block: Vec<regex::bytes::Regex>,
}

impl SecretConfig {
    /// Reads and validates a config file.
    pub fn from_path(path: &Path) -> Result<SecretConfig, SecretError> {
        let text = std::fs::read_to_string(path).map_err(|err| SecretError::ReadConfig {
            path: path.to_owned(),
            err,
        })?;
        SecretConfig::from_yaml(&text, path)
    }

    /// Parses and validates config text; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &Path) -> Result<SecretConfig, SecretError> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig {
                enable_builtin_rules: Vec::new(),
                disable_rules: Vec::new(),
                disable_allow_rules: Vec::new(),
                rules: Vec::new(),
                allow_rules: Vec::new(),
                exclude_block: None,
            }
        } else {
            serde_yaml_ng::from_str(text).map_err(|err| SecretError::ParseConfig {
                path: origin.to_owned(),
                err,
            })?
        };
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        for (i, raw_rule) in raw.rules.into_iter().enumerate() {
            if let Some(rule) = validate_rule(i, raw_rule, &mut problems) {
                rules.push(rule);
            }
        }
        let allow_rules = validate_allow_rules("allow-rules", raw.allow_rules, &mut problems);
        let exclude_block =
            validate_exclude_block("exclude-block", raw.exclude_block, &mut problems);
        if !problems.is_empty() {
            return Err(SecretError::InvalidConfig {
                path: PathBuf::from(origin),
                problems,
            });
        }
        Ok(SecretConfig {
            enable_builtin_rules: raw.enable_builtin_rules,
            disable_rules: raw.disable_rules,
            disable_allow_rules: raw.disable_allow_rules,
            rules,
            allow_rules,
            exclude_block,
        })
    }

    /// The IDs of the custom rules, in file order.
    pub fn custom_rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }
}

fn validate_rule(i: usize, raw: RawRule, problems: &mut Vec<String>) -> Option<CustomRule> {
    let before = problems.len();
    let id = match raw.id.filter(|s| !s.trim().is_empty()) {
        Some(id) => id,
        None => {
            problems.push(format!("rules[{i}]: missing `id`"));
            format!("rules[{i}]")
        }
    };
    let at = format!("rule `{id}`");
    let severity = match raw.severity.as_deref() {
        None | Some("") => Severity::Unknown,
        Some(s) => Severity::parse(s).unwrap_or_else(|| {
            problems.push(format!(
                "{at}: `severity: {s}` is not one of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL"
            ));
            Severity::Unknown
        }),
    };
    let regex = match raw.regex {
        None => {
            problems.push(format!("{at}: missing `regex`"));
            None
        }
        Some(src) => match compile_content_regex(&src) {
            Ok(re) => Some(re),
            Err(err) => {
                problems.push(format!("{at}: `regex` does not compile: {err}"));
                None
            }
        },
    };
    let secret_group = raw.secret_group_name.filter(|s| !s.is_empty());
    if let (Some(re), Some(group)) = (&regex, &secret_group) {
        if !re.capture_names().flatten().any(|n| n == group) {
            problems.push(format!(
                "{at}: `secret-group-name: {group}` names no group of the regex"
            ));
        }
    }
    for k in &raw.keywords {
        if k.is_empty() {
            problems.push(format!("{at}: empty keyword"));
        }
    }
    let path = raw.path.and_then(|p| {
        let src = p.into_pattern();
        compile_path_regex(&src)
            .map_err(|err| problems.push(format!("{at}: `path` does not compile: {err}")))
            .ok()
    });
    let allow_rules = validate_allow_rules(&format!("{at} allow-rules"), raw.allow_rules, problems);
    let exclude_block =
        validate_exclude_block(&format!("{at} exclude-block"), raw.exclude_block, problems);
    if problems.len() != before {
        return None;
    }
    Some(CustomRule {
        id,
        category: raw.category,
        title: raw.title,
        severity,
        regex: regex?,
        secret_group,
        keywords: raw.keywords,
        path,
        allow_rules,
        exclude_block,
    })
}

fn validate_allow_rules(
    at: &str,
    raw: Vec<RawAllowRule>,
    problems: &mut Vec<String>,
) -> Vec<AllowRule> {
    let mut out = Vec::new();
    for (i, r) in raw.into_iter().enumerate() {
        let id = r.id.unwrap_or_else(|| format!("{at}[{i}]"));
        let regex = r.regex.and_then(|src| {
            compile_content_regex(&src)
                .map_err(|err| {
                    problems.push(format!("{at} `{id}`: `regex` does not compile: {err}"))
                })
                .ok()
        });
        let path = r.path.and_then(|p| {
            compile_path_regex(&p.into_pattern())
                .map_err(|err| {
                    problems.push(format!("{at} `{id}`: `path` does not compile: {err}"))
                })
                .ok()
        });
        out.push(AllowRule { id, regex, path });
    }
    out
}

fn validate_exclude_block(
    at: &str,
    raw: Option<RawExcludeBlock>,
    problems: &mut Vec<String>,
) -> Vec<regex::bytes::Regex> {
    let Some(raw) = raw else { return Vec::new() };
    raw.regexes
        .iter()
        .filter_map(|src| {
            compile_content_regex(src)
                .map_err(|err| {
                    problems.push(format!("{at}: regex `{src}` does not compile: {err}"))
                })
                .ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SecretConfig, SecretError> {
        SecretConfig::from_yaml(text, Path::new("trivy-secret.yaml"))
    }

    #[test]
    fn full_config() {
        let cfg = parse(
            r#"
enable-builtin-rules: [aws-access-key-id, github-pat]
disable-rules: [github-pat]
disable-allow-rules: [markdown]
rules:
  - id: rule1
    category: general
    title: Generic Rule
    severity: high
    path: .*\.sh
    keywords: [secret]
    regex: (?i)(?P<key>(secret))(=|:).{0,5}['"](?P<secret>[0-9a-zA-Z\-_=]{8,64})['"]
    secret-group-name: secret
    allow-rules:
      - id: skip-text
        description: skip text files
        path: .*\.txt
  - id: rule2
    regex: tok_[0-9]+
    path: [a\.env, b\.env]
allow-rules:
  - id: docs
    path: ^docs/
exclude-block:
  description: examples
  regexes: ['(?s)BEGIN.*?END']
"#,
        )
        .unwrap();
        assert_eq!(
            cfg.custom_rule_ids().collect::<Vec<_>>(),
            ["rule1", "rule2"]
        );
        assert_eq!(cfg.rules[0].severity, Severity::High);
        assert_eq!(cfg.rules[1].severity, Severity::Unknown);
        assert!(cfg.rules[1].path.as_ref().unwrap().is_match("x/b.env"));
        assert_eq!(cfg.rules[0].allow_rules[0].id, "skip-text");
        assert_eq!(cfg.exclude_block.len(), 1);
        assert_eq!(cfg.disable_allow_rules, ["markdown"]);
    }

    #[test]
    fn unknown_field_names_file_and_field() {
        let err = parse("rules:\n  - id: a\n    regex: x\n    severty: HIGH\n").unwrap_err();
        let msg = format!("{err}: {}", std::error::Error::source(&err).unwrap());
        assert!(msg.contains("trivy-secret.yaml"), "{msg}");
        assert!(msg.contains("severty"), "{msg}");
    }

    #[test]
    fn bad_values_are_all_reported() {
        let err = parse(
            "rules:\n  - id: a\n    regex: '(unclosed'\n  - id: b\n    regex: x\n    severity: SEVERE\n  - id: c\n    regex: (?P<s>x)\n    secret-group-name: secret\n  - regex: y\n",
        )
        .unwrap_err();
        let SecretError::InvalidConfig { problems, path } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, Path::new("trivy-secret.yaml"));
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(
            problems[0].contains("rule `a`") && problems[0].contains("regex"),
            "{problems:?}"
        );
        assert!(problems[1].contains("SEVERE"), "{problems:?}");
        assert!(problems[2].contains("secret-group-name"), "{problems:?}");
        assert!(problems[3].contains("missing `id`"), "{problems:?}");
        assert!(err.to_string().contains("4 invalid value"));
    }

    #[test]
    fn empty_and_malformed_yaml() {
        assert!(parse("").unwrap().rules.is_empty());
        assert!(matches!(
            parse("rules: [\n"),
            Err(SecretError::ParseConfig { .. })
        ));
        assert!(matches!(
            parse("- just\n- a list\n"),
            Err(SecretError::ParseConfig { .. })
        ));
        assert!(matches!(
            parse("rules: 5\n"),
            Err(SecretError::ParseConfig { .. })
        ));
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let err = SecretConfig::from_path(Path::new("/nonexistent/trivy-secret.yaml")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/trivy-secret.yaml"));
    }
}
