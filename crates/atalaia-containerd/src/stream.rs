//! A layer blob streamed from the content store, decompressed and verified as it is read by
//! atalaia-artifact's [`VerifiedLayerStream`] (the same code as the registry's layers).
//!
//! containerd does not check what it sends, so the stored bytes go through a [`CheckedBlob`]
//! (counted and hashed, checked against the descriptor at their end); what is left here is to
//! say what the content store's errors mean: a failed `Content.Read` is a failure to read the
//! layer from `<socket>#<namespace>/<digest>`.

use std::io;
use std::path::PathBuf;

use atalaia_artifact::{
    ArtifactError, CheckedBlob, Compression, LayerIdentity, VerifiedLayerStream,
};

use crate::content::ContentReader;
use crate::error::ContainerdError;
use crate::ContainerdLayer;

/// The decompressed, verifying stream of one containerd layer.
pub(crate) type LayerStream = VerifiedLayerStream<CheckedBlob<ContentReader>>;

/// Starts reading the blob of `layer` and decoding it.
pub(crate) fn open(layer: &ContainerdLayer) -> Result<LayerStream, ArtifactError> {
    let id = LayerIdentity {
        image: layer.image.to_string(),
        layer: layer.info.digest.clone(),
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
    .map_err(|e| id.io_error(io::Error::other(e)))?;
    let blob = CheckedBlob::new(reader, &id.image, &id.layer, layer.info.size);
    VerifiedLayerStream::open(blob, id, &layer.media_type, classify)
}

/// Any error from below the decoder: the content store's (a failure to read the layer), the
/// blob check's (already an [`ArtifactError`]), or the decoder's own.
fn classify(id: &LayerIdentity, compression: Compression, err: io::Error) -> ArtifactError {
    if err.get_ref().is_some_and(|e| e.is::<ContainerdError>()) {
        id.io_error(err)
    } else {
        id.decode_error(compression, err)
    }
}
