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
use std::sync::Arc;

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

/// The decompressed, verifying stream of one layer.
pub(crate) struct LayerStream {
    dec: Decoder,
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
        Ok(LayerStream {
            dec,
            diff,
            ctx,
            done: false,
        })
    }

    fn classify(&self, e: io::Error) -> ArtifactError {
        match ArtifactError::from_io(e) {
            Ok(a) => a,
            Err(err) => {
                let image = self.ctx.image.to_string();
                let layer = self.ctx.blob_digest.clone();
                let format = self.dec.compression();
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

    /// At the end of the decompressed stream: reads what is left of the blob and compares digests.
    fn finish(&mut self) -> Result<(), ArtifactError> {
        self.done = true;
        io::copy(self.dec.raw(), &mut io::sink()).map_err(|e| self.classify(e))?;
        let raw = self.dec.raw().get_mut();
        let blob = Digest::sha256_from_bytes(&std::mem::take(&mut raw.hasher).finalize());
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

impl Read for LayerStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        match self.dec.read(buf) {
            Ok(0) => {
                self.finish().map_err(ArtifactError::into_io)?;
                Ok(0)
            }
            Ok(n) => {
                if let Some(h) = &mut self.diff {
                    h.update(&buf[..n]);
                }
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                self.done = true;
                Err(self.classify(e).into_io())
            }
        }
    }
}
