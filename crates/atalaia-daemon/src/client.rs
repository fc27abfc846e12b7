//! The Engine API calls atalaia makes, each on its own connection to the socket.

use std::fmt::Write as _;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::http::{self, Body, BodyReader, Request, Response};
use crate::models::{ContainerInspect, ContainerSummary, ImageInspect, PingInfo, VersionInfo};
use crate::{resolve_docker_host, DaemonError};

/// The newest Engine API version this client asks for (Docker 26). A daemon speaking an older
/// one is addressed in its own version.
pub const MAX_API_VERSION: &str = "1.45";
/// The oldest Engine API version this client accepts (Docker 1.13).
pub const MIN_API_VERSION: &str = "1.25";
/// Default timeout for one read or write on the socket (an export may be slow to start: the
/// daemon prepares it first).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// Largest JSON response accepted.
const MAX_JSON_BYTES: u64 = 64 << 20;
/// Largest error body kept for a message.
const MAX_ERROR_BYTES: u64 = 64 << 10;

/// A client of one Docker (or Podman) daemon socket.
#[derive(Debug, Clone)]
pub struct DockerClient {
    socket: PathBuf,
    timeout: Duration,
    /// The negotiated API version; `None` before negotiation (unversioned paths).
    api_version: Option<String>,
}

fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.trim().split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Percent-encodes a name for a path segment, keeping what Docker's router accepts as is
/// (`/`, `:` and `@` included: `/images/{name:.*}/get`).
fn encode_name(name: &str) -> Result<String, DaemonError> {
    let bad = |reason: &str| DaemonError::BadName {
        name: name.to_owned(),
        reason: reason.to_owned(),
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    if name.len() > 4096 {
        return Err(bad("it is longer than 4096 bytes"));
    }
    if name.chars().any(char::is_control) {
        return Err(bad("it holds control characters"));
    }
    if name.split('/').any(|s| s == ".." || s == ".") {
        return Err(bad("it holds `.` or `..` path segments"));
    }
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@+".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Ok(out)
}

/// The image export stream of [`DockerClient::export_image`]: the `docker save` tarball as it
/// arrives. A failure of the connection is remembered so that a layer that could not be read
/// is reported as the transport failure it really is.
pub struct ExportStream {
    body: BodyReader,
    failure: Arc<Mutex<Option<String>>>,
    bytes: u64,
}

impl ExportStream {
    /// Bytes received so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// A handle to the first transport error, if one happened (its message).
    pub(crate) fn failure_handle(&self) -> Arc<Mutex<Option<String>>> {
        Arc::clone(&self.failure)
    }
}

impl std::fmt::Debug for ExportStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportStream")
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

impl Read for ExportStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.body.read(buf) {
            Ok(n) => {
                self.bytes += n as u64;
                Ok(n)
            }
            Err(e) => {
                if let Ok(mut f) = self.failure.lock() {
                    if f.is_none() {
                        *f = Some(e.to_string());
                    }
                }
                Err(e)
            }
        }
    }
}

impl DockerClient {
    /// A client of `socket`, not yet negotiated (requests use unversioned paths, which the
    /// daemon serves in its newest version). Nothing is connected until a request is made.
    pub fn new(socket: impl Into<PathBuf>) -> DockerClient {
        DockerClient {
            socket: socket.into(),
            timeout: DEFAULT_TIMEOUT,
            api_version: None,
        }
    }

    /// A client of the socket named by `docker_host` (`--docker-host`), else the
    /// `DOCKER_HOST` environment variable, else `/var/run/docker.sock`.
    pub fn from_host(docker_host: Option<&str>) -> Result<DockerClient, DaemonError> {
        let env = std::env::var(crate::DOCKER_HOST_ENV).ok();
        Ok(DockerClient::new(resolve_docker_host(
            docker_host,
            env.as_deref(),
        )?))
    }

    /// Connects to `socket`, checks the daemon answers `/_ping`, and negotiates the API version.
    pub fn connect(socket: impl Into<PathBuf>) -> Result<DockerClient, DaemonError> {
        let mut c = DockerClient::new(socket);
        c.negotiate()?;
        Ok(c)
    }

    /// Sets the timeout of each read and write on the socket (default [`DEFAULT_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> DockerClient {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// The socket path.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The negotiated API version, once [`DockerClient::negotiate`] ran.
    pub fn api_version(&self) -> Option<&str> {
        self.api_version.as_deref()
    }

    /// Pings the daemon and settles on the API version: the daemon's (from the `/_ping`
    /// headers, else `/version`), capped at [`MAX_API_VERSION`]. A daemon older than
    /// [`MIN_API_VERSION`] is an error.
    pub fn negotiate(&mut self) -> Result<PingInfo, DaemonError> {
        self.api_version = None;
        let ping = self.ping()?;
        let daemon = match &ping.api_version {
            Some(v) => v.clone(),
            None => self.version()?.api_version,
        };
        let unsupported = || DaemonError::UnsupportedApi {
            socket: self.socket.clone(),
            version: daemon.clone(),
            minimum: MIN_API_VERSION,
        };
        let theirs = parse_version(&daemon).ok_or_else(unsupported)?;
        let min = parse_version(MIN_API_VERSION).unwrap_or((1, 25));
        let max = parse_version(MAX_API_VERSION).unwrap_or((1, 45));
        if theirs < min {
            return Err(unsupported());
        }
        let chosen = theirs.min(max);
        self.api_version = Some(format!("{}.{}", chosen.0, chosen.1));
        tracing::debug!(
            socket = %self.socket.display(),
            api = self.api_version.as_deref().unwrap_or(""),
            server = ping.server.as_deref().unwrap_or(""),
            "negotiated the Engine API version"
        );
        Ok(ping)
    }

    fn target(&self, path: &str) -> String {
        match &self.api_version {
            Some(v) => format!("/v{v}{path}"),
            None => path.to_owned(),
        }
    }

    fn send(
        &self,
        method: &'static str,
        path: &str,
        body: Body<'_>,
    ) -> Result<(String, Response), DaemonError> {
        let stream = http::connect(&self.socket, self.timeout)?;
        let req = Request {
            method,
            target: self.target(path),
            body,
        };
        let described = req.describe();
        let resp = http::exchange(stream, req, &self.socket, self.timeout)?;
        Ok((described, resp))
    }

    /// Turns an error status into an error carrying the daemon's `message`.
    fn status_error(&self, request: &str, mut resp: Response) -> DaemonError {
        let body = resp.body.read_limited(MAX_ERROR_BYTES).unwrap_or_default();
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
            .unwrap_or_else(|| {
                let text = String::from_utf8_lossy(&body);
                let text = text.trim();
                if text.is_empty() {
                    "(no message)".to_owned()
                } else {
                    text.chars().take(500).collect()
                }
            });
        DaemonError::Api {
            socket: self.socket.clone(),
            request: request.to_owned(),
            status: resp.status,
            message,
        }
    }

    /// Sends a request and returns the response if its status is 2xx.
    fn ok(
        &self,
        method: &'static str,
        path: &str,
        body: Body<'_>,
    ) -> Result<(String, Response), DaemonError> {
        let (request, resp) = self.send(method, path, body)?;
        if (200..300).contains(&resp.status) {
            Ok((request, resp))
        } else {
            Err(self.status_error(&request, resp))
        }
    }

    fn read_json<T: DeserializeOwned>(
        &self,
        request: &str,
        mut resp: Response,
    ) -> Result<T, DaemonError> {
        let bytes = resp
            .body
            .read_limited(MAX_JSON_BYTES)
            .map_err(|err| self.body_error(request, err))?;
        serde_json::from_slice(&bytes).map_err(|err| DaemonError::BadJson {
            socket: self.socket.clone(),
            request: request.to_owned(),
            err,
        })
    }

    fn body_error(&self, request: &str, err: io::Error) -> DaemonError {
        if err.kind() == io::ErrorKind::TimedOut {
            DaemonError::Timeout {
                socket: self.socket.clone(),
                request: request.to_owned(),
                secs: self.timeout.as_secs(),
            }
        } else {
            DaemonError::Io {
                socket: self.socket.clone(),
                action: format!("read the response to `{request}`"),
                err,
            }
        }
    }

    fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, DaemonError> {
        let (request, resp) = self.ok("GET", path, Body::None)?;
        self.read_json(&request, resp)
    }

    /// `GET /_ping`: whether the daemon answers, and its API version.
    pub fn ping(&self) -> Result<PingInfo, DaemonError> {
        let (request, mut resp) = self.ok("GET", "/_ping", Body::None)?;
        let header = |n: &str| resp.header(n).map(str::to_owned);
        let info = PingInfo {
            api_version: header("api-version"),
            os_type: header("ostype"),
            server: header("server"),
            libpod_api_version: header("libpod-api-version"),
        };
        resp.body
            .read_limited(MAX_ERROR_BYTES)
            .map_err(|err| self.body_error(&request, err))?;
        Ok(info)
    }

    /// `GET /version`.
    pub fn version(&self) -> Result<VersionInfo, DaemonError> {
        self.get_json("/version")
    }

    /// `GET /images/{name}/json`. A 404 is [`DaemonError::NoSuchImage`].
    pub fn inspect_image(&self, name: &str) -> Result<ImageInspect, DaemonError> {
        let path = format!("/images/{}/json", encode_name(name)?);
        match self.get_json(&path) {
            Err(DaemonError::Api {
                status: 404,
                message,
                ..
            }) => Err(DaemonError::NoSuchImage {
                socket: self.socket.clone(),
                name: name.to_owned(),
                message,
            }),
            other => other,
        }
    }

    /// `GET /images/{name}/get`: the image as a `docker save` tarball, streamed.
    pub fn export_image(&self, name: &str) -> Result<ExportStream, DaemonError> {
        let path = format!("/images/{}/get", encode_name(name)?);
        match self.ok("GET", &path, Body::None) {
            Ok((_, resp)) => Ok(ExportStream {
                body: resp.body,
                failure: Arc::default(),
                bytes: 0,
            }),
            Err(DaemonError::Api {
                status: 404,
                message,
                ..
            }) => Err(DaemonError::NoSuchImage {
                socket: self.socket.clone(),
                name: name.to_owned(),
                message,
            }),
            Err(e) => Err(e),
        }
    }

    /// `GET /containers/json`: running containers, or all of them with `all`.
    pub fn list_containers(&self, all: bool) -> Result<Vec<ContainerSummary>, DaemonError> {
        self.get_json(&format!("/containers/json?all={all}"))
    }

    /// `GET /containers/{id}/json`. A 404 is [`DaemonError::NoSuchContainer`].
    pub fn inspect_container(&self, id: &str) -> Result<ContainerInspect, DaemonError> {
        let path = format!("/containers/{}/json", encode_name(id)?);
        match self.get_json(&path) {
            Err(DaemonError::Api {
                status: 404,
                message,
                ..
            }) => Err(DaemonError::NoSuchContainer {
                socket: self.socket.clone(),
                id: id.to_owned(),
                message,
            }),
            other => other,
        }
    }

    /// `POST /images/load`: loads a `docker save` tarball of `len` bytes read from `tarball`.
    /// Returns the images the daemon reports loaded (`Loaded image: …` lines, without the
    /// prefix). An error the daemon reports in its progress stream is an error here.
    pub fn load_image(&self, tarball: &mut dyn Read, len: u64) -> Result<Vec<String>, DaemonError> {
        let body = Body::Reader {
            content_type: "application/x-tar",
            reader: tarball,
            len,
        };
        let (request, mut resp) = self.ok("POST", "/images/load?quiet=1", body)?;
        let bytes = resp
            .body
            .read_limited(MAX_JSON_BYTES)
            .map_err(|err| self.body_error(&request, err))?;
        let mut loaded = Vec::new();
        let stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<serde_json::Value>();
        for msg in stream {
            let msg = msg.map_err(|err| DaemonError::BadJson {
                socket: self.socket.clone(),
                request: request.clone(),
                err,
            })?;
            if let Some(e) = msg.get("error").and_then(|e| e.as_str()) {
                return Err(DaemonError::Api {
                    socket: self.socket.clone(),
                    request,
                    status: resp.status,
                    message: e.to_owned(),
                });
            }
            if let Some(s) = msg.get("stream").and_then(|s| s.as_str()) {
                for line in s.lines() {
                    for prefix in ["Loaded image: ", "Loaded image ID: ", "Loaded image(s): "] {
                        if let Some(name) = line.strip_prefix(prefix) {
                            loaded.extend(name.split(',').map(|n| n.trim().to_owned()));
                        }
                    }
                }
            }
        }
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixListener;

    #[test]
    fn names_are_encoded() {
        assert_eq!(
            encode_name("docker.io/library/alpine:3.20@sha256:ab").unwrap(),
            "docker.io/library/alpine:3.20@sha256:ab"
        );
        assert_eq!(encode_name("a b?c#d").unwrap(), "a%20b%3Fc%23d");
        for bad in ["", "a\nb", "../../containers/x", "a/./b"] {
            assert!(matches!(encode_name(bad), Err(DaemonError::BadName { .. })));
        }
    }

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("1.41"), Some((1, 41)));
        assert!(parse_version("1.41") > parse_version("1.9"));
        assert_eq!(parse_version("4.3.1"), None);
        assert_eq!(parse_version("x"), None);
    }

    /// A one-shot fake daemon on a temporary socket: answers each connection with the next
    /// canned response and records the request lines.
    fn fake_daemon(
        responses: Vec<Vec<u8>>,
    ) -> (
        tempfile::TempDir,
        PathBuf,
        std::thread::JoinHandle<Vec<String>>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("d.sock");
        let listener = UnixListener::bind(&sock).unwrap();
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for resp in responses {
                let (mut conn, _) = listener.accept().unwrap();
                let mut r = BufReader::new(conn.try_clone().unwrap());
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                seen.push(line.trim_end().to_owned());
                loop {
                    let mut h = String::new();
                    r.read_line(&mut h).unwrap();
                    if h == "\r\n" || h.is_empty() {
                        break;
                    }
                }
                conn.write_all(&resp).unwrap();
            }
            seen
        });
        (dir, sock, handle)
    }

    fn response(status: u16, body: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    #[test]
    fn negotiation_caps_the_version_and_errors_carry_the_message() {
        let (_dir, sock, handle) = fake_daemon(vec![
            b"HTTP/1.1 200 OK\r\nApi-Version: 1.99\r\nContent-Length: 2\r\n\r\nOK".to_vec(),
            response(404, r#"{"message":"No such image: nope:1 (not found)"}"#),
            response(500, "oops!"),
        ]);
        let client = DockerClient::connect(&sock).unwrap();
        assert_eq!(client.api_version(), Some(MAX_API_VERSION));
        let err = client.inspect_image("nope:1").unwrap_err();
        assert!(matches!(err, DaemonError::NoSuchImage { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("nope:1") && text.contains("No such image"),
            "{text}"
        );
        assert!(text.contains(&sock.display().to_string()), "{text}");
        assert!(err.hint().is_some());
        let err = client.list_containers(true).unwrap_err();
        assert!(
            matches!(&err, DaemonError::Api { status: 500, message, .. } if message == "oops!"),
            "{err:?}"
        );
        let seen = handle.join().unwrap();
        assert_eq!(
            seen,
            vec![
                "GET /_ping HTTP/1.1",
                "GET /v1.45/images/nope:1/json HTTP/1.1",
                "GET /v1.45/containers/json?all=true HTTP/1.1",
            ]
        );
    }

    #[test]
    fn old_daemons_are_refused() {
        let (_dir, sock, handle) = fake_daemon(vec![
            b"HTTP/1.1 200 OK\r\nApi-Version: 1.12\r\nContent-Length: 2\r\n\r\nOK".to_vec(),
        ]);
        let err = DockerClient::connect(&sock).unwrap_err();
        assert!(matches!(err, DaemonError::UnsupportedApi { .. }), "{err}");
        handle.join().unwrap();
    }

    #[test]
    fn bad_json_is_an_error() {
        let (_dir, sock, handle) = fake_daemon(vec![
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"Id\": [}".to_vec(),
        ]);
        let err = DockerClient::new(&sock)
            .inspect_container("c1")
            .unwrap_err();
        assert!(matches!(err, DaemonError::BadJson { .. }), "{err}");
        handle.join().unwrap();
    }

    #[test]
    fn silent_daemons_time_out() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("d.sock");
        let listener = UnixListener::bind(&sock).unwrap();
        let handle = std::thread::spawn(move || {
            let (conn, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_millis(800));
            drop(conn);
        });
        let err = DockerClient::new(&sock)
            .with_timeout(Duration::from_millis(200))
            .ping()
            .unwrap_err();
        assert!(matches!(err, DaemonError::Timeout { .. }), "{err:?}");
        handle.join().unwrap();
    }

    #[test]
    fn missing_and_dead_sockets_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.sock");
        let err = DockerClient::connect(&missing).unwrap_err();
        assert!(matches!(err, DaemonError::SocketMissing { .. }), "{err}");
        assert!(err.to_string().contains("does not exist"));
        assert!(err.hint().unwrap().contains("DOCKER_HOST"));
        assert!(err.is_unavailable());
        // A socket file nobody listens on.
        let dead = dir.path().join("dead.sock");
        drop(UnixListener::bind(&dead).unwrap());
        let err = DockerClient::connect(&dead).unwrap_err();
        assert!(matches!(err, DaemonError::NotRunning { .. }), "{err}");
    }
}
