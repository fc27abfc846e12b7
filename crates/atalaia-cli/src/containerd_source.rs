//! The containerd image source (`--image-src containerd`): the socket of `CONTAINERD_ADDRESS`
//! (default `/run/containerd/containerd.sock`) and the namespace of `CONTAINERD_NAMESPACE`
//! (default `default`), as Trivy reads them. The image's manifest and config come from
//! containerd's content store, then its layers are streamed into the analyzers (those the layer
//! cache holds are not read).
//!
//! No socket, no access, no containerd, no such namespace or image: the source is absent and the
//! next one is tried. Anything else (a bad address, a corrupt blob, a platform the image lacks)
//! is an error.

use atalaia_analyze::{AnalyzeOptions, ImageParts};
use atalaia_containerd::{ContainerdClient, ContainerdError};

use crate::args::ImageSrc;
use crate::printer::Hinted;
use crate::source::FoundImage;

/// Why containerd does not have the image, and what to do about it.
pub(crate) struct Absent {
    /// A short reason, for the error listing what each source answered.
    pub(crate) why: String,
    /// What the user can do.
    pub(crate) hint: String,
}

/// Analyses `name` from containerd (`platform`: `os/arch[/variant]` of a multi-platform image),
/// through the image-level cache (a cached image's layers are not read); `parts` says what to
/// collect beyond the inventory and the secrets.
pub(crate) fn find(
    name: &str,
    platform: Option<&str>,
    analyze: &AnalyzeOptions,
    parts: ImageParts,
) -> anyhow::Result<Result<FoundImage, Absent>> {
    let client = ContainerdClient::from_env()
        .map_err(|e| error(e, "Cannot use containerd's address".to_owned()))?;
    let image = match client.open_image(name, platform) {
        Ok(image) => image,
        Err(e) if e.is_unavailable() => {
            let why = match &e {
                ContainerdError::NoSuchImage {
                    namespace, socket, ..
                } => format!(
                    "not in namespace `{namespace}` of containerd on `{}`",
                    socket.display()
                ),
                _ => e.to_string(),
            };
            let hint = e.hint().unwrap_or_else(|| {
                "Pull the image into containerd first (`ctr images pull`)".to_owned()
            });
            return Ok(Err(Absent { why, hint }));
        }
        Err(e) => return Err(error(e, format!("Failed to read `{name}` from containerd"))),
    };
    let analyzed =
        atalaia_analyze::analyze_image_layers(&image.layers, analyze, parts).map_err(|e| {
            anyhow::Error::new(e).context(format!("Failed to analyse `{name}` from containerd"))
        })?;
    Ok(Ok(FoundImage {
        name: image.name,
        source: ImageSrc::Containerd,
        location: format!(
            "{}, namespace `{}`",
            image.socket.display(),
            image.namespace
        ),
        metadata: image.metadata,
        analysis: analyzed.analysis,
        config_files: analyzed.config_files,
    }))
}

/// A containerd error under `message`, with its hint when it has one.
fn error(e: ContainerdError, message: String) -> anyhow::Error {
    match e.hint() {
        Some(hint) => anyhow::Error::new(e).context(Hinted::new(message, hint)),
        None => anyhow::Error::new(e).context(message),
    }
}
