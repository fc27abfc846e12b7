//! The one error type of the crate. Messages name the registry, repository or blob; causes are
//! kept as sources. No message ever contains a password or a token.

use std::path::PathBuf;

use atalaia_types::Digest;

/// What went wrong talking to a registry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The text is not an image reference.
    #[error("`{reference}` is not a valid image reference: {reason}")]
    BadReference {
        /// The text given.
        reference: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The registry refused the credentials (or asked for some and none were given).
    #[error("authentication failed for {registry}")]
    AuthFailed {
        /// The registry host.
        registry: String,
        /// What the registry said (its error message, never the credentials).
        detail: String,
    },
    /// The registry answered 403.
    #[error("access to `{repository}` on {registry} is denied")]
    Denied {
        /// The registry host.
        registry: String,
        /// The repository.
        repository: String,
    },
    /// The manifest or blob does not exist.
    #[error("{what} not found on {registry}")]
    NotFound {
        /// The registry host.
        registry: String,
        /// What was asked for (`manifest `repo:tag``, `blob `sha256:…``).
        what: String,
    },
    /// Any other unexpected HTTP status.
    #[error("{registry} answered HTTP {status} to {method} {path}{}", fmt_detail(.detail))]
    Status {
        /// The registry host.
        registry: String,
        /// The HTTP method.
        method: &'static str,
        /// The URL path (no query: upload URLs can carry state, never secrets, but stay short).
        path: String,
        /// The status code.
        status: u16,
        /// The registry's error message, when it sent one.
        detail: String,
    },
    /// The registry could not be reached (DNS, TCP, TLS).
    #[error("cannot reach registry {registry}")]
    Transport {
        /// The registry host.
        registry: String,
        /// The transport error.
        #[source]
        source: Box<ureq::Transport>,
    },
    /// Reading or writing a body failed.
    #[error("I/O error while {action} on {registry}")]
    Io {
        /// The registry host.
        registry: String,
        /// What was being done (`downloading blob sha256:…`).
        action: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A blob or manifest did not hash to its digest.
    #[error("{what} from {registry} does not match its digest: expected {expected}, got {actual}")]
    DigestMismatch {
        /// The registry host.
        registry: String,
        /// `blob sha256:…` or `manifest repo:tag`.
        what: String,
        /// The digest asked for.
        expected: Digest,
        /// The digest of the bytes received.
        actual: Digest,
    },
    /// A blob had another size than its descriptor said.
    #[error("blob {digest} from {registry} has {actual} bytes, its descriptor says {expected}")]
    SizeMismatch {
        /// The registry host.
        registry: String,
        /// The blob.
        digest: Digest,
        /// The size in the descriptor.
        expected: u64,
        /// The bytes received (at least).
        actual: u64,
    },
    /// A manifest, index or token answer is not what the specification says.
    #[error("invalid {what} from {registry}: {reason}")]
    BadResponse {
        /// The registry (or token server) host.
        registry: String,
        /// What was being parsed.
        what: String,
        /// What is wrong.
        reason: String,
    },
    /// No manifest of an index matches the platform asked for.
    #[error("`{reference}` has no image for platform {platform} (it has: {available})")]
    NoMatchingPlatform {
        /// The reference.
        reference: String,
        /// The platform asked for.
        platform: String,
        /// The platforms in the index.
        available: String,
    },
    /// A CA certificate file could not be read or holds no certificate.
    #[error("cannot use CA certificate file `{path}`: {reason}")]
    BadCaFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The Docker config file could not be read or parsed.
    #[error("cannot read Docker config `{path}`: {reason}")]
    BadDockerConfig {
        /// The file.
        path: PathBuf,
        /// What is wrong (never the credentials).
        reason: String,
    },
    /// A Docker credential helper failed (it was missing, crashed or answered nonsense).
    #[error("credential helper `{helper}` gave no credentials for {registry}: {reason}")]
    CredentialHelper {
        /// The helper program (`docker-credential-desktop`).
        helper: String,
        /// The server URL it was asked about.
        registry: String,
        /// What went wrong (never a secret).
        reason: String,
    },
    /// Plain HTTP was asked for a registry that is not local and not marked insecure.
    #[error(
        "refusing plain HTTP to {registry}: use HTTPS, or `--insecure` for a local test registry"
    )]
    InsecureRefused {
        /// The registry host.
        registry: String,
    },
    /// Writing to the caller's sink failed.
    #[error("cannot write blob {digest}")]
    Sink {
        /// The blob.
        digest: Digest,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn fmt_detail(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

impl RegistryError {
    /// Whether the error is about credentials (a caller may map it to its own exit code).
    pub fn is_auth(&self) -> bool {
        matches!(self, RegistryError::AuthFailed { .. })
    }

    /// Recovers a [`RegistryError`] carried inside an [`std::io::Error`] (as [`BlobReader`]
    /// returns them from `read`); any other error comes back unchanged.
    ///
    /// [`BlobReader`]: crate::BlobReader
    pub fn from_io(err: std::io::Error) -> Result<RegistryError, std::io::Error> {
        if err.get_ref().is_some_and(|e| e.is::<RegistryError>()) {
            match err.into_inner().map(|e| e.downcast::<RegistryError>()) {
                Some(Ok(e)) => Ok(*e),
                Some(Err(e)) => Err(std::io::Error::other(e)),
                None => Err(std::io::Error::other("error without payload")),
            }
        } else {
            Err(err)
        }
    }

    /// Whether retrying later may help (the registry was unreachable, or it answered 429/5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            RegistryError::Transport { .. } | RegistryError::Io { .. } => true,
            RegistryError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
