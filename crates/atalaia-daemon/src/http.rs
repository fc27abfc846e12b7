//! A small HTTP/1.1 client for one request per connection over a unix socket: what the Engine
//! API needs and nothing more. The request is written with `Connection: close`; the response's
//! status line and headers are read under size limits; its body is framed by chunked transfer
//! coding, `Content-Length`, or the end of the connection, and read as a stream. Every read and
//! write is bounded by the client's timeout (a silent daemon is an error, not a hang).
//!
//! Hand-written rather than hyper: the Engine API over a local socket needs no pooling, TLS,
//! HTTP/2 or async runtime, and the analysis pipeline is synchronous; this keeps the daemon path
//! free of tokio and its compile time.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use crate::DaemonError;

/// Bytes of status line plus headers accepted.
const MAX_HEAD_BYTES: usize = 64 << 10;
/// Header lines accepted.
const MAX_HEADERS: usize = 128;
/// Bytes of one chunk-size or trailer line.
const MAX_CHUNK_LINE: usize = 4096;
/// Interim (1xx) responses skipped before the real one.
const MAX_INTERIM: usize = 8;
/// Buffer between the socket and the body reader.
const BUF_BYTES: usize = 256 << 10;

/// A request body.
pub(crate) enum Body<'a> {
    /// No body.
    None,
    /// A body streamed from a reader, with its length.
    Reader {
        /// `Content-Type`.
        content_type: &'a str,
        /// The bytes.
        reader: &'a mut dyn Read,
        /// `Content-Length`.
        len: u64,
    },
}

/// What the request is, for the socket and for messages.
pub(crate) struct Request<'a> {
    /// `GET`, `POST`, `HEAD`.
    pub(crate) method: &'static str,
    /// The path and query, already percent-encoded.
    pub(crate) target: String,
    /// The body.
    pub(crate) body: Body<'a>,
}

impl Request<'_> {
    /// `GET /path` for messages.
    pub(crate) fn describe(&self) -> String {
        format!("{} {}", self.method, self.target)
    }
}

/// A response whose body has not been read yet.
pub(crate) struct Response {
    /// The HTTP status.
    pub(crate) status: u16,
    /// Header names (lower-cased) and values.
    pub(crate) headers: Vec<(String, String)>,
    /// The body.
    pub(crate) body: BodyReader,
}

impl Response {
    /// The first header named `name` (lower-case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Connects to `socket`, turning the usual failures into errors that say what to do.
pub(crate) fn connect(socket: &Path, timeout: Duration) -> Result<UnixStream, DaemonError> {
    let stream = UnixStream::connect(socket).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => DaemonError::SocketMissing {
            socket: socket.to_owned(),
        },
        io::ErrorKind::PermissionDenied => DaemonError::SocketDenied {
            socket: socket.to_owned(),
        },
        io::ErrorKind::ConnectionRefused => DaemonError::NotRunning {
            socket: socket.to_owned(),
        },
        _ => DaemonError::Io {
            socket: socket.to_owned(),
            action: "connect".to_owned(),
            err,
        },
    })?;
    let set = |r: io::Result<()>| {
        r.map_err(|err| DaemonError::Io {
            socket: socket.to_owned(),
            action: "set timeouts".to_owned(),
            err,
        })
    };
    set(stream.set_read_timeout(Some(timeout)))?;
    set(stream.set_write_timeout(Some(timeout)))?;
    Ok(stream)
}

fn is_timeout(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Sends `req` on `stream` and reads the response head. The body is left to the caller.
pub(crate) fn exchange<S: Read + Write + Send + 'static>(
    mut stream: S,
    req: Request<'_>,
    socket: &Path,
    timeout: Duration,
) -> Result<Response, DaemonError> {
    let request = req.describe();
    let io_err = |action: &str, err: io::Error| {
        if is_timeout(&err) {
            DaemonError::Timeout {
                socket: socket.to_owned(),
                request: request.clone(),
                secs: timeout.as_secs(),
            }
        } else {
            DaemonError::Io {
                socket: socket.to_owned(),
                action: format!("{action} `{request}`"),
                err,
            }
        }
    };
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: docker\r\nUser-Agent: atalaia/{}\r\nAccept: */*\r\nConnection: close\r\n",
        req.method,
        req.target,
        env!("CARGO_PKG_VERSION")
    );
    let body = match req.body {
        Body::None => None,
        Body::Reader {
            content_type,
            reader,
            len,
        } => {
            head.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {len}\r\n"
            ));
            Some((reader, len))
        }
    };
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .map_err(|e| io_err("send", e))?;
    if let Some((reader, len)) = body {
        let sent = io::copy(&mut reader.take(len), &mut stream).map_err(|e| io_err("send", e))?;
        if sent != len {
            return Err(io_err(
                "send",
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("the request body ended after {sent} of {len} bytes"),
                ),
            ));
        }
    }
    stream.flush().map_err(|e| io_err("send", e))?;

    let mut reader = BufReader::with_capacity(BUF_BYTES, Box::new(stream) as Box<dyn ReadSend>);
    let bad = |problem: String| DaemonError::BadResponse {
        socket: socket.to_owned(),
        request: request.clone(),
        problem,
    };
    for _ in 0..=MAX_INTERIM {
        let (status, headers) = read_head(&mut reader).map_err(|e| match e {
            HeadError::Io(err) => io_err("read the response to", err),
            HeadError::Bad(problem) => bad(problem),
        })?;
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        fn values<'h>(
            headers: &'h [(String, String)],
            name: &'static str,
        ) -> impl Iterator<Item = &'h str> {
            headers
                .iter()
                .filter(move |(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
        let header = |name: &'static str| values(&headers, name);
        let no_body =
            req.method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status);
        let chunked = header("transfer-encoding")
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .last()
            .is_some_and(|t| t.eq_ignore_ascii_case("chunked"));
        let framing = if no_body {
            Framing::Empty
        } else if chunked {
            Framing::Chunked(ChunkState::Size)
        } else if header("transfer-encoding").next().is_some() {
            Framing::UntilClose
        } else {
            let mut lengths = header("content-length").flat_map(|v| v.split(','));
            match lengths.next() {
                None => Framing::UntilClose,
                Some(first) => {
                    let n: u64 = first
                        .trim()
                        .parse()
                        .map_err(|_| bad(format!("`Content-Length: {first}` is not a number")))?;
                    if lengths.any(|other| other.trim() != first.trim()) {
                        return Err(bad("it has conflicting `Content-Length` headers".to_owned()));
                    }
                    Framing::Length { left: n, total: n }
                }
            }
        };
        return Ok(Response {
            status,
            headers,
            body: BodyReader {
                inner: reader,
                framing,
                timeout,
            },
        });
    }
    Err(bad(format!(
        "more than {MAX_INTERIM} interim (1xx) responses"
    )))
}

/// `Read + Send`, as a trait object.
pub(crate) trait ReadSend: Read + Send {}
impl<T: Read + Send> ReadSend for T {}

enum HeadError {
    Io(io::Error),
    Bad(String),
}

/// Reads a line ending in `\n` (the `\r` before it, if any, removed), at most `limit` bytes.
/// `Ok(None)` at the end of the stream before any byte.
fn read_line(r: &mut impl BufRead, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if line.is_empty() {
                return Ok(None);
            }
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed in the middle of a line",
            ));
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a line longer than {limit} bytes"),
            ));
        }
        line.extend_from_slice(&buf[..take]);
        r.consume(take);
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

type Head = (u16, Vec<(String, String)>);

fn read_head(r: &mut impl BufRead) -> Result<Head, HeadError> {
    let mut budget = MAX_HEAD_BYTES;
    let mut next = |r: &mut dyn BufRead| -> Result<Vec<u8>, HeadError> {
        let mut r = r;
        match read_line(&mut r, budget) {
            Ok(Some(l)) => {
                budget = budget.saturating_sub(l.len() + 2);
                Ok(l)
            }
            Ok(None) => Err(HeadError::Bad(
                "the daemon closed the connection without answering".to_owned(),
            )),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(HeadError::Bad(
                "the daemon closed the connection in the middle of a line of the response head"
                    .to_owned(),
            )),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => Err(HeadError::Bad(format!(
                "its status line and headers are longer than {MAX_HEAD_BYTES} bytes"
            ))),
            Err(e) => Err(HeadError::Io(e)),
        }
    };
    let status_line = next(r)?;
    let status_line = String::from_utf8_lossy(&status_line).into_owned();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !(version == "HTTP/1.1" || version == "HTTP/1.0") {
        return Err(HeadError::Bad(format!(
            "`{}` is not an HTTP/1.x status line",
            truncate(&status_line, 80)
        )));
    }
    let status = parts
        .next()
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| (100..600).contains(c))
        .ok_or_else(|| {
            HeadError::Bad(format!(
                "`{}` has no valid status code",
                truncate(&status_line, 80)
            ))
        })?;
    let mut headers = Vec::new();
    loop {
        let line = next(r)?;
        if line.is_empty() {
            break;
        }
        if headers.len() >= MAX_HEADERS {
            return Err(HeadError::Bad(format!(
                "it has more than {MAX_HEADERS} headers"
            )));
        }
        let line = String::from_utf8_lossy(&line);
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Bad(format!(
                "header line `{}` has no `:`",
                truncate(&line, 80)
            )));
        };
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(HeadError::Bad(format!(
                "`{}` is not a valid header name",
                truncate(name, 80)
            )));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok((status, headers))
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

enum Framing {
    Empty,
    Length { left: u64, total: u64 },
    Chunked(ChunkState),
    UntilClose,
}

#[derive(Clone, Copy)]
enum ChunkState {
    /// Expecting a chunk-size line.
    Size,
    /// Inside a chunk, this many bytes left.
    Data(u64),
    /// Expecting the CRLF after a chunk's data.
    DataEnd,
    /// After the last chunk; reading trailers.
    Trailers,
    /// The body is over.
    Done,
}

/// A response body, decoded from its framing. Errors are `io::Error`s whose message says what
/// went wrong with the framing or the connection.
pub(crate) struct BodyReader {
    inner: BufReader<Box<dyn ReadSend>>,
    framing: Framing,
    timeout: Duration,
}

impl BodyReader {
    fn inner_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(e) if is_timeout(&e) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the daemon sent nothing for {} s",
                    self.timeout.as_secs_f64().round()
                ),
            )),
            other => other,
        }
    }

    fn line(&mut self) -> io::Result<Vec<u8>> {
        match read_line(&mut self.inner, MAX_CHUNK_LINE) {
            Ok(Some(l)) => Ok(l),
            Ok(None) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed in the middle of a chunked body",
            )),
            Err(e) if is_timeout(&e) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the daemon sent nothing for {} s",
                    self.timeout.as_secs_f64().round()
                ),
            )),
            Err(e) => Err(e),
        }
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    pub(crate) fn read_limited(&mut self, limit: u64) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        (&mut *self).take(limit + 1).read_to_end(&mut out)?;
        if out.len() as u64 > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the response body is larger than {limit} bytes"),
            ));
        }
        Ok(out)
    }
}

fn bad_data(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match &mut self.framing {
                Framing::Empty => return Ok(0),
                Framing::UntilClose => return self.inner_read(buf),
                Framing::Length { left, total } => {
                    if *left == 0 {
                        return Ok(0);
                    }
                    let (l, t) = (*left, *total);
                    let want = buf.len().min(usize::try_from(l).unwrap_or(usize::MAX));
                    let n = self.inner_read(&mut buf[..want])?;
                    if n == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            format!("the body ended after {} of {t} bytes", t - l),
                        ));
                    }
                    if let Framing::Length { left, .. } = &mut self.framing {
                        *left -= n as u64;
                    }
                    return Ok(n);
                }
                Framing::Chunked(state) => match *state {
                    ChunkState::Done => return Ok(0),
                    ChunkState::Size => {
                        let line = self.line()?;
                        let text = String::from_utf8_lossy(&line);
                        let hex = text.split(';').next().unwrap_or("").trim();
                        if hex.is_empty()
                            || hex.len() > 16
                            || !hex.bytes().all(|b| b.is_ascii_hexdigit())
                        {
                            return Err(bad_data(format!(
                                "`{}` is not a chunk size",
                                truncate(&text, 40)
                            )));
                        }
                        let size = u64::from_str_radix(hex, 16).map_err(|_| {
                            bad_data(format!("`{}` is not a chunk size", truncate(&text, 40)))
                        })?;
                        self.framing = Framing::Chunked(if size == 0 {
                            ChunkState::Trailers
                        } else {
                            ChunkState::Data(size)
                        });
                    }
                    ChunkState::Data(left) => {
                        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                        let n = self.inner_read(&mut buf[..want])?;
                        if n == 0 {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "the connection closed in the middle of a chunk",
                            ));
                        }
                        let left = left - n as u64;
                        self.framing = Framing::Chunked(if left == 0 {
                            ChunkState::DataEnd
                        } else {
                            ChunkState::Data(left)
                        });
                        return Ok(n);
                    }
                    ChunkState::DataEnd => {
                        if !self.line()?.is_empty() {
                            return Err(bad_data(
                                "a chunk is longer than its size says".to_owned(),
                            ));
                        }
                        self.framing = Framing::Chunked(ChunkState::Size);
                    }
                    ChunkState::Trailers => {
                        // Trailer fields are read and ignored, up to the empty line.
                        let mut count = 0;
                        while !self.line()?.is_empty() {
                            count += 1;
                            if count > MAX_HEADERS {
                                return Err(bad_data(format!(
                                    "more than {MAX_HEADERS} trailer fields"
                                )));
                            }
                        }
                        self.framing = Framing::Chunked(ChunkState::Done);
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A fake connection: reads come from `input`, writes are collected.
    struct Fake {
        input: Cursor<Vec<u8>>,
        written: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    }

    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            // Small reads, to exercise every boundary.
            let n = buf.len().min(7);
            self.input.read(&mut buf[..n])
        }
    }

    impl Write for Fake {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.written.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The error and its causes, as the CLI prints them.
    fn chain(e: &dyn std::error::Error) -> String {
        let mut s = e.to_string();
        let mut cur = e.source();
        while let Some(c) = cur {
            s.push_str(&format!(": {c}"));
            cur = c.source();
        }
        s
    }

    fn run(method: &'static str, response: &[u8]) -> (Result<(u16, Vec<u8>), String>, String) {
        let written = std::sync::Arc::default();
        let fake = Fake {
            input: Cursor::new(response.to_vec()),
            written: std::sync::Arc::clone(&written),
        };
        let req = Request {
            method,
            target: "/v1.41/x".to_owned(),
            body: Body::None,
        };
        let out = exchange(fake, req, Path::new("/s.sock"), Duration::from_secs(5))
            .map_err(|e| chain(&e))
            .and_then(|mut r| {
                let mut body = Vec::new();
                r.body
                    .read_to_end(&mut body)
                    .map_err(|e| format!("body: {e}"))?;
                Ok((r.status, body))
            });
        let sent = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        (out, sent)
    }

    #[test]
    fn request_is_well_formed() {
        let (out, sent) = run("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
        assert_eq!(out.unwrap(), (200, b"OK".to_vec()));
        assert!(sent.starts_with("GET /v1.41/x HTTP/1.1\r\nHost: docker\r\n"));
        assert!(sent.contains("Connection: close\r\n"));
        assert!(sent.ends_with("\r\n\r\n"));
    }

    #[test]
    fn chunked_bodies_decode() {
        let resp = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                     5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n";
        let (out, _) = run("GET", resp);
        assert_eq!(out.unwrap(), (200, b"hello 0123456789".to_vec()));
    }

    #[test]
    fn until_close_and_empty_bodies() {
        let (out, _) = run("GET", b"HTTP/1.0 200 OK\r\n\r\nall of it");
        assert_eq!(out.unwrap(), (200, b"all of it".to_vec()));
        let (out, _) = run("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assert_eq!(out.unwrap(), (200, Vec::new()));
        let (out, _) = run("GET", b"HTTP/1.1 204 No Content\r\n\r\n");
        assert_eq!(out.unwrap(), (204, Vec::new()));
        // An interim response is skipped.
        let (out, _) = run(
            "GET",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
        );
        assert_eq!(out.unwrap(), (200, b"x".to_vec()));
    }

    #[test]
    fn malformed_responses_are_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "closed the connection without answering"),
            (b"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"),
            (b"HTTP/1.1 2000 OK\r\n\r\n", "no valid status code"),
            (b"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "has no `:`"),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "is not a number",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
                "conflicting",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                "ended after 5 of 10",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "is not a chunk size",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                "longer than its size",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc",
                "middle of a chunk",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
                "middle of a chunked body",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
                "is not a chunk size",
            ),
            (b"HTTP/1.1 200 OK\r\nHost", "middle of a line"),
        ];
        for (resp, want) in cases {
            let (out, _) = run("GET", resp);
            let err = out.unwrap_err();
            assert!(
                err.contains(want),
                "{:?}: `{err}` lacks `{want}`",
                String::from_utf8_lossy(resp)
            );
        }
        // Headers without end.
        let mut huge = b"HTTP/1.1 200 OK\r\n".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_HEAD_BYTES + 10));
        let (out, _) = run("GET", &huge);
        assert!(out.unwrap_err().contains("longer than"));
        let mut many = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            many.extend_from_slice(format!("X-{i}: 1\r\n").as_bytes());
        }
        many.extend_from_slice(b"\r\n");
        let (out, _) = run("GET", &many);
        assert!(out.unwrap_err().contains("more than 128 headers"));
    }

    #[test]
    fn read_limited_refuses_big_bodies() {
        let mut resp = run_raw(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        assert!(resp.body.read_limited(5).is_err());
        let mut resp = run_raw(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        assert_eq!(resp.body.read_limited(10).unwrap(), b"0123456789");
    }

    fn run_raw(response: &[u8]) -> Response {
        let fake = Fake {
            input: Cursor::new(response.to_vec()),
            written: std::sync::Arc::default(),
        };
        let req = Request {
            method: "GET",
            target: "/".to_owned(),
            body: Body::None,
        };
        exchange(fake, req, Path::new("/s"), Duration::from_secs(1))
            .map_err(|e| e.to_string())
            .unwrap()
    }

    #[test]
    fn request_bodies_are_sent_with_their_length() {
        let written = std::sync::Arc::default();
        let fake = Fake {
            input: Cursor::new(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".to_vec()),
            written: std::sync::Arc::clone(&written),
        };
        let mut data: &[u8] = b"tarbytes";
        let req = Request {
            method: "POST",
            target: "/images/load".to_owned(),
            body: Body::Reader {
                content_type: "application/x-tar",
                reader: &mut data,
                len: 8,
            },
        };
        let resp = exchange(fake, req, Path::new("/s"), Duration::from_secs(1)).unwrap();
        assert_eq!(resp.status, 200);
        let sent = String::from_utf8(written.lock().unwrap().clone()).unwrap();
        assert!(sent.contains("Content-Length: 8\r\n"));
        assert!(sent.ends_with("\r\n\r\ntarbytes"));
    }
}
