//! Blobs of containerd's content store, read with the streaming `Content.Read` call.
//!
//! containerd answers with `ReadContentResponse { offset, data }` messages of up to 1 MiB; each
//! must start where the previous one ended, else the answer is invalid. [`ContentReader`] is a
//! plain [`Read`]; [`read_verified`] reads a small blob whole and checks its size and digest.

use std::io::{self, Read};
use std::sync::Arc;

use atalaia_types::Digest;
use bytes::{Buf, Bytes};
use sha2::{Digest as _, Sha256};

use crate::error::ContainerdError;
use crate::grpc::{decode, BlockingStream, Channel};
use crate::proto::{method, ReadContentRequest, ReadContentResponse};

/// A blob of the content store as a byte stream, from an offset to its end.
pub struct ContentReader {
    stream: BlockingStream,
    digest: String,
    /// Where the next byte read is in the blob.
    position: u64,
    /// The offset asked for.
    start: u64,
    chunk: Bytes,
    done: bool,
}

impl std::fmt::Debug for ContentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentReader")
            .field("digest", &self.digest)
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

impl ContentReader {
    /// Starts reading blob `digest` at `offset`, in `namespace`.
    pub(crate) fn open(
        channel: &Arc<Channel>,
        namespace: &str,
        digest: &str,
        offset: u64,
    ) -> Result<ContentReader, ContainerdError> {
        let request = ReadContentRequest {
            digest: digest.to_owned(),
            offset: i64::try_from(offset).unwrap_or(i64::MAX),
            size: 0,
        };
        let stream = channel.server_streaming(method::CONTENT_READ, Some(namespace), &request)?;
        Ok(ContentReader {
            stream,
            digest: digest.to_owned(),
            position: offset,
            start: offset,
            chunk: Bytes::new(),
            done: false,
        })
    }

    /// The blob's digest.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The offset in the blob of the next byte [`Read::read`] returns.
    pub fn position(&self) -> u64 {
        self.position
    }

    fn bad(&self, problem: String) -> ContainerdError {
        ContainerdError::BadResponse {
            socket: self.stream.socket().to_owned(),
            method: method::CONTENT_READ.to_owned(),
            problem,
        }
    }

    /// The next non-empty chunk, or `None` at the end of the blob.
    fn next_chunk(&mut self) -> Result<Option<Bytes>, ContainerdError> {
        loop {
            let Some(message) = self.stream.next()? else {
                return Ok(None);
            };
            let resp: ReadContentResponse = decode(&message).map_err(|p| self.bad(p))?;
            // containerd counts offsets from the offset asked for (its `readResponseWriter`
            // starts at 0); from the start of the blob is accepted too.
            let expected = self.position + self.chunk.len() as u64;
            let got = u64::try_from(resp.offset).ok();
            if got != Some(expected) && got != Some(expected - self.start) {
                return Err(self.bad(format!(
                    "a chunk of `{}` at offset {} where offset {expected} was due",
                    self.digest, resp.offset
                )));
            }
            if !resp.data.is_empty() {
                return Ok(Some(resp.data));
            }
        }
    }

    /// Reads the next chunk: the error as a [`ContainerdError`].
    pub(crate) fn read_chunk(&mut self, buf: &mut [u8]) -> Result<usize, ContainerdError> {
        if buf.is_empty() || self.done {
            return Ok(0);
        }
        if self.chunk.is_empty() {
            match self.next_chunk()? {
                Some(c) => self.chunk = c,
                None => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        self.chunk.advance(n);
        self.position += n as u64;
        Ok(n)
    }
}

impl Read for ContentReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_chunk(buf).map_err(io::Error::other)
    }
}

/// Reads blob `digest` whole (it must be `size` bytes, at most `limit`), checking its digest.
pub(crate) fn read_verified(
    channel: &Arc<Channel>,
    namespace: &str,
    image: &str,
    what: &str,
    digest: &Digest,
    size: u64,
    limit: u64,
) -> Result<Vec<u8>, ContainerdError> {
    if size > limit {
        return Err(ContainerdError::BadDocument {
            image: image.to_owned(),
            what: format!("{what} {digest}"),
            problem: format!("{size} bytes is larger than the {limit}-byte limit"),
        });
    }
    let mut reader = ContentReader::open(channel, namespace, digest.as_str(), 0)
        .map_err(|e| missing(e, channel, image, what, digest))?;
    let mut bytes = Vec::with_capacity(size as usize);
    let mut buf = vec![0; 64 << 10];
    loop {
        let n = reader
            .read_chunk(&mut buf)
            .map_err(|e| missing(e, channel, image, what, digest))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        if bytes.len() as u64 > size {
            break;
        }
    }
    if bytes.len() as u64 != size {
        return Err(ContainerdError::Mismatch {
            image: image.to_owned(),
            what: format!("The size of {what} `{digest}`"),
            expected: size.to_string(),
            actual: if bytes.len() as u64 > size {
                format!("more than {size}")
            } else {
                bytes.len().to_string()
            },
        });
    }
    let actual = Digest::sha256_from_bytes(&Sha256::digest(&bytes));
    if digest.algorithm() == "sha256" && &actual != digest {
        return Err(ContainerdError::Mismatch {
            image: image.to_owned(),
            what: format!("The digest of {what}"),
            expected: digest.to_string(),
            actual: actual.to_string(),
        });
    }
    Ok(bytes)
}

/// A `NOT_FOUND` from `Content.Read` is a blob the store lacks.
pub(crate) fn missing(
    err: ContainerdError,
    channel: &Channel,
    image: &str,
    what: &str,
    digest: &Digest,
) -> ContainerdError {
    if err.is_not_found() {
        ContainerdError::MissingContent {
            socket: channel.socket.clone(),
            image: image.to_owned(),
            what: what.to_owned(),
            digest: digest.to_string(),
        }
    } else {
        err
    }
}
