//! Opening a layer blob as a verified, decompressed tar stream.
//!
//! Each [`Layer::open`] opens its own file handle (and seeks to the blob when it is a member of a
//! tarball), so layers open concurrently from any number of threads. The raw blob bytes are
//! hashed below the decompressor and the decompressed bytes above it; at the end of the stream
//! both digests are compared with the manifest's blob digest and the config's diff ID, and a
//! mismatch is returned from `read` as an [`std::io::Error`] carrying the [`ArtifactError`]
//! (see [`ArtifactError::from_io`]). The compression is recognised by magic bytes (gzip
//! `1f 8b`, zstd `28 b5 2f fd`, anything else is taken as a plain tar); the media type was
//! checked to be a layer type when the image was opened, but the bytes decide, because real
//! images mislabel plain layers as gzip and vice versa.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::{mpsc, Arc};

use atalaia_types::Digest;
use sha2::{Digest as _, Sha256};

use crate::error::Compression;
use crate::walk::STREAM_BUFFER;
use crate::ArtifactError;

/// Where a blob's bytes are: a whole file, or a byte range of a tarball member.
#[derive(Debug, Clone)]
pub(crate) struct BlobLocation {
    pub(crate) file: Arc<PathBuf>,
    pub(crate) offset: u64,
    pub(crate) len: u64,
}

impl BlobLocation {
    /// Opens a fresh handle positioned at the blob, limited to its length.
    pub(crate) fn open(&self) -> io::Result<io::Take<File>> {
        let mut f = File::open(self.file.as_path())?;
        if self.offset > 0 {
            f.seek(SeekFrom::Start(self.offset))?;
        }
        Ok(f.take(self.len))
    }
}

/// How to open and verify one layer.
#[derive(Debug, Clone)]
pub(crate) struct LayerSource {
    pub(crate) location: BlobLocation,
    /// The image's display name, for errors.
    pub(crate) image: Arc<str>,
    /// The digest the raw blob must have.
    pub(crate) blob_digest: Digest,
    /// The digest the decompressed tar must have.
    pub(crate) diff_id: Digest,
}

/// Sniffs the compression from the first bytes of a blob.
pub(crate) fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Hashes every byte read from the blob file.
struct HashRead {
    inner: io::Take<File>,
    hasher: Sha256,
    ctx: Arc<LayerSource>,
}

impl Read for HashRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(err) => Err(ArtifactError::LayerIo {
                image: self.ctx.image.to_string(),
                layer: self.ctx.blob_digest.clone(),
                path: self.ctx.location.file.to_path_buf(),
                err,
            }
            .into_io()),
        }
    }
}

type Raw = BufReader<HashRead>;

enum Decoder {
    Plain(Raw),
    Gzip(Box<flate2::bufread::MultiGzDecoder<Raw>>),
    Zstd(Box<zstd::stream::read::Decoder<'static, Raw>>),
}

impl Decoder {
    fn raw(&mut self) -> &mut Raw {
        match self {
            Decoder::Plain(r) => r,
            Decoder::Gzip(d) => d.get_mut(),
            Decoder::Zstd(d) => d.get_mut(),
        }
    }

    fn compression(&self) -> Compression {
        match self {
            Decoder::Plain(_) => Compression::None,
            Decoder::Gzip(_) => Compression::Gzip,
            Decoder::Zstd(_) => Compression::Zstd,
        }
    }
}

impl Read for Decoder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(r) => r.read(buf),
            Decoder::Gzip(d) => d.read(buf),
            Decoder::Zstd(d) => d.read(buf),
        }
    }
}

/// Bytes handed from the decompressing thread to the reader per message.
const CHUNK: usize = 256 << 10;
/// Chunks in flight per layer: bounds the memory a layer's pipeline holds.
const CHUNKS_IN_FLIGHT: usize = 4;

/// What the decompressing thread sends.
enum Msg {
    /// Decompressed bytes.
    Data(Vec<u8>),
    /// The end of the stream, with the digest of the whole raw blob.
    End(Digest),
    /// The stream failed (truncated, corrupt, unreadable).
    Failed(ArtifactError),
}

/// The decompressed, verifying stream of one layer.
///
/// Decompression runs on a thread of its own (which also hashes the raw blob), while the reader
/// hashes the decompressed bytes and parses the tar: on a layer of hundreds of megabytes the two
/// halves take similar time, so the pipeline cuts a layer's wall time nearly in half on two
/// cores. The channel between them is bounded, so memory stays at a few chunks per layer, and the
/// thread ends as soon as the reader is dropped.
pub(crate) struct LayerStream {
    rx: mpsc::Receiver<Msg>,
    /// Spent chunks go back to the decompressing thread, so it does not fault in fresh pages.
    recycle: mpsc::Sender<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
    /// Hash of the decompressed bytes (not kept for plain layers: it equals the raw hash).
    diff: Option<Sha256>,
    ctx: Arc<LayerSource>,
    done: bool,
}

impl LayerStream {
    pub(crate) fn open(ctx: Arc<LayerSource>) -> Result<LayerStream, ArtifactError> {
        let io_err = |err| ArtifactError::LayerIo {
            image: ctx.image.to_string(),
            layer: ctx.blob_digest.clone(),
            path: ctx.location.file.to_path_buf(),
            err,
        };
        let file = ctx.location.open().map_err(io_err)?;
        let mut raw = BufReader::with_capacity(
            STREAM_BUFFER,
            HashRead {
                inner: file,
                hasher: Sha256::new(),
                ctx: ctx.clone(),
            },
        );
        let head = raw
            .fill_buf()
            .map_err(|e| match ArtifactError::from_io(e) {
                Ok(a) => a,
                Err(e) => io_err(e),
            })?;
        let dec = match sniff(head) {
            Compression::None => Decoder::Plain(raw),
            Compression::Gzip => Decoder::Gzip(Box::new(flate2::bufread::MultiGzDecoder::new(raw))),
            Compression::Zstd => {
                let d = zstd::stream::read::Decoder::with_buffer(raw).map_err(|err| {
                    ArtifactError::Decompress {
                        image: ctx.image.to_string(),
                        layer: ctx.blob_digest.clone(),
                        format: Compression::Zstd,
                        err,
                    }
                })?;
                Decoder::Zstd(Box::new(d))
            }
        };
        let diff = (!matches!(dec, Decoder::Plain(_))).then(Sha256::new);
        let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
        let (recycle, spent) = mpsc::channel();
        let thread_ctx = ctx.clone();
        std::thread::Builder::new()
            .name("atalaia-layer".into())
            .spawn(move || decompress(dec, &thread_ctx, &tx, &spent))
            .map_err(io_err)?;
        Ok(LayerStream {
            rx,
            recycle,
            chunk: Vec::new(),
            pos: 0,
            diff,
            ctx,
            done: false,
        })
    }

    /// At the end of the decompressed stream: compares both digests.
    fn finish(&mut self, blob: Digest) -> Result<(), ArtifactError> {
        if blob != self.ctx.blob_digest {
            return Err(ArtifactError::BlobDigestMismatch {
                image: self.ctx.image.to_string(),
                expected: self.ctx.blob_digest.clone(),
                actual: blob,
            });
        }
        let diff = match self.diff.take() {
            Some(h) => Digest::sha256_from_bytes(&h.finalize()),
            None => blob,
        };
        if diff != self.ctx.diff_id {
            return Err(ArtifactError::DiffIdMismatch {
                image: self.ctx.image.to_string(),
                layer: self.ctx.blob_digest.clone(),
                expected: self.ctx.diff_id.clone(),
                actual: diff,
            });
        }
        Ok(())
    }
}

/// The decompressing half: reads, hashes and decompresses the blob until the end or an error,
/// or until the reader hangs up.
fn decompress(
    mut dec: Decoder,
    ctx: &LayerSource,
    tx: &mpsc::SyncSender<Msg>,
    spent: &mpsc::Receiver<Vec<u8>>,
) {
    loop {
        let mut buf = spent.try_recv().unwrap_or_default();
        buf.resize(CHUNK, 0);
        let filled = match read_full(&mut dec, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                let _ = tx.send(Msg::Failed(classify(ctx, dec.compression(), e)));
                return;
            }
        };
        if filled > 0 {
            buf.truncate(filled);
            if tx.send(Msg::Data(buf)).is_err() {
                return; // the reader is gone
            }
        }
        if filled < CHUNK {
            break;
        }
    }
    // The decompressed stream ended: read what is left of the blob (padding after the end of a
    // gzip member, say) so the raw digest covers every byte.
    if let Err(e) = io::copy(dec.raw(), &mut io::sink()) {
        let _ = tx.send(Msg::Failed(classify(ctx, dec.compression(), e)));
        return;
    }
    let raw = dec.raw().get_mut();
    let blob = Digest::sha256_from_bytes(&std::mem::take(&mut raw.hasher).finalize());
    let _ = tx.send(Msg::End(blob));
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Turns a decompression-side I/O error into the error it stands for.
fn classify(ctx: &LayerSource, format: Compression, e: io::Error) -> ArtifactError {
    match ArtifactError::from_io(e) {
        Ok(a) => a,
        Err(err) => {
            let image = ctx.image.to_string();
            let layer = ctx.blob_digest.clone();
            if err.kind() == io::ErrorKind::UnexpectedEof {
                ArtifactError::Truncated {
                    image,
                    layer,
                    format,
                    err,
                }
            } else {
                ArtifactError::Decompress {
                    image,
                    layer,
                    format,
                    err,
                }
            }
        }
    }
}

impl Read for LayerStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.pos == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Msg::Data(chunk)) => {
                    if let Some(h) = &mut self.diff {
                        h.update(&chunk);
                    }
                    let spent = std::mem::replace(&mut self.chunk, chunk);
                    if spent.capacity() > 0 {
                        // The thread may have finished; a spent chunk is then simply dropped.
                        let _ = self.recycle.send(spent);
                    }
                    self.pos = 0;
                }
                Ok(Msg::End(blob)) => {
                    self.done = true;
                    self.finish(blob).map_err(ArtifactError::into_io)?;
                    return Ok(0);
                }
                Ok(Msg::Failed(err)) => {
                    self.done = true;
                    return Err(err.into_io());
                }
                Err(mpsc::RecvError) => {
                    self.done = true;
                    return Err(ArtifactError::LayerIo {
                        image: self.ctx.image.to_string(),
                        layer: self.ctx.blob_digest.clone(),
                        path: self.ctx.location.file.to_path_buf(),
                        err: io::Error::other("the decompressing thread stopped unexpectedly"),
                    }
                    .into_io());
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
