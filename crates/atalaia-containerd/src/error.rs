//! The one error type of this crate: every message names the socket, the namespace or the image
//! it is about; causes are chained as `#[source]`, and [`ContainerdError::hint`] says how to fix
//! what the user can.

use std::path::PathBuf;

/// What went wrong talking to containerd or reading an image from its content store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContainerdError {
    /// `CONTAINERD_ADDRESS` is not a unix socket address.
    #[error("containerd address `{value}` is not usable: {reason}")]
    BadAddress {
        /// The value as given.
        value: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The socket file does not exist.
    #[error("containerd socket `{}` does not exist", socket.display())]
    SocketMissing {
        /// The socket path.
        socket: PathBuf,
    },
    /// The socket exists but this user may not connect to it.
    #[error("Permission denied connecting to the containerd socket `{}`", socket.display())]
    SocketDenied {
        /// The socket path.
        socket: PathBuf,
    },
    /// The socket file exists but nothing accepts connections on it.
    #[error("No containerd is listening on the socket `{}`", socket.display())]
    NotRunning {
        /// The socket path.
        socket: PathBuf,
    },
    /// Connecting, the HTTP/2 handshake, or the HTTP/2 exchange of a call failed.
    #[error("Failed to {action} on the containerd socket `{}`", socket.display())]
    Transport {
        /// The socket path.
        socket: PathBuf,
        /// What was being done (``connect``, ``call `/containerd.services.images.v1.Images/Get` ``).
        action: String,
        /// The cause.
        #[source]
        err: Box<dyn std::error::Error + Send + Sync>,
    },
    /// containerd did not answer within the timeout.
    #[error("containerd on `{}` did not answer `{method}` within {secs} s", socket.display())]
    Timeout {
        /// The socket path.
        socket: PathBuf,
        /// The gRPC method.
        method: String,
        /// The timeout, in seconds.
        secs: u64,
    },
    /// containerd answered a call with a gRPC error status.
    #[error(
        "containerd on `{}` refused `{method}` with gRPC status {code} ({}): {message}",
        socket.display(), code_name(*code)
    )]
    Status {
        /// The socket path.
        socket: PathBuf,
        /// The gRPC method.
        method: String,
        /// The gRPC status code.
        code: u32,
        /// The status message.
        message: String,
    },
    /// The answer is not valid gRPC, or its message not valid protobuf of the expected type.
    #[error("Invalid answer to `{method}` from containerd on `{}`: {problem}", socket.display())]
    BadResponse {
        /// The socket path.
        socket: PathBuf,
        /// The gRPC method.
        method: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The name is not an image reference.
    #[error("`{name}` is not a valid image name: {reason}")]
    BadName {
        /// The name as given.
        name: String,
        /// Why.
        reason: String,
    },
    /// The namespace holds no image by that name.
    #[error(
        "No image `{name}` in namespace `{namespace}` of containerd on `{}` (looked for {})",
        socket.display(), quoted(tried)
    )]
    NoSuchImage {
        /// The socket path.
        socket: PathBuf,
        /// The namespace.
        namespace: String,
        /// The name as given.
        name: String,
        /// The names looked up.
        tried: Vec<String>,
    },
    /// The namespace does not exist (so holds no image at all).
    #[error(
        "containerd on `{}` has no namespace `{namespace}`, so no image `{name}` in it \
         (its namespaces: {})",
        socket.display(),
        if others.is_empty() { "none".to_owned() } else { quoted(others) }
    )]
    EmptyNamespace {
        /// The socket path.
        socket: PathBuf,
        /// The namespace.
        namespace: String,
        /// The name as given.
        name: String,
        /// The namespaces that exist.
        others: Vec<String>,
    },
    /// The platform does not parse.
    #[error(
        "invalid platform `{value}` (expected `os/arch` or `os/arch/variant`, e.g. `linux/amd64`)"
    )]
    BadPlatform {
        /// The value given.
        value: String,
    },
    /// The image is an index with no manifest for the platform.
    #[error("`{image}` has no manifest for platform `{platform}` (it has: {available})")]
    NoMatchingPlatform {
        /// The image.
        image: String,
        /// The platform asked for.
        platform: String,
        /// The platforms it has.
        available: String,
    },
    /// An index, manifest or config of the image says something impossible.
    #[error("`{what}` of `{image}` is invalid: {problem}")]
    BadDocument {
        /// The image.
        image: String,
        /// The document (`config sha256:…`, `manifest sha256:…`).
        what: String,
        /// What is wrong.
        problem: String,
    },
    /// An index, manifest, config or layer has a media type this reader does not handle.
    #[error("`{what}` of `{image}` has unsupported media type `{media_type}`")]
    UnsupportedMediaType {
        /// The image.
        image: String,
        /// The blob.
        what: String,
        /// Its media type.
        media_type: String,
    },
    /// The content store lacks a blob the image needs (e.g. a platform that was never pulled).
    #[error(
        "`{what}` `{digest}` of `{image}` is not in the content store of containerd on `{}`",
        socket.display()
    )]
    MissingContent {
        /// The socket path.
        socket: PathBuf,
        /// The image.
        image: String,
        /// What the blob is (`manifest`, `config`, `layer`).
        what: String,
        /// Its digest.
        digest: String,
    },
    /// A blob's bytes do not match its descriptor.
    #[error("{what} of `{image}` should be `{expected}` but the bytes read are `{actual}`")]
    Mismatch {
        /// The image.
        image: String,
        /// What was checked (``The digest of manifest `sha256:…` ``).
        what: String,
        /// What was expected.
        expected: String,
        /// What was read.
        actual: String,
    },
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of a gRPC status code.
pub(crate) fn code_name(code: u32) -> &'static str {
    match code {
        0 => "OK",
        1 => "CANCELLED",
        2 => "UNKNOWN",
        3 => "INVALID_ARGUMENT",
        4 => "DEADLINE_EXCEEDED",
        5 => "NOT_FOUND",
        6 => "ALREADY_EXISTS",
        7 => "PERMISSION_DENIED",
        8 => "RESOURCE_EXHAUSTED",
        9 => "FAILED_PRECONDITION",
        10 => "ABORTED",
        11 => "OUT_OF_RANGE",
        12 => "UNIMPLEMENTED",
        13 => "INTERNAL",
        14 => "UNAVAILABLE",
        15 => "DATA_LOSS",
        16 => "UNAUTHENTICATED",
        _ => "unknown code",
    }
}

/// gRPC `NOT_FOUND`.
pub(crate) const NOT_FOUND: u32 = 5;

impl ContainerdError {
    /// Whether the image is simply not available from this containerd (no socket, no access, no
    /// containerd, no such namespace or image), so that `--image-src docker,containerd,podman,remote`
    /// goes on to the next source; any other error is a real failure to report.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            ContainerdError::SocketMissing { .. }
                | ContainerdError::SocketDenied { .. }
                | ContainerdError::NotRunning { .. }
                | ContainerdError::NoSuchImage { .. }
                | ContainerdError::EmptyNamespace { .. }
        )
    }

    /// Whether a call failed with gRPC `NOT_FOUND`.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, ContainerdError::Status { code, .. } if *code == NOT_FOUND)
    }

    /// How the user can fix the problem, when there is something to say (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            ContainerdError::SocketMissing { .. } | ContainerdError::NotRunning { .. } => Some(
                "Start containerd (`systemctl start containerd`), or point `CONTAINERD_ADDRESS` \
                 at its socket"
                    .to_owned(),
            ),
            ContainerdError::SocketDenied { socket } => Some(format!(
                "containerd's socket `{}` is usually root's only: run the scan as root",
                socket.display()
            )),
            ContainerdError::NoSuchImage { namespace, .. } => Some(format!(
                "Pull the image into namespace `{namespace}` first (`ctr -n {namespace} images \
                 pull`), or choose the namespace that holds it with `CONTAINERD_NAMESPACE` \
                 (Docker uses `moby`, Kubernetes `k8s.io`)"
            )),
            ContainerdError::EmptyNamespace { others, .. } if !others.is_empty() => Some(format!(
                "Set `CONTAINERD_NAMESPACE` to the namespace holding the image ({})",
                quoted(others)
            )),
            ContainerdError::BadAddress { .. } => Some(
                "Use `unix:///path/to/containerd.sock` or a socket path (TCP is not supported)"
                    .to_owned(),
            ),
            ContainerdError::MissingContent { .. } => Some(
                "Pull the image again (`ctr images pull`, with `--all-platforms` for another \
                 platform); containerd may have garbage-collected the blob"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}
