//! A layer blob streamed from the registry, decompressed and verified as it is read by
//! atalaia-artifact's [`VerifiedLayerStream`] (the same code as containerd's layers).
//!
//! The blob's size and digest are checked by the registry client's [`BlobReader`] at the end of
//! the download; what is left here is to say what its errors mean: a [`RegistryError`] carried
//! through `read` becomes the [`ArtifactError`] the disk path gives for the same fault.

use std::io;
use std::path::PathBuf;

use atalaia_artifact::{ArtifactError, Compression, LayerIdentity, VerifiedLayerStream};
use atalaia_registry::{BlobReader, RegistryError};

use crate::RemoteLayer;

/// The decompressed, verifying stream of one remote layer.
pub(crate) type RemoteLayerStream = VerifiedLayerStream<BlobReader>;

/// Opens the blob of `layer` and starts decoding it.
pub(crate) fn open(layer: &RemoteLayer) -> Result<RemoteLayerStream, ArtifactError> {
    let id = LayerIdentity {
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
        .map_err(|e| registry_error(&id, e))?;
    VerifiedLayerStream::open(blob, id, &layer.media_type, classify)
}

/// An error of the download (from the registry client) as an [`ArtifactError`].
fn registry_error(id: &LayerIdentity, err: RegistryError) -> ArtifactError {
    match err {
        RegistryError::DigestMismatch {
            expected, actual, ..
        } => ArtifactError::BlobDigestMismatch {
            image: id.image.clone(),
            expected,
            actual,
        },
        RegistryError::SizeMismatch {
            digest,
            expected,
            actual,
            ..
        } => ArtifactError::BlobSizeMismatch {
            image: id.image.clone(),
            digest,
            expected,
            actual,
        },
        other => id.io_error(io::Error::other(other)),
    }
}

/// Any error from below the decoder: the download's, or the decoder's own.
fn classify(id: &LayerIdentity, compression: Compression, err: io::Error) -> ArtifactError {
    match RegistryError::from_io(err) {
        Ok(r) => registry_error(id, r),
        Err(err) => id.decode_error(compression, err),
    }
}
