//! The one error type of this crate: every message names the socket or the image it is about;
//! causes are chained as `#[source]`, and [`DaemonError::hint`] says how to fix what the user can.

use std::path::PathBuf;

use atalaia_artifact::ArtifactError;
use atalaia_types::Digest;

/// What went wrong talking to a daemon or analysing what it sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DaemonError {
    /// `DOCKER_HOST` / `--docker-host` is not a unix socket address.
    #[error("Docker host `{value}` is not usable: {reason}")]
    BadHost {
        /// The value as given.
        value: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The socket file does not exist.
    #[error("Docker socket `{}` does not exist", socket.display())]
    SocketMissing {
        /// The socket path.
        socket: PathBuf,
    },
    /// The socket exists but this user may not connect to it.
    #[error("Permission denied connecting to the Docker socket `{}`", socket.display())]
    SocketDenied {
        /// The socket path.
        socket: PathBuf,
    },
    /// The socket file exists but no daemon accepts connections on it.
    #[error("No daemon is listening on the Docker socket `{}`", socket.display())]
    NotRunning {
        /// The socket path.
        socket: PathBuf,
    },
    /// Connecting, writing the request or reading the response failed.
    #[error("Failed to {action} on the Docker socket `{}`", socket.display())]
    Io {
        /// The socket path.
        socket: PathBuf,
        /// What was being done: ``connect``, ``send `GET /_ping` ``, ….
        action: String,
        /// The cause.
        #[source]
        err: std::io::Error,
    },
    /// The daemon did not answer within the timeout.
    #[error(
        "The daemon on `{}` did not answer `{request}` within {secs} s",
        socket.display()
    )]
    Timeout {
        /// The socket path.
        socket: PathBuf,
        /// The request (`GET /images/…/json`).
        request: String,
        /// The timeout, in seconds.
        secs: u64,
    },
    /// The response is not valid HTTP/1.1.
    #[error("Invalid HTTP response to `{request}` from `{}`: {problem}", socket.display())]
    BadResponse {
        /// The socket path.
        socket: PathBuf,
        /// The request.
        request: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The daemon answered with an error status.
    #[error(
        "The daemon on `{}` refused `{request}` with status {status}: {message}",
        socket.display()
    )]
    Api {
        /// The socket path.
        socket: PathBuf,
        /// The request.
        request: String,
        /// The HTTP status.
        status: u16,
        /// The daemon's `message` (or the start of its response body).
        message: String,
    },
    /// The daemon has no image by that name.
    #[error("No image `{name}` in the daemon on `{}`: {message}", socket.display())]
    NoSuchImage {
        /// The socket path.
        socket: PathBuf,
        /// The image name asked for.
        name: String,
        /// The daemon's message.
        message: String,
    },
    /// The daemon has no container by that ID or name.
    #[error("No container `{id}` in the daemon on `{}`: {message}", socket.display())]
    NoSuchContainer {
        /// The socket path.
        socket: PathBuf,
        /// The container asked for.
        id: String,
        /// The daemon's message.
        message: String,
    },
    /// A JSON response does not have the expected shape.
    #[error("Invalid JSON in the response to `{request}` from `{}`", socket.display())]
    BadJson {
        /// The socket path.
        socket: PathBuf,
        /// The request.
        request: String,
        /// The cause.
        #[source]
        err: serde_json::Error,
    },
    /// The daemon's API is older than this client supports.
    #[error(
        "The daemon on `{}` speaks Engine API {version}; at least {minimum} is needed",
        socket.display()
    )]
    UnsupportedApi {
        /// The socket path.
        socket: PathBuf,
        /// The daemon's API version.
        version: String,
        /// The oldest API version supported.
        minimum: &'static str,
    },
    /// The image name cannot be put in a request path.
    #[error("`{name}` is not a valid image or container name: {reason}")]
    BadName {
        /// The name as given.
        name: String,
        /// Why.
        reason: String,
    },
    /// The exported image stream is not a valid `docker save` archive.
    #[error("The export of `{image}` is not a valid image archive: {problem}")]
    BadArchive {
        /// The image.
        image: String,
        /// What is wrong.
        problem: String,
    },
    /// Reading the exported image stream failed.
    #[error("Failed to read the export of `{image}`")]
    Stream {
        /// The image.
        image: String,
        /// The cause.
        #[source]
        err: std::io::Error,
    },
    /// A JSON document of the export could not be parsed.
    #[error("Invalid JSON in `{file}` of the export of `{image}`")]
    ArchiveJson {
        /// The image.
        image: String,
        /// The member of the archive.
        file: String,
        /// The cause.
        #[source]
        err: serde_json::Error,
    },
    /// The image's manifest names a layer the export did not contain.
    #[error("The export of `{image}` lacks layer `{layer}` named by {named_by}")]
    MissingLayer {
        /// The image.
        image: String,
        /// The layer as the manifest names it (a member path or a digest).
        layer: String,
        /// The document naming it.
        named_by: String,
    },
    /// A blob's bytes do not hash to the digest it is known by.
    #[error(
        "{what} of `{image}` should be `{expected}` but the bytes received hash to `{actual}`"
    )]
    DigestMismatch {
        /// The image.
        image: String,
        /// What was checked (``The diff ID of layer 2``, ``Blob `blobs/sha256/…` ``).
        what: String,
        /// The digest expected.
        expected: Digest,
        /// The digest of the bytes received.
        actual: Digest,
    },
    /// A layer could not be analysed (bad tar, decompression error, a limit).
    #[error("Failed to analyse layer `{layer}` of `{image}`")]
    Layer {
        /// The image.
        image: String,
        /// The member of the archive holding the layer.
        layer: String,
        /// The cause.
        #[source]
        err: Box<ArtifactError>,
    },
    /// A safety limit on the export stream was exceeded.
    #[error("The export of `{image}` exceeds the limit of {limit}")]
    LimitExceeded {
        /// The image.
        image: String,
        /// The limit, in words (`4000000 archive members`).
        limit: String,
    },
}

impl DaemonError {
    /// Whether the image is simply not available from this daemon (no socket, no access, no
    /// daemon, no such image), so that `--image-src docker,containerd,podman,remote` goes on to
    /// the next source; any other error is a real failure to report.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            DaemonError::SocketMissing { .. }
                | DaemonError::SocketDenied { .. }
                | DaemonError::NotRunning { .. }
                | DaemonError::NoSuchImage { .. }
        )
    }

    /// How the user can fix the problem, when there is something to say (printed as `hint:`).
    pub fn hint(&self) -> Option<String> {
        match self {
            DaemonError::SocketMissing { .. } | DaemonError::NotRunning { .. } => Some(
                "Start the Docker daemon (`systemctl start docker`) or Podman's API service \
                 (`systemctl --user start podman.socket`), or point `--docker-host` / \
                 `DOCKER_HOST` at its socket (`unix:///run/user/1000/podman/podman.sock`)"
                    .to_owned(),
            ),
            DaemonError::SocketDenied { socket } => Some(format!(
                "Run as a member of the group owning `{}` (`sudo usermod -aG docker $USER`, then \
                 log in again), or use a rootless daemon's socket with `--docker-host`",
                socket.display()
            )),
            DaemonError::NoSuchImage { .. } => Some(
                "Pull the image first (`docker pull`), or scan it from its registry with \
                 `--image-src remote`"
                    .to_owned(),
            ),
            DaemonError::BadHost { .. } => Some(
                "Use `unix:///path/to/docker.sock` (TCP and SSH hosts are not supported)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}
