//! A minimal gRPC client over HTTP/2 on a unix socket: unary and server-streaming calls, which is
//! all containerd's image and content services need.
//!
//! HTTP/2 is the `h2` crate (the implementation under hyper and tonic), driven by a tokio
//! runtime with one worker thread that this channel owns; callers block on it, so the rest of
//! atalaia stays synchronous (layers are read by rayon threads through [`std::io::Read`]). One
//! connection carries every call; each call is one HTTP/2 stream, so layers stream in parallel.
//!
//! gRPC framing: each message is a flag byte (0: not compressed; this client never offers
//! compression, so 1 is an error), a big-endian u32 length and the protobuf bytes. The status
//! is `grpc-status` / `grpc-message` in the trailers, or in the headers of a trailers-only answer.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use h2::client::SendRequest;
use tokio::net::UnixStream;

use crate::error::ContainerdError;

/// The largest gRPC message accepted (containerd sends content in 1 MiB messages).
pub(crate) const MAX_MESSAGE: usize = 16 << 20;
/// HTTP/2 receive window of each stream.
const STREAM_WINDOW: u32 = 4 << 20;
/// HTTP/2 receive window of the connection.
const CONNECTION_WINDOW: u32 = 32 << 20;

/// What went wrong in a call, before it is given its socket and method.
#[derive(Debug)]
pub(crate) enum CallError {
    Transport(Box<dyn std::error::Error + Send + Sync>),
    Timeout,
    Status { code: u32, message: String },
    Protocol(String),
}

impl CallError {
    pub(crate) fn into_error(
        self,
        socket: &Path,
        method: &str,
        timeout: Duration,
    ) -> ContainerdError {
        match self {
            CallError::Transport(err) => ContainerdError::Transport {
                socket: socket.to_owned(),
                action: format!("call `{method}`"),
                err,
            },
            CallError::Timeout => ContainerdError::Timeout {
                socket: socket.to_owned(),
                method: method.to_owned(),
                secs: timeout.as_secs(),
            },
            CallError::Status { code, message } => ContainerdError::Status {
                socket: socket.to_owned(),
                method: method.to_owned(),
                code,
                message,
            },
            CallError::Protocol(problem) => ContainerdError::BadResponse {
                socket: socket.to_owned(),
                method: method.to_owned(),
                problem,
            },
        }
    }
}

fn transport(e: h2::Error) -> CallError {
    CallError::Transport(Box::new(e))
}

/// Frames one request message.
pub(crate) fn frame(message: &impl prost::Message) -> Bytes {
    let len = message.encoded_len();
    let mut buf = BytesMut::with_capacity(5 + len);
    buf.extend_from_slice(&[0]);
    buf.extend_from_slice(&(len as u32).to_be_bytes());
    // Encoding into a buffer with enough capacity cannot fail.
    let _ = message.encode(&mut buf);
    buf.freeze()
}

/// Splits the bytes of a response body into gRPC messages.
#[derive(Debug, Default)]
pub(crate) struct MessageDecoder {
    buf: BytesMut,
}

impl MessageDecoder {
    /// Appends body bytes.
    pub(crate) fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete message, if the buffer holds one.
    pub(crate) fn next_message(&mut self) -> Result<Option<Bytes>, String> {
        if self.buf.len() < 5 {
            return Ok(None);
        }
        match self.buf[0] {
            0 => {}
            1 => return Err("a compressed message, though no compression was offered".to_owned()),
            other => return Err(format!("message flag byte {other:#04x} (expected 0)")),
        }
        let len = u32::from_be_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]]) as usize;
        if len > MAX_MESSAGE {
            return Err(format!(
                "a message of {len} bytes, larger than the {MAX_MESSAGE}-byte limit"
            ));
        }
        if self.buf.len() < 5 + len {
            return Ok(None);
        }
        self.buf.advance(5);
        Ok(Some(self.buf.split_to(len).freeze()))
    }

    /// At the end of the body: nothing may be left over.
    pub(crate) fn finish(&self) -> Result<(), String> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the body ends inside a message ({} bytes left over)",
                self.buf.len()
            ))
        }
    }
}

/// `%XX`-decodes a `grpc-message` value.
pub(crate) fn percent_decode(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(s[i + 1]), hex(s[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The status in a header map, if it has one: `Ok(())` for `0`.
pub(crate) fn status_of(headers: &http::HeaderMap) -> Option<Result<(), CallError>> {
    let code = headers.get("grpc-status")?;
    let code = match std::str::from_utf8(code.as_bytes())
        .ok()
        .and_then(|c| c.trim().parse::<u32>().ok())
    {
        Some(c) => c,
        None => {
            return Some(Err(CallError::Protocol(format!(
                "`grpc-status` is `{}`, not a number",
                String::from_utf8_lossy(code.as_bytes())
            ))))
        }
    };
    if code == 0 {
        return Some(Ok(()));
    }
    let message = headers
        .get("grpc-message")
        .map(|m| percent_decode(m.as_bytes()))
        .unwrap_or_default();
    Some(Err(CallError::Status { code, message }))
}

/// The messages of one call's response, as they arrive.
pub(crate) struct Responses {
    body: h2::RecvStream,
    decoder: MessageDecoder,
    done: bool,
}

impl Responses {
    /// The next message; `None` after the last one, once the status said OK.
    pub(crate) async fn next(&mut self) -> Result<Option<Bytes>, CallError> {
        loop {
            if let Some(m) = self.decoder.next_message().map_err(CallError::Protocol)? {
                return Ok(Some(m));
            }
            if self.done {
                return Ok(None);
            }
            match self.body.data().await {
                Some(Ok(chunk)) => {
                    let _ = self.body.flow_control().release_capacity(chunk.len());
                    self.decoder.push(&chunk);
                }
                Some(Err(e)) => return Err(transport(e)),
                None => {
                    self.decoder.finish().map_err(CallError::Protocol)?;
                    let trailers = self.body.trailers().await.map_err(transport)?;
                    match trailers.as_ref().and_then(status_of) {
                        Some(Ok(())) => {}
                        Some(Err(e)) => return Err(e),
                        None => {
                            return Err(CallError::Protocol(
                                "the response ends without a `grpc-status`".to_owned(),
                            ))
                        }
                    }
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }
}

/// An HTTP/2 connection to containerd, made on first use.
pub(crate) struct Channel {
    pub(crate) socket: PathBuf,
    pub(crate) timeout: Duration,
    runtime: tokio::runtime::Runtime,
    conn: Mutex<Option<SendRequest<Bytes>>>,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel")
            .field("socket", &self.socket)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Channel {
    pub(crate) fn new(socket: PathBuf, timeout: Duration) -> Result<Arc<Channel>, ContainerdError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("atalaia-containerd")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|err| ContainerdError::Transport {
                socket: socket.clone(),
                action: "start the I/O runtime for".to_owned(),
                err: Box::new(err),
            })?;
        Ok(Arc::new(Channel {
            socket,
            timeout,
            runtime,
            conn: Mutex::new(None),
        }))
    }

    fn connect_error(&self, err: io::Error) -> ContainerdError {
        let socket = self.socket.clone();
        match err.kind() {
            io::ErrorKind::NotFound => ContainerdError::SocketMissing { socket },
            io::ErrorKind::PermissionDenied => ContainerdError::SocketDenied { socket },
            io::ErrorKind::ConnectionRefused => ContainerdError::NotRunning { socket },
            _ => ContainerdError::Transport {
                socket,
                action: "connect".to_owned(),
                err: Box::new(err),
            },
        }
    }

    /// The connection's request handle, connecting first if there is none (or it broke).
    fn sender(&self) -> Result<SendRequest<Bytes>, ContainerdError> {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = guard.as_ref() {
            if !is_closed(s) {
                return Ok(s.clone());
            }
        }
        let socket = self.socket.clone();
        let timeout = self.timeout;
        let result = self.runtime.block_on(async move {
            let stream = match tokio::time::timeout(timeout, UnixStream::connect(&socket)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => return Err(Err(e)),
                Err(_) => return Err(Ok("connect")),
            };
            let handshake = h2::client::Builder::new()
                .initial_window_size(STREAM_WINDOW)
                .initial_connection_window_size(CONNECTION_WINDOW)
                .max_frame_size(1 << 20)
                .handshake::<_, Bytes>(stream);
            match tokio::time::timeout(timeout, handshake).await {
                Ok(Ok((send, conn))) => {
                    tokio::spawn(async move {
                        if let Err(e) = conn.await {
                            tracing::debug!(error = %e, "containerd connection closed");
                        }
                    });
                    Ok(send)
                }
                Ok(Err(e)) => Err(Err(io::Error::other(e))),
                Err(_) => Err(Ok("HTTP/2 handshake")),
            }
        });
        match result {
            Ok(send) => {
                *guard = Some(send.clone());
                Ok(send)
            }
            Err(Err(e)) if e.get_ref().is_some_and(|i| i.is::<h2::Error>()) => {
                Err(ContainerdError::Transport {
                    socket: self.socket.clone(),
                    action: "make the HTTP/2 handshake".to_owned(),
                    err: Box::new(e),
                })
            }
            Err(Err(e)) => Err(self.connect_error(e)),
            Err(Ok(what)) => Err(ContainerdError::Timeout {
                socket: self.socket.clone(),
                method: what.to_owned(),
                secs: self.timeout.as_secs(),
            }),
        }
    }

    /// Starts a call: sends the request message, waits for the response headers.
    async fn start(
        mut send: SendRequest<Bytes>,
        method: &str,
        namespace: Option<&str>,
        message: Bytes,
    ) -> Result<Responses, CallError> {
        let mut req = http::Request::builder()
            .method(http::Method::POST)
            .uri(format!("http://localhost{method}"))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .header(
                "user-agent",
                concat!("atalaia-containerd/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(ns) = namespace {
            req = req.header("containerd-namespace", ns);
        }
        let req = req
            .body(())
            .map_err(|e| CallError::Protocol(format!("cannot build the request: {e}")))?;
        send = send.ready().await.map_err(transport)?;
        let (response, mut body) = send.send_request(req, false).map_err(transport)?;
        body.send_data(message, true).map_err(transport)?;
        let response = response.await.map_err(transport)?;
        let (parts, recv) = response.into_parts();
        if parts.status != http::StatusCode::OK {
            return Err(CallError::Protocol(format!("HTTP status {}", parts.status)));
        }
        let content_type = parts
            .headers
            .get("content-type")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        if let Some(status) = status_of(&parts.headers) {
            // A trailers-only response: no messages.
            status?;
            return Ok(Responses {
                body: recv,
                decoder: MessageDecoder::default(),
                done: true,
            });
        }
        if !content_type.starts_with("application/grpc") {
            return Err(CallError::Protocol(format!(
                "content type `{content_type}`, not `application/grpc`"
            )));
        }
        Ok(Responses {
            body: recv,
            decoder: MessageDecoder::default(),
            done: false,
        })
    }

    /// A unary call: one request, exactly one response message.
    pub(crate) fn unary<Req: prost::Message, Resp: prost::Message + Default>(
        &self,
        method: &str,
        namespace: Option<&str>,
        request: &Req,
    ) -> Result<Resp, ContainerdError> {
        let send = self.sender()?;
        let message = frame(request);
        let timeout = self.timeout;
        let result = self.runtime.block_on(async move {
            let call = async {
                let mut responses = Channel::start(send, method, namespace, message).await?;
                let first = responses.next().await?;
                let extra = responses.next().await?;
                match (first, extra) {
                    (Some(m), None) => Ok(m),
                    (None, _) => Err(CallError::Protocol("no response message".to_owned())),
                    (Some(_), Some(_)) => Err(CallError::Protocol(
                        "more than one response message to a unary call".to_owned(),
                    )),
                }
            };
            match tokio::time::timeout(timeout, call).await {
                Ok(r) => r,
                Err(_) => Err(CallError::Timeout),
            }
        });
        let bytes = result.map_err(|e| e.into_error(&self.socket, method, timeout))?;
        decode(&bytes).map_err(|problem| ContainerdError::BadResponse {
            socket: self.socket.clone(),
            method: method.to_owned(),
            problem,
        })
    }

    /// A server-streaming call: the messages are read with [`BlockingStream::next`].
    pub(crate) fn server_streaming<Req: prost::Message>(
        self: &Arc<Self>,
        method: &'static str,
        namespace: Option<&str>,
        request: &Req,
    ) -> Result<BlockingStream, ContainerdError> {
        let send = self.sender()?;
        let message = frame(request);
        let timeout = self.timeout;
        let result = self.runtime.block_on(async move {
            match tokio::time::timeout(timeout, Channel::start(send, method, namespace, message))
                .await
            {
                Ok(r) => r,
                Err(_) => Err(CallError::Timeout),
            }
        });
        let responses = result.map_err(|e| e.into_error(&self.socket, method, timeout))?;
        Ok(BlockingStream {
            channel: self.clone(),
            method,
            responses,
        })
    }
}

fn is_closed(send: &SendRequest<Bytes>) -> bool {
    // A clone that cannot become ready without waiting is fine; one whose connection is gone
    // reports an error from `poll_ready`.
    let mut s = send.clone();
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    matches!(s.poll_ready(&mut cx), std::task::Poll::Ready(Err(_)))
}

/// Decodes one protobuf message.
pub(crate) fn decode<M: prost::Message + Default>(bytes: &[u8]) -> Result<M, String> {
    M::decode(bytes).map_err(|e| format!("invalid protobuf message: {e}"))
}

/// The response messages of a server-streaming call, read by blocking on the channel's runtime.
pub(crate) struct BlockingStream {
    channel: Arc<Channel>,
    method: &'static str,
    responses: Responses,
}

impl BlockingStream {
    /// The next message (`None` after the last), waiting at most the channel's timeout for it.
    pub(crate) fn next(&mut self) -> Result<Option<Bytes>, ContainerdError> {
        let timeout = self.channel.timeout;
        let responses = &mut self.responses;
        let result = self.channel.runtime.block_on(async move {
            match tokio::time::timeout(timeout, responses.next()).await {
                Ok(r) => r,
                Err(_) => Err(CallError::Timeout),
            }
        });
        result.map_err(|e| e.into_error(&self.channel.socket, self.method, timeout))
    }

    /// The channel's socket.
    pub(crate) fn socket(&self) -> &Path {
        &self.channel.socket
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0];
        v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn messages_split_across_chunks() {
        let mut body = framed(b"hello");
        body.extend(framed(b""));
        body.extend(framed(&[7; 300]));
        let mut d = MessageDecoder::default();
        let mut got = Vec::new();
        for chunk in body.chunks(3) {
            d.push(chunk);
            while let Some(m) = d.next_message().unwrap() {
                got.push(m);
            }
        }
        d.finish().unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(&got[0][..], b"hello");
        assert!(got[1].is_empty());
        assert_eq!(&got[2][..], &[7; 300][..]);
    }

    #[test]
    fn malformed_frames_are_errors() {
        let mut d = MessageDecoder::default();
        d.push(&[1, 0, 0, 0, 1, 0]);
        assert!(d.next_message().unwrap_err().contains("compressed"));

        let mut d = MessageDecoder::default();
        d.push(&[9, 0, 0, 0, 0]);
        assert!(d.next_message().unwrap_err().contains("flag"));

        let mut d = MessageDecoder::default();
        d.push(&[0, 0xff, 0xff, 0xff, 0xff]);
        assert!(d.next_message().unwrap_err().contains("limit"));

        let mut d = MessageDecoder::default();
        d.push(&[0, 0, 0, 0, 10, 1, 2]);
        assert_eq!(d.next_message().unwrap(), None);
        assert!(d.finish().unwrap_err().contains("left over"));
    }

    #[test]
    fn statuses_from_headers() {
        let mut h = http::HeaderMap::new();
        assert!(status_of(&h).is_none());
        h.insert("grpc-status", "0".parse().unwrap());
        assert!(matches!(status_of(&h), Some(Ok(()))));
        h.insert("grpc-status", "5".parse().unwrap());
        h.insert("grpc-message", "image %22x%22: not found%".parse().unwrap());
        match status_of(&h) {
            Some(Err(CallError::Status { code, message })) => {
                assert_eq!(code, 5);
                assert_eq!(message, "image \"x\": not found%");
            }
            other => panic!("{other:?}"),
        }
        h.insert("grpc-status", "five".parse().unwrap());
        assert!(matches!(status_of(&h), Some(Err(CallError::Protocol(_)))));
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode(b"a%20b"), "a b");
        assert_eq!(percent_decode(b"%zz%4"), "%zz%4");
        assert_eq!(percent_decode(b"%"), "%");
        assert_eq!(percent_decode(b"%E2%82%AC"), "€");
    }

    #[test]
    fn frames_round_trip() {
        let req = crate::proto::GetImageRequest {
            name: "docker.io/library/alpine:3.20".to_owned(),
        };
        let f = frame(&req);
        let mut d = MessageDecoder::default();
        d.push(&f);
        let m = d.next_message().unwrap().unwrap();
        let back: crate::proto::GetImageRequest = decode(&m).unwrap();
        assert_eq!(back, req);
    }
}
