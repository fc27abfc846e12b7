//! Credentials (given, or from Docker's `config.json`) and `WWW-Authenticate` challenges.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use crate::RegistryError;

/// The user name Docker gives identity tokens.
pub(crate) const IDENTITY_TOKEN_USER: &str = "<token>";

/// A user name and password (or identity token). `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub username: String,
    /// The password or token.
    pub password: String,
}

impl Credentials {
    /// Credentials from a user name and password.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Whether this is an identity token (user name `<token>`, as Docker stores them): it is
    /// exchanged at the token service for access tokens, never sent as a password.
    pub fn is_identity_token(&self) -> bool {
        self.username == IDENTITY_TOKEN_USER
    }

    /// The value of a `Basic` `Authorization` header.
    pub(crate) fn basic_header(&self) -> String {
        let raw = format!("{}:{}", self.username, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Docker's client config (`~/.docker/config.json`): the `auths` section and the credential
/// helpers (`credsStore`, `credHelpers`).
#[derive(Debug, Default, Deserialize)]
pub struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, DockerAuth>,
    /// The helper for every registry (`docker-credential-<name>`).
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    /// Helpers by registry host; they win over `credsStore`.
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Default, Deserialize)]
struct DockerAuth {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default, rename = "identitytoken")]
    identity_token: Option<String>,
}

impl fmt::Debug for DockerAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DockerAuth(<redacted>)")
    }
}

impl DockerConfig {
    /// The default location: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("DOCKER_CONFIG") {
            return Some(PathBuf::from(dir).join("config.json"));
        }
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker").join("config.json"))
    }

    /// Reads `path`; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Self, RegistryError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(RegistryError::BadDockerConfig {
                    path: path.to_owned(),
                    reason: e.to_string(),
                })
            }
        };
        Self::parse(&bytes).map_err(|reason| RegistryError::BadDockerConfig {
            path: path.to_owned(),
            reason,
        })
    }

    /// Parses the JSON text of a config.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        // serde_json's messages quote no input, only positions: safe to return.
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The credentials stored for `registry` (`docker.io` also matches Docker Hub's legacy
    /// `https://index.docker.io/v1/` key; keys may carry a scheme and a path).
    pub fn credentials_for(&self, registry: &str) -> Option<Credentials> {
        let wanted = normalize_key(registry);
        let entry = self
            .auths
            .iter()
            .find(|(k, _)| normalize_key(k) == wanted)
            .map(|(_, v)| v)?;
        if let Some(token) = &entry.identity_token {
            if !token.is_empty() {
                return Some(Credentials::new("<token>", token.clone()));
            }
        }
        if let (Some(u), Some(p)) = (&entry.username, &entry.password) {
            return Some(Credentials::new(u.clone(), p.clone()));
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(entry.auth.as_deref()?.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (u, p) = text.split_once(':')?;
        Some(Credentials::new(u, p))
    }
}

impl DockerConfig {
    /// The credential helper to ask for `registry` (`desktop` for `docker-credential-desktop`):
    /// its `credHelpers` entry, else `credsStore`.
    pub fn helper_for(&self, registry: &str) -> Option<&str> {
        let wanted = normalize_key(registry);
        self.cred_helpers
            .iter()
            .find(|(k, _)| normalize_key(k) == wanted)
            .map(|(_, v)| v.as_str())
            .or(self.creds_store.as_deref())
            .filter(|h| !h.is_empty())
    }
}

/// The key Docker stores `registry`'s credentials under (and hands to credential helpers).
pub(crate) fn server_url(registry: &str) -> String {
    if normalize_key(registry) == "docker.io" {
        "https://index.docker.io/v1/".to_owned()
    } else {
        registry.to_owned()
    }
}

fn normalize_key(key: &str) -> String {
    let k = key
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = k.split('/').next().unwrap_or(k);
    match host {
        "index.docker.io" | "registry-1.docker.io" | "docker.io" => "docker.io".to_owned(),
        h => h.to_ascii_lowercase(),
    }
}

/// A parsed `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Challenge {
    /// `Basic realm="…"`.
    Basic,
    /// `Bearer realm="…",service="…",scope="…"`.
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parses the first challenge of a `WWW-Authenticate` value that this client understands.
pub(crate) fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header
        .split_once(char::is_whitespace)
        .unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let params = parse_params(rest);
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    };
    Some(Challenge::Bearer {
        realm: get("realm")?,
        service: get("service"),
        scope: get("scope"),
    })
}

/// `k=v, k2="quoted, with commas"` → pairs.
fn parse_params(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ',' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            break;
        }
        if chars.next() != Some('=') {
            continue;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_and_basic_challenges() {
        let c = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push""#,
        )
        .unwrap();
        assert_eq!(
            c,
            Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/alpine:pull,push".into()),
            }
        );
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(parse_challenge("Bearer service=x"), None);
        assert_eq!(parse_challenge("Negotiate abc"), None);
        assert_eq!(parse_challenge(""), None);
        assert_eq!(
            parse_challenge("Bearer realm=\"unterminated"),
            Some(Challenge::Bearer {
                realm: "unterminated".into(),
                service: None,
                scope: None,
            })
        );
    }

    #[test]
    fn docker_config_auths() {
        let cfg = DockerConfig::parse(
            br#"{"auths":{
                "https://index.docker.io/v1/":{"auth":"dXNlcjpwYXNzOndpdGg6Y29sb25z"},
                "ghcr.io":{"username":"u","password":"p"},
                "bad.example":{"auth":"!!!"}
            },"credsStore":"desktop"}"#,
        )
        .unwrap();
        let hub = cfg.credentials_for("docker.io").unwrap();
        assert_eq!(hub.username, "user");
        assert_eq!(hub.password, "pass:with:colons");
        assert_eq!(cfg.credentials_for("ghcr.io").unwrap().username, "u");
        assert_eq!(cfg.credentials_for("bad.example"), None);
        assert_eq!(cfg.credentials_for("quay.io"), None);
        assert!(!format!("{hub:?}").contains("with:colons"));
        assert!(DockerConfig::parse(b"{not json").is_err());
        assert!(DockerConfig::parse(br#"{"auths":[]}"#).is_err());
    }

    #[test]
    fn credential_helpers_by_registry() {
        let cfg = DockerConfig::parse(
            br#"{"credsStore":"desktop","credHelpers":{"https://ghcr.io":"gh","quay.io":""}}"#,
        )
        .unwrap();
        assert_eq!(cfg.helper_for("ghcr.io"), Some("gh"));
        assert_eq!(cfg.helper_for("docker.io"), Some("desktop"));
        // An empty entry is no helper.
        assert_eq!(cfg.helper_for("quay.io"), None);
        assert_eq!(DockerConfig::default().helper_for("ghcr.io"), None);
        assert_eq!(server_url("docker.io"), "https://index.docker.io/v1/");
        assert_eq!(server_url("127.0.0.1:5000"), "127.0.0.1:5000");
        assert!(DockerConfig::parse(br#"{"credHelpers":["x"]}"#).is_err());
    }

    #[test]
    fn missing_docker_config_is_empty() {
        let cfg = DockerConfig::load(Path::new("/nonexistent/config.json")).unwrap();
        assert_eq!(cfg.credentials_for("docker.io"), None);
    }
}
