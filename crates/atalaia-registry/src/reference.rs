//! Image references as Docker parses them: `postgres:16` is `docker.io/library/postgres:16`,
//! `host:5000/team/app@sha256:…` names a registry by its host.

use std::fmt;
use std::str::FromStr;

use atalaia_types::Digest;

use crate::RegistryError;

/// The registry Docker uses when a reference names none.
pub const DOCKER_HUB: &str = "docker.io";
/// The host that serves Docker Hub's API.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// An image (or artifact) reference: registry, repository, and a tag and/or a digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

impl Reference {
    /// Builds a reference from its parts (the registry as written: `docker.io`, `host:5000`).
    pub fn new(
        registry: impl Into<String>,
        repository: impl Into<String>,
        tag: Option<String>,
        digest: Option<Digest>,
    ) -> Self {
        Reference {
            registry: registry.into(),
            repository: repository.into(),
            tag,
            digest,
        }
    }

    /// The registry as named (`docker.io`, `ghcr.io`, `127.0.0.1:5000`).
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The host (and port) to connect to: Docker Hub's API host for `docker.io`.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB || self.registry == "index.docker.io" {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// The repository path (`library/postgres`).
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag, if one was given.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, if one was given.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// What to ask the registry for: the digest when there is one, else the tag, else `latest`.
    pub fn target(&self) -> &str {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.as_str(),
            (None, Some(t)) => t,
            (None, None) => "latest",
        }
    }

    /// The same repository with another tag and no digest.
    #[must_use]
    pub fn with_tag(&self, tag: impl Into<String>) -> Self {
        Reference {
            tag: Some(tag.into()),
            digest: None,
            ..self.clone()
        }
    }

    /// The same repository pinned to `digest` (the tag is kept for display).
    #[must_use]
    pub fn with_digest(&self, digest: Digest) -> Self {
        Reference {
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// Whether the registry is this machine (`localhost`, `127.0.0.1`, `[::1]`, with any port).
    pub fn is_localhost(&self) -> bool {
        let host = host_without_port(&self.registry);
        host == "localhost" || host == "127.0.0.1" || host == "::1" || host.ends_with(".localhost")
    }
}

fn host_without_port(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    registry.split(':').next().unwrap_or(registry)
}

fn bad(reference: &str, reason: impl Into<String>) -> RegistryError {
    RegistryError::BadReference {
        reference: reference.to_owned(),
        reason: reason.into(),
    }
}

fn valid_component(c: &str) -> bool {
    // Path components of the distribution grammar: lowercase alphanumerics separated by `.`,
    // `_`, `__` or runs of `-`.
    !c.is_empty()
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && c.as_bytes()[0].is_ascii_alphanumeric()
        && c.as_bytes()[c.len() - 1].is_ascii_alphanumeric()
}

fn valid_tag(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && t.as_bytes()[0] != b'.'
        && t.as_bytes()[0] != b'-'
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl FromStr for Reference {
    type Err = RegistryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(bad(s, "it is empty"));
        }
        if s.len() > 4096 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(s, "it contains whitespace or is too long"));
        }
        let (name_tag, digest) = match s.split_once('@') {
            Some((n, d)) => {
                let digest = d
                    .parse::<Digest>()
                    .map_err(|_| bad(s, format!("`{d}` is not a sha256 or sha512 digest")))?;
                (n, Some(digest))
            }
            None => (s, None),
        };
        // A tag is after the last `:` that follows the last `/` (a `:` before is a port).
        let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&name_tag[..at], Some(name_tag[at + 1..].to_owned()))
            }
            None => (name_tag, None),
        };
        if let Some(t) = &tag {
            if !valid_tag(t) {
                return Err(bad(s, format!("`{t}` is not a valid tag")));
            }
        }
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), rest.to_owned())
            }
            _ => (DOCKER_HUB.to_owned(), name.to_owned()),
        };
        if registry.is_empty() {
            return Err(bad(s, "the registry is empty"));
        }
        let repository = if (registry == DOCKER_HUB || registry == "index.docker.io")
            && !repository.contains('/')
        {
            format!("library/{repository}")
        } else {
            repository
        };
        if repository.is_empty() {
            return Err(bad(s, "the repository is empty"));
        }
        if let Some(c) = repository.split('/').find(|c| !valid_component(c)) {
            return Err(bad(
                s,
                format!(
                    "repository component `{c}` must be lowercase letters, digits and separators"
                ),
            ));
        }
        let registry = if registry == "index.docker.io" {
            DOCKER_HUB.to_owned()
        } else {
            registry
        };
        Ok(Reference {
            registry,
            repository,
            tag,
            digest,
        })
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Reference {
        s.parse().unwrap()
    }

    #[test]
    fn docker_hub_defaults() {
        let x = r("postgres:16");
        assert_eq!(x.registry(), "docker.io");
        assert_eq!(x.api_host(), "registry-1.docker.io");
        assert_eq!(x.repository(), "library/postgres");
        assert_eq!(x.tag(), Some("16"));
        assert_eq!(x.to_string(), "docker.io/library/postgres:16");
        assert_eq!(r("alpine").target(), "latest");
        assert_eq!(r("bitnami/redis").repository(), "bitnami/redis");
        assert_eq!(
            r("index.docker.io/alpine").to_string(),
            "docker.io/library/alpine"
        );
    }

    #[test]
    fn hosts_ports_and_digests() {
        let d = "sha256:".to_owned() + &"ab".repeat(32);
        let x = r(&format!("127.0.0.1:5000/team/app:v1@{d}"));
        assert_eq!(x.registry(), "127.0.0.1:5000");
        assert_eq!(x.repository(), "team/app");
        assert_eq!(x.tag(), Some("v1"));
        assert_eq!(x.target(), d);
        assert!(x.is_localhost());
        let y = r("localhost/db");
        assert_eq!(y.registry(), "localhost");
        assert!(y.is_localhost());
        let z = r("ghcr.io/aquasecurity/trivy-db:2");
        assert_eq!(z.api_host(), "ghcr.io");
        assert!(!z.is_localhost());
        assert_eq!(r("host:5000/x").tag(), None);
        assert!(r("[::1]:5000/x").is_localhost());
    }

    #[test]
    fn malformed_references_are_errors() {
        for s in [
            "",
            "UPPER/case",
            "a b",
            "repo:",
            "repo:-bad",
            "repo@sha256:short",
            "host:5000/",
            "x//y",
            "/x",
            "repo:tag:extra/x:",
        ] {
            let err = s.parse::<Reference>().unwrap_err();
            assert!(
                err.to_string().contains("not a valid image reference"),
                "{s}: {err}"
            );
        }
    }
}
