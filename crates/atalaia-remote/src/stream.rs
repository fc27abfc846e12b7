//! A layer blob streamed from the registry, decompressed and verified as it is read.
//!
//! The compression is recognised by magic bytes (gzip `1f 8b`, zstd `28 b5 2f fd`, anything else
//! is a plain tar) and decoded by atalaia-artifact's [`LayerDecoder`] (ISA-L for gzip when built
//! with it), exactly as the layers of image files are: the media type was checked to be a layer
//! type, but real images mislabel plain layers as gzip and vice versa. The blob's size and digest are
//! checked by the registry client's [`BlobReader`] at the end of the download; the decompressed
//! bytes are hashed here and compared with the diff ID at the end of the stream. Errors travel
//! through `read` as [`ArtifactError`]s (see [`ArtifactError::from_io`]).

use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use atalaia_artifact::{sniff_compression, ArtifactError, Compression, LayerDecoder};
use atalaia_registry::{BlobReader, RegistryError};
use atalaia_types::Digest;
use sha2::{Digest as _, Sha256};

use crate::RemoteLayer;

/// Read buffer over the network stream.
const RAW_BUFFER: usize = 256 << 10;

type Raw = BufReader<BlobReader>;

/// What a stream error is about.
struct Ctx {
    image: String,
    layer: Digest,
    diff_id: Digest,
    /// `https://host/v2/repo/blobs/<digest>`-like name of where the blob comes from.
    location: PathBuf,
}

impl Ctx {
    /// An error of the download (from the registry client) as an [`ArtifactError`].
    fn registry(&self, err: RegistryError) -> ArtifactError {
        match err {
            RegistryError::DigestMismatch {
                expected, actual, ..
            } => ArtifactError::BlobDigestMismatch {
                image: self.image.clone(),
                expected,
                actual,
            },
            RegistryError::SizeMismatch {
                digest,
                expected,
                actual,
                ..
            } => ArtifactError::BlobSizeMismatch {
                image: self.image.clone(),
                digest,
                expected,
                actual,
            },
            other => ArtifactError::LayerIo {
                image: self.image.clone(),
                layer: self.layer.clone(),
                path: self.location.clone(),
                err: io::Error::other(other),
            },
        }
    }

    /// Any error from below the decoder: the download's, or the decoder's own.
    fn classify(&self, compression: Compression, err: io::Error) -> ArtifactError {
        let err = match ArtifactError::from_io(err) {
            Ok(a) => return a,
            Err(e) => e,
        };
        match RegistryError::from_io(err) {
            Ok(r) => self.registry(r),
            Err(err) => ArtifactError::from_decode_io(&self.image, &self.layer, compression, err),
        }
    }
}

/// The decompressed, verifying stream of one remote layer.
pub(crate) struct RemoteLayerStream {
    dec: LayerDecoder<Raw>,
    /// Hash of the decompressed bytes.
    diff: Sha256,
    ctx: Ctx,
    /// Set once the end was verified, or an error was returned (then it is returned again).
    state: State,
}

enum State {
    Reading,
    Done,
    Failed,
}

impl RemoteLayerStream {
    pub(crate) fn open(layer: &RemoteLayer) -> Result<RemoteLayerStream, ArtifactError> {
        let ctx = Ctx {
            image: layer.image.to_string(),
            layer: layer.info.digest.clone(),
            diff_id: layer.info.diff_id.clone(),
            location: PathBuf::from(format!(
                "{}/{}/blobs/{}",
                layer.reference.registry(),
                layer.reference.repository(),
                layer.info.digest
            )),
        };
        let blob = layer
            .client
            .open_blob(&layer.reference, &layer.descriptor)
            .map_err(|e| ctx.registry(e))?;
        let mut raw = BufReader::with_capacity(RAW_BUFFER, blob);
        let head = raw
            .fill_buf()
            .map_err(|e| ctx.classify(Compression::None, e))?;
        let compression = sniff_compression(head);
        let expected = if layer.media_type.ends_with("gzip") {
            Compression::Gzip
        } else if layer.media_type.ends_with("zstd") {
            Compression::Zstd
        } else {
            Compression::None
        };
        if compression != expected {
            tracing::debug!(
                layer = %ctx.layer,
                media_type = %layer.media_type,
                %compression,
                "layer media type and content disagree; decompressing by content"
            );
        }
        let dec = LayerDecoder::new(raw, compression).map_err(|err| ArtifactError::Decompress {
            image: ctx.image.clone(),
            layer: ctx.layer.clone(),
            format: compression,
            err,
        })?;
        Ok(RemoteLayerStream {
            dec,
            diff: Sha256::new(),
            ctx,
            state: State::Reading,
        })
    }

    /// At the end of the decompressed stream: reads what is left of the blob (so the client
    /// checks its size and digest), then compares the diff ID.
    fn finish(&mut self) -> Result<(), ArtifactError> {
        let compression = self.dec.compression();
        io::copy(self.dec.get_mut(), &mut io::sink())
            .map_err(|e| self.ctx.classify(compression, e))?;
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
    /// diagnosis (a tampered blob rarely decompresses), so the rest of it is checked first.
    fn decode_failed(&mut self, err: io::Error) -> ArtifactError {
        let compression = self.dec.compression();
        let first = self.ctx.classify(compression, err);
        if matches!(
            first,
            ArtifactError::Decompress { .. } | ArtifactError::Truncated { .. }
        ) {
            if let Err(e) = io::copy(self.dec.get_mut(), &mut io::sink()) {
                let blob = self.ctx.classify(compression, e);
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

impl Read for RemoteLayerStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.state {
            State::Done => return Ok(0),
            State::Failed => {
                return Err(ArtifactError::LayerIo {
                    image: self.ctx.image.clone(),
                    layer: self.ctx.layer.clone(),
                    path: self.ctx.location.clone(),
                    err: io::Error::other("the layer stream failed earlier"),
                }
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
