//! The layer decompressor, public: the same inflaters (ISA-L for gzip when built with it, else
//! zlib-rs; zstd; plain) that [`crate::Layer::open`] uses, for layers that come from elsewhere
//! (a registry, containerd's content store, a `docker save` stream).

use std::io::{self, BufRead, Read};

use atalaia_types::Digest;

use crate::layer::{sniff, Decoder, GzipBackend};
use crate::{ArtifactError, Compression};

/// Recognises a layer blob's compression from its first bytes: gzip (`1f 8b`), zstd
/// (`28 b5 2f fd`), anything else is taken as a plain tar.
///
/// The bytes decide, not the media type: real images mislabel plain layers as gzip and vice
/// versa.
pub fn sniff_compression(head: &[u8]) -> Compression {
    sniff(head)
}

/// A decompressing reader over a layer blob from any source, with the same inflaters as the
/// layers of image files: gzip through ISA-L when this build has it ([`crate::gzip_backend`]),
/// else flate2 + zlib-rs (concatenated members are read as one stream, as `gunzip` does); zstd
/// (concatenated frames likewise); or the bytes as they are.
///
/// Errors from `read` are plain [`io::Error`]s: [`io::ErrorKind::UnexpectedEof`] when the
/// compressed stream ends early, another kind when it is corrupt. Turn them into the error the
/// disk path gives, naming the layer, with [`ArtifactError::from_decode_io`]. Errors of the
/// underlying reader come back as they are (an [`ArtifactError`] carried through
/// [`ArtifactError::into_io`] stays recoverable).
///
/// The decompressed size is not limited here: walk the stream with [`crate::walk_tar_named`] (or
/// `atalaia_analyze::analyze_layer_stream`), which stops a decompression bomb at
/// [`crate::Limits::max_layer_bytes`].
///
/// After `read` returns 0 the reader is positioned after the end of the compressed stream; read
/// the rest of it through [`LayerDecoder::get_mut`] (padding after the last gzip member, say) when
/// every byte of the blob must be hashed.
pub struct LayerDecoder<R: BufRead> {
    inner: Decoder<R>,
}

impl<R: BufRead> LayerDecoder<R> {
    /// Decompresses `raw` as `compression`.
    ///
    /// Fails only when the zstd decoder cannot allocate its context, or ISA-L its state.
    pub fn new(raw: R, compression: Compression) -> io::Result<LayerDecoder<R>> {
        let inner = match compression {
            Compression::None => Decoder::Plain(raw),
            Compression::Gzip => Decoder::gzip(raw, GzipBackend::DEFAULT)?,
            Compression::Zstd => {
                Decoder::Zstd(Box::new(zstd::stream::read::Decoder::with_buffer(raw)?))
            }
        };
        Ok(LayerDecoder { inner })
    }

    /// Decompresses `raw` as its first bytes say ([`sniff_compression`]); an empty stream is
    /// taken as plain.
    pub fn detect(mut raw: R) -> io::Result<LayerDecoder<R>> {
        let compression = sniff(raw.fill_buf()?);
        LayerDecoder::new(raw, compression)
    }

    /// The compression being decoded.
    pub fn compression(&self) -> Compression {
        self.inner.compression()
    }

    /// The reader under the decoder (the compressed bytes).
    pub fn get_mut(&mut self) -> &mut R {
        self.inner.raw()
    }
}

impl<R: BufRead> Read for LayerDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: BufRead> std::fmt::Debug for LayerDecoder<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayerDecoder")
            .field("compression", &self.compression())
            .finish_non_exhaustive()
    }
}

impl ArtifactError {
    /// The error a failed read of a [`LayerDecoder`] (or a [`crate::Layer::open`] stream) stands
    /// for, naming the layer as the disk path does: an [`ArtifactError`] carried inside `err` is
    /// returned as it is; [`io::ErrorKind::UnexpectedEof`] is [`ArtifactError::Truncated`]
    /// (the compressed stream ends early); anything else is [`ArtifactError::Decompress`].
    pub fn from_decode_io(
        image: &str,
        layer: &Digest,
        format: Compression,
        err: io::Error,
    ) -> ArtifactError {
        match ArtifactError::from_io(err) {
            Ok(a) => a,
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => ArtifactError::Truncated {
                image: image.to_owned(),
                layer: layer.clone(),
                format,
                err,
            },
            Err(err) => ArtifactError::Decompress {
                image: image.to_owned(),
                layer: layer.clone(),
                format,
                err,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Write};

    fn data() -> Vec<u8> {
        (0..300_000u32)
            .map(|i| {
                if i % 7 == 0 {
                    (i * 13 % 251) as u8
                } else {
                    b"usr/share/doc/"[i as usize % 14]
                }
            })
            .collect()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn read_all(r: &mut impl Read) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        r.read_to_end(&mut out)?;
        Ok(out)
    }

    fn layer() -> Digest {
        Digest::sha256_from_bytes(&[7u8; 32])
    }

    #[test]
    fn detects_and_decodes_every_format() {
        let plain = data();
        let zst = zstd::encode_all(&plain[..], 3).unwrap();
        for (blob, want) in [
            (gzip(&plain), Compression::Gzip),
            (zst, Compression::Zstd),
            (plain.clone(), Compression::None),
        ] {
            let mut d = LayerDecoder::detect(BufReader::with_capacity(4096, &blob[..])).unwrap();
            assert_eq!(d.compression(), want);
            assert_eq!(read_all(&mut d).unwrap(), plain, "{want}");
            // The reader is left at the end of the blob.
            assert!(d.get_mut().fill_buf().unwrap().is_empty());
        }
        let mut empty = LayerDecoder::detect(&b""[..]).unwrap();
        assert_eq!(empty.compression(), Compression::None);
        assert!(read_all(&mut empty).unwrap().is_empty());
    }

    #[test]
    fn truncated_and_corrupt_streams_name_the_layer() {
        let blob = gzip(&data());
        let mut d = LayerDecoder::new(&blob[..blob.len() / 2], Compression::Gzip).expect("decoder");
        let err = read_all(&mut d).expect_err("truncated");
        let err = ArtifactError::from_decode_io("img", &layer(), Compression::Gzip, err);
        assert!(
            matches!(
                err,
                ArtifactError::Truncated {
                    format: Compression::Gzip,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains(layer().as_str()), "{err}");

        let mut bad = blob.clone();
        for b in &mut bad[10..blob.len() - 8] {
            *b = 0xff;
        }
        let err = read_all(&mut LayerDecoder::new(&bad[..], Compression::Gzip).unwrap())
            .expect_err("corrupt");
        let err = ArtifactError::from_decode_io("img", &layer(), Compression::Gzip, err);
        assert!(matches!(err, ArtifactError::Decompress { .. }), "{err:?}");

        let zst = zstd::encode_all(&data()[..], 3).unwrap();
        let err =
            read_all(&mut LayerDecoder::new(&zst[..zst.len() - 10], Compression::Zstd).unwrap())
                .expect_err("truncated zstd");
        let err = ArtifactError::from_decode_io("img", &layer(), Compression::Zstd, err);
        assert!(
            matches!(
                err,
                ArtifactError::Truncated {
                    format: Compression::Zstd,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn an_artifact_error_from_below_comes_back_as_itself() {
        let inner = ArtifactError::BlobSizeMismatch {
            image: "img".into(),
            digest: layer(),
            expected: 10,
            actual: 9,
        };
        let err =
            ArtifactError::from_decode_io("img", &layer(), Compression::Gzip, inner.into_io());
        assert!(
            matches!(err, ArtifactError::BlobSizeMismatch { .. }),
            "{err:?}"
        );
    }
}
