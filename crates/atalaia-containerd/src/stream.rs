//! A layer blob streamed from the content store, decompressed and verified as it is read.
//!
//! The compression is recognised by magic bytes (gzip `1f 8b`, zstd `28 b5 2f fd`, anything else
//! is a plain tar) and decoded by atalaia-artifact's [`LayerDecoder`] (ISA-L for gzip when built
//! with it), exactly as the layers of image files are: real images mislabel plain layers as gzip
//! and vice versa. The stored bytes are hashed and counted as they pass and checked against the
//! descriptor at their end; the decompressed bytes are hashed and compared with the diff ID at
//! the end of the stream. Errors travel through `read` as [`ArtifactError`]s.

use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use atalaia_artifact::{sniff_compression, ArtifactError, Compression, LayerDecoder};
use atalaia_types::Digest;
use sha2::{Digest as _, Sha256};

use crate::content::ContentReader;
use crate::ContainerdLayer;

/// Read buffer over the gRPC stream.
const RAW_BUFFER: usize = 256 << 10;

/// What a stream error is about.
#[derive(Clone)]
struct Ctx {
    image: String,
    layer: Digest,
    size: u64,
    diff_id: Digest,
    /// `<socket>#<namespace>/<digest>`: where the blob comes from.
    location: PathBuf,
}

impl Ctx {
    fn io(&self, err: io::Error) -> ArtifactError {
        ArtifactError::LayerIo {
            image: self.image.clone(),
            layer: self.layer.clone(),
            path: self.location.clone(),
            err,
        }
    }
}

/// The stored bytes of a blob, counted and hashed; checked at their end.
struct Verified {
    inner: ContentReader,
    hash: Sha256,
    count: u64,
    ctx: Ctx,
    /// The end was reached and verified.
    verified: bool,
}

impl Read for Verified {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.verified {
            return Ok(0);
        }
        let n = self
            .inner
            .read_chunk(buf)
            .map_err(|e| self.ctx.io(io::Error::other(e)).into_io())?;
        self.count += n as u64;
        if self.count > self.ctx.size || (n == 0 && !buf.is_empty() && self.count != self.ctx.size)
        {
            return Err(ArtifactError::BlobSizeMismatch {
                image: self.ctx.image.clone(),
                digest: self.ctx.layer.clone(),
                expected: self.ctx.size,
                actual: self.count,
            }
            .into_io());
        }
        if n == 0 && !buf.is_empty() {
            let actual = Digest::sha256_from_bytes(&std::mem::take(&mut self.hash).finalize());
            if self.ctx.layer.algorithm() == "sha256" && actual != self.ctx.layer {
                return Err(ArtifactError::BlobDigestMismatch {
                    image: self.ctx.image.clone(),
                    expected: self.ctx.layer.clone(),
                    actual,
                }
                .into_io());
            }
            self.verified = true;
            return Ok(0);
        }
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

type Raw = BufReader<Verified>;

enum State {
    Reading,
    Done,
    Failed,
}

/// The decompressed, verifying stream of one containerd layer.
pub(crate) struct LayerStream {
    dec: LayerDecoder<Raw>,
    diff: Sha256,
    ctx: Ctx,
    state: State,
}

impl LayerStream {
    pub(crate) fn open(layer: &ContainerdLayer) -> Result<LayerStream, ArtifactError> {
        let ctx = Ctx {
            image: layer.image.to_string(),
            layer: layer.info.digest.clone(),
            size: layer.info.size,
            diff_id: layer.info.diff_id.clone(),
            location: PathBuf::from(format!(
                "{}#{}/{}",
                layer.channel.socket.display(),
                layer.namespace,
                layer.info.digest
            )),
        };
        let reader = ContentReader::open(
            &layer.channel,
            &layer.namespace,
            layer.info.digest.as_str(),
            0,
        )
        .map_err(|e| ctx.io(io::Error::other(e)))?;
        let mut raw = BufReader::with_capacity(
            RAW_BUFFER,
            Verified {
                inner: reader,
                hash: Sha256::new(),
                count: 0,
                ctx: ctx.clone(),
                verified: false,
            },
        );
        let head = raw
            .fill_buf()
            .map_err(|e| classify(&ctx, Compression::None, e))?;
        let compression = sniff_compression(head);
        let dec = LayerDecoder::new(raw, compression).map_err(|err| ArtifactError::Decompress {
            image: ctx.image.clone(),
            layer: ctx.layer.clone(),
            format: compression,
            err,
        })?;
        Ok(LayerStream {
            dec,
            diff: Sha256::new(),
            ctx,
            state: State::Reading,
        })
    }

    /// At the end of the decompressed stream: reads what is left of the blob (so its size and
    /// digest are checked), then compares the diff ID.
    fn finish(&mut self) -> Result<(), ArtifactError> {
        let compression = self.dec.compression();
        io::copy(self.dec.get_mut(), &mut io::sink())
            .map_err(|e| classify(&self.ctx, compression, e))?;
        let actual = Digest::sha256_from_bytes(&std::mem::take(&mut self.diff).finalize());
        if actual != self.ctx.diff_id {
            return Err(ArtifactError::DiffIdMismatch {
                image: self.ctx.image.clone(),
                layer: self.ctx.layer.clone(),
                expected: self.ctx.diff_id.clone(),
                actual,
            });
        }
        Ok(())
    }

    /// A decoding error: if the blob itself does not match its digest, that is the better
    /// diagnosis (a corrupted blob rarely decompresses), so the rest of it is checked first.
    fn decode_failed(&mut self, err: io::Error) -> ArtifactError {
        let compression = self.dec.compression();
        let first = classify(&self.ctx, compression, err);
        if matches!(
            first,
            ArtifactError::Decompress { .. } | ArtifactError::Truncated { .. }
        ) {
            if let Err(e) = io::copy(self.dec.get_mut(), &mut io::sink()) {
                let blob = classify(&self.ctx, compression, e);
                if matches!(
                    blob,
                    ArtifactError::BlobDigestMismatch { .. }
                        | ArtifactError::BlobSizeMismatch { .. }
                ) {
                    return blob;
                }
            }
        }
        first
    }
}

/// Any error from below the decoder: the blob reader's (already an [`ArtifactError`]), or the
/// decoder's own.
fn classify(ctx: &Ctx, compression: Compression, err: io::Error) -> ArtifactError {
    ArtifactError::from_decode_io(&ctx.image, &ctx.layer, compression, err)
}

impl Read for LayerStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.state {
            State::Done => return Ok(0),
            State::Failed => {
                return Err(self
                    .ctx
                    .io(io::Error::other("the layer stream failed earlier"))
                    .into_io())
            }
            State::Reading => {}
        }
        if buf.is_empty() {
            return Ok(0);
        }
        match self.dec.read(buf) {
            Ok(0) => match self.finish() {
                Ok(()) => {
                    self.state = State::Done;
                    Ok(0)
                }
                Err(e) => {
                    self.state = State::Failed;
                    Err(e.into_io())
                }
            },
            Ok(n) => {
                self.diff.update(&buf[..n]);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let err = self.decode_failed(e);
                self.state = State::Failed;
                Err(err.into_io())
            }
        }
    }
}
