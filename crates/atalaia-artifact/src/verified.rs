//! A layer blob from any source (a registry, containerd's content store), decompressed and
//! verified as it is read: the one implementation behind every streamed layer.
//!
//! ```text
//! raw blob (R: Read) ─► [CheckedBlob: count + sha256(blob), checked at its end] ─► 256 KiB buffer
//!   ─► LayerDecoder (gzip | zstd | plain, by magic bytes) ─► sha256(diff) ─► Read (a tar stream)
//! ```
//!
//! The compression is recognised by magic bytes, not by the media type: real images mislabel
//! plain layers as gzip and vice versa (a disagreement is logged at debug level). At the end of
//! the decompressed stream the rest of the blob is read, so whatever checks the blob's size and
//! digest (the source's own reader, or [`CheckedBlob`]) sees all of it, and the decompressed
//! bytes are compared with the diff ID. Errors travel through `read` as [`ArtifactError`]s (see
//! [`ArtifactError::from_io`]); what an error of the source's reader means is the caller's to
//! say, through the classifier given to [`VerifiedLayerStream::open`].

use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use atalaia_types::Digest;
use sha2::{Digest as _, Sha256};

use crate::{sniff_compression, ArtifactError, Compression, LayerDecoder};

/// Read buffer over the source's stream.
const RAW_BUFFER: usize = 256 << 10;

/// What a streamed layer is; every error of its stream names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerIdentity {
    /// The image, as errors name it.
    pub image: String,
    /// The layer's blob digest.
    pub layer: Digest,
    /// The diff ID its decompressed bytes must hash to.
    pub diff_id: Digest,
    /// Where the blob comes from (`registry/repository/blobs/<digest>`,
    /// `<socket>#<namespace>/<digest>`), for [`ArtifactError::LayerIo`].
    pub location: PathBuf,
}

impl LayerIdentity {
    /// A failure to read the blob: [`ArtifactError::LayerIo`] naming the layer and its location.
    pub fn io_error(&self, err: io::Error) -> ArtifactError {
        ArtifactError::LayerIo {
            image: self.image.clone(),
            layer: self.layer.clone(),
            path: self.location.clone(),
            err,
        }
    }

    /// The error a failed read under the decoder stands for: an [`ArtifactError`] carried in
    /// `err` as it is, else [`ArtifactError::Truncated`] or [`ArtifactError::Decompress`] (see
    /// [`ArtifactError::from_decode_io`]). The classifier of sources whose reader reports its
    /// failures as [`ArtifactError`]s.
    pub fn decode_error(&self, compression: Compression, err: io::Error) -> ArtifactError {
        ArtifactError::from_decode_io(&self.image, &self.layer, compression, err)
    }
}

/// A classifier of stream errors that is a plain function (the usual case): the default of
/// [`VerifiedLayerStream`]'s `C`.
pub type ClassifyFn = fn(&LayerIdentity, Compression, io::Error) -> ArtifactError;

enum State {
    Reading,
    /// The end was reached and verified.
    Done,
    /// An error was returned; every later read fails too.
    Failed,
}

/// The decompressed, verifying stream of one layer blob read from `R`.
///
/// `C` classifies an error that comes from below the decoder (the source's reader, or the
/// decoder itself) as the [`ArtifactError`] to report, given the compression being decoded:
/// [`LayerIdentity::decode_error`] when the reader's errors are already [`ArtifactError`]s, a
/// closure that first recognises the source's own error type otherwise.
pub struct VerifiedLayerStream<R: Read, C = ClassifyFn> {
    dec: LayerDecoder<BufReader<R>>,
    /// Hash of the decompressed bytes.
    diff: Sha256,
    id: LayerIdentity,
    classify: C,
    state: State,
}

impl<R, C> VerifiedLayerStream<R, C>
where
    R: Read,
    C: Fn(&LayerIdentity, Compression, io::Error) -> ArtifactError,
{
    /// Starts decoding `raw`, the blob of layer `id` whose manifest gives `media_type`, by its
    /// magic bytes. Fails when the first bytes cannot be read, or the decoder cannot start.
    pub fn open(
        raw: R,
        id: LayerIdentity,
        media_type: &str,
        classify: C,
    ) -> Result<Self, ArtifactError> {
        let mut raw = BufReader::with_capacity(RAW_BUFFER, raw);
        let head = raw
            .fill_buf()
            .map_err(|e| classify(&id, Compression::None, e))?;
        let compression = sniff_compression(head);
        let labelled = if media_type.ends_with("gzip") {
            Compression::Gzip
        } else if media_type.ends_with("zstd") {
            Compression::Zstd
        } else {
            Compression::None
        };
        if compression != labelled {
            tracing::debug!(
                layer = %id.layer,
                media_type,
                %compression,
                "layer media type and content disagree; decompressing by content"
            );
        }
        let dec = LayerDecoder::new(raw, compression).map_err(|err| ArtifactError::Decompress {
            image: id.image.clone(),
            layer: id.layer.clone(),
            format: compression,
            err,
        })?;
        Ok(VerifiedLayerStream {
            dec,
            diff: Sha256::new(),
            id,
            classify,
            state: State::Reading,
        })
    }

    /// The layer this stream reads.
    pub fn identity(&self) -> &LayerIdentity {
        &self.id
    }

    /// At the end of the decompressed stream: reads what is left of the blob (so its size and
    /// digest are checked), then compares the diff ID.
    fn finish(&mut self) -> Result<(), ArtifactError> {
        let compression = self.dec.compression();
        io::copy(self.dec.get_mut(), &mut io::sink())
            .map_err(|e| (self.classify)(&self.id, compression, e))?;
        let actual = Digest::sha256_from_bytes(&std::mem::take(&mut self.diff).finalize());
        if actual != self.id.diff_id {
            return Err(ArtifactError::DiffIdMismatch {
                image: self.id.image.clone(),
                layer: self.id.layer.clone(),
                expected: self.id.diff_id.clone(),
                actual,
            });
        }
        Ok(())
    }

    /// A decoding error: if the blob itself does not match its digest or size, that is the
    /// better diagnosis (a tampered blob rarely decompresses), so the rest of it is read first.
    fn decode_failed(&mut self, err: io::Error) -> ArtifactError {
        let compression = self.dec.compression();
        let first = (self.classify)(&self.id, compression, err);
        if matches!(
            first,
            ArtifactError::Decompress { .. } | ArtifactError::Truncated { .. }
        ) {
            if let Err(e) = io::copy(self.dec.get_mut(), &mut io::sink()) {
                let blob = (self.classify)(&self.id, compression, e);
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

impl<R, C> Read for VerifiedLayerStream<R, C>
where
    R: Read,
    C: Fn(&LayerIdentity, Compression, io::Error) -> ArtifactError,
{
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.state {
            State::Done => return Ok(0),
            State::Failed => {
                return Err(self
                    .id
                    .io_error(io::Error::other("the layer stream failed earlier"))
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

impl<R: Read, C> std::fmt::Debug for VerifiedLayerStream<R, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedLayerStream")
            .field("layer", &self.id.layer)
            .field("compression", &self.dec.compression())
            .finish_non_exhaustive()
    }
}

/// A blob's stored bytes, counted and hashed as they pass and checked against the size and
/// digest its descriptor gives when the end is reached: more bytes than the size, or an end
/// before it, is [`ArtifactError::BlobSizeMismatch`]; a SHA-256 digest the bytes do not hash to
/// is [`ArtifactError::BlobDigestMismatch`] (digests of other algorithms are not checked). The
/// errors travel through `read` as [`ArtifactError::into_io`] does; errors of the inner reader
/// pass as they are.
#[derive(Debug)]
pub struct CheckedBlob<R> {
    inner: R,
    hash: Sha256,
    count: u64,
    image: String,
    digest: Digest,
    size: u64,
    /// The end was reached and verified.
    verified: bool,
}

impl<R: Read> CheckedBlob<R> {
    /// Checks `inner`, the blob `digest` of `image` that its descriptor says is `size` bytes.
    pub fn new(inner: R, image: &str, digest: &Digest, size: u64) -> Self {
        CheckedBlob {
            inner,
            hash: Sha256::new(),
            count: 0,
            image: image.to_owned(),
            digest: digest.clone(),
            size,
            verified: false,
        }
    }
}

impl<R: Read> Read for CheckedBlob<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.verified {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        let at_end = n == 0 && !buf.is_empty();
        if self.count > self.size || (at_end && self.count != self.size) {
            return Err(ArtifactError::BlobSizeMismatch {
                image: self.image.clone(),
                digest: self.digest.clone(),
                expected: self.size,
                actual: self.count,
            }
            .into_io());
        }
        if at_end {
            let actual = Digest::sha256_from_bytes(&std::mem::take(&mut self.hash).finalize());
            if self.digest.algorithm() == "sha256" && actual != self.digest {
                return Err(ArtifactError::BlobDigestMismatch {
                    image: self.image.clone(),
                    expected: self.digest.clone(),
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

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn sha(bytes: &[u8]) -> Digest {
        Digest::sha256_from_bytes(&Sha256::digest(bytes))
    }

    /// A small tar holding one file.
    fn tar() -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let data = b"hello, layer\n".repeat(200);
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, "etc/hello", data.as_slice()).unwrap();
        b.into_inner().unwrap()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn identity(blob: &[u8], diff: &[u8]) -> LayerIdentity {
        LayerIdentity {
            image: "img".to_owned(),
            layer: sha(blob),
            diff_id: sha(diff),
            location: PathBuf::from("mem/blobs/x"),
        }
    }

    /// Opens `blob` as layer `id`, checked as a source without its own checks would.
    fn open(blob: &[u8], id: LayerIdentity) -> Result<Vec<u8>, ArtifactError> {
        let raw = CheckedBlob::new(blob, &id.image, &id.layer, blob.len() as u64);
        let mut s = VerifiedLayerStream::open(
            raw,
            id,
            "application/vnd.oci.image.layer.v1.tar+gzip",
            LayerIdentity::decode_error,
        )?;
        let mut out = Vec::new();
        match s.read_to_end(&mut out) {
            Ok(_) => Ok(out),
            Err(e) => {
                let err = ArtifactError::from_io(e).expect("errors are ArtifactErrors");
                // Once failed, always failed.
                let again = s.read(&mut [0; 16]).unwrap_err();
                assert!(matches!(
                    ArtifactError::from_io(again),
                    Ok(ArtifactError::LayerIo { .. })
                ));
                Err(err)
            }
        }
    }

    #[test]
    fn good_layers_decode_and_verify_whatever_their_compression() {
        let tar = tar();
        for blob in [
            tar.clone(),
            gzip(&tar),
            zstd::encode_all(tar.as_slice(), 3).unwrap(),
        ] {
            let out = open(&blob, identity(&blob, &tar)).unwrap();
            assert_eq!(out, tar);
        }
    }

    #[test]
    fn a_diff_id_mismatch_names_the_layer() {
        let tar = tar();
        let blob = gzip(&tar);
        let err = open(&blob, identity(&blob, b"something else")).unwrap_err();
        match &err {
            ArtifactError::DiffIdMismatch {
                layer, expected, ..
            } => {
                assert_eq!(*layer, sha(&blob));
                assert_eq!(*expected, sha(b"something else"));
            }
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("img"), "{err}");
    }

    #[test]
    fn a_blob_digest_mismatch_is_found_at_the_end() {
        let tar = tar();
        let blob = gzip(&tar);
        let mut id = identity(&blob, &tar);
        id.layer = sha(b"another blob");
        let err = open(&blob, id).unwrap_err();
        assert!(
            matches!(err, ArtifactError::BlobDigestMismatch { ref actual, .. } if *actual == sha(&blob)),
            "{err}"
        );
    }

    #[test]
    fn a_corrupt_blob_is_reported_as_tampered_rather_than_undecodable() {
        let tar = tar();
        let good = gzip(&tar);
        let mut bad = good.clone();
        let mid = bad.len() / 2;
        bad[mid..mid + 16].fill(0xff);
        // The descriptor's digest is the good blob's: the digest is the better diagnosis.
        let err = open(&bad, identity(&good, &tar)).unwrap_err();
        assert!(
            matches!(err, ArtifactError::BlobDigestMismatch { .. }),
            "{err}"
        );
        // A blob that matches its digest but is not valid gzip is a decompression error.
        let err = open(&bad, identity(&bad, &tar)).unwrap_err();
        assert!(
            matches!(
                err,
                ArtifactError::Decompress {
                    format: Compression::Gzip,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_stream_is_truncated_or_short() {
        let tar = tar();
        let good = gzip(&tar);
        let cut = &good[..good.len() / 2];
        // The blob's descriptor is right about itself: the gzip stream just ends early.
        let err = open(cut, identity(cut, &tar)).unwrap_err();
        assert!(
            matches!(
                err,
                ArtifactError::Truncated {
                    format: Compression::Gzip,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("truncated"), "{err}");
        // The descriptor gives the full size: the short blob is the better diagnosis.
        let raw = CheckedBlob::new(cut, "img", &sha(&good), good.len() as u64);
        let mut s = VerifiedLayerStream::open(
            raw,
            identity(&good, &tar),
            "application/vnd.oci.image.layer.v1.tar+gzip",
            LayerIdentity::decode_error,
        )
        .unwrap();
        let err = ArtifactError::from_io(s.read_to_end(&mut Vec::new()).unwrap_err()).unwrap();
        assert!(
            matches!(err, ArtifactError::BlobSizeMismatch { expected, actual, .. }
                if expected == good.len() as u64 && actual == cut.len() as u64),
            "{err}"
        );
    }

    #[test]
    fn a_blob_longer_than_its_descriptor_says_is_refused() {
        let tar = tar();
        let raw = CheckedBlob::new(tar.as_slice(), "img", &sha(&tar), 10);
        // The first read (to sniff the compression) already passes the size.
        let err = match VerifiedLayerStream::open(
            raw,
            identity(&tar, &tar),
            "application/vnd.oci.image.layer.v1.tar",
            LayerIdentity::decode_error,
        ) {
            Ok(mut s) => {
                ArtifactError::from_io(s.read_to_end(&mut Vec::new()).unwrap_err()).unwrap()
            }
            Err(e) => e,
        };
        assert!(
            matches!(err, ArtifactError::BlobSizeMismatch { expected: 10, .. }),
            "{err}"
        );
    }

    #[test]
    fn the_classifier_names_errors_of_the_source() {
        /// A source that fails with an error of its own after some bytes.
        struct Flaky(usize);
        impl Read for Flaky {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset"));
                }
                let n = buf.len().min(self.0);
                buf[..n].fill(0);
                self.0 -= n;
                Ok(n)
            }
        }
        let id = identity(b"x", b"y");
        let classify = |id: &LayerIdentity, _: Compression, e: io::Error| {
            if e.kind() == io::ErrorKind::ConnectionReset {
                id.io_error(e)
            } else {
                id.decode_error(Compression::None, e)
            }
        };
        let err = VerifiedLayerStream::open(Flaky(0), id.clone(), "", classify).unwrap_err();
        assert!(
            matches!(err, ArtifactError::LayerIo { ref path, .. } if path == &id.location),
            "{err}"
        );
        let mut s = VerifiedLayerStream::open(Flaky(10), id, "", classify).unwrap();
        let err = ArtifactError::from_io(s.read_to_end(&mut Vec::new()).unwrap_err()).unwrap();
        assert!(matches!(err, ArtifactError::LayerIo { .. }), "{err}");
        assert!(format!("{s:?}").contains("VerifiedLayerStream"));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in [0usize, 1, 2, 3, 4, 17, 512, 4096] {
            for first in [&[0x1f, 0x8b][..], &[0x28, 0xb5, 0x2f, 0xfd][..], &[][..]] {
                let mut blob = first.to_vec();
                while blob.len() < len {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    blob.push(seed as u8);
                }
                // Whatever comes back is a value, never a panic.
                let _ = open(&blob, identity(&blob, &blob));
            }
        }
    }
}
