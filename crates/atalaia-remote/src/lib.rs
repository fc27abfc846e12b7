//! Images straight from a registry, with no temporary copy.
//!
//! ```text
//! "host/repo:tag" ──► Client::manifest ──(index → the platform's manifest)──► config blob
//!        └─ RemoteImage { metadata (= what atalaia-artifact gives for the same image), layers }
//!              └─ RemoteLayer::open: GET blob ──► sha256(blob) ──► gzip | zstd | plain
//!                                     (by magic bytes) ──► sha256(diff) ──► Read (a tar stream)
//! ```
//!
//! [`RemoteLayer`] implements [`atalaia_analyze::LayerSource`], so the layers go through
//! [`atalaia_analyze::analyze_layers`] like those of an image file: in parallel, each walked
//! once, and not fetched at all when the layer cache holds their analysis (a re-scan whose
//! layers are all cached downloads only the manifest and the config). A layer's blob digest and
//! diff ID are verified as it streams; a mismatch is an error at the end of the stream.
//!
//! The metadata ([`RemoteImage::metadata`]) has the same image ID, diff IDs, config and layer
//! infos as [`atalaia_artifact::open_image`] gives for the same image in an OCI layout; its repo
//! tag is the reference as given and its repo digest `registry/repository@<pulled digest>`, as
//! Trivy reports them for remote images.
#![deny(missing_docs)]

mod stream;

use std::io::Read;
use std::sync::Arc;

use atalaia_analyze::{AnalyzeError, AnalyzeOptions, LayerSource};
use atalaia_artifact::{
    check_image_manifest, select_platform, ArtifactError, BlobRef, DocumentFault, ImageDescription,
    PlatformRef,
};
use atalaia_registry::{
    Client, Descriptor, FetchedManifest, ImageManifest, ManifestContent, Platform, Reference,
    RegistryError, ACCEPTED_MANIFESTS,
};
use atalaia_types::{ArtifactMetadata, Digest, Inventory, LayerInfo};

/// The platform chosen from a multi-platform index when none is given.
pub const DEFAULT_PLATFORM: &str = "linux/amd64";
/// Image configs larger than this are refused.
const MAX_CONFIG_BYTES: u64 = 64 << 20;

/// Pulling an image's description failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The registry refused, failed or sent something invalid.
    #[error("cannot pull `{image}`: {err}")]
    Registry {
        /// The image as given.
        image: String,
        /// The registry error (never holds credentials).
        #[source]
        err: Box<RegistryError>,
    },
    /// The platform does not parse.
    #[error(
        "invalid platform `{value}` (expected `os/arch` or `os/arch/variant`, e.g. `linux/amd64`)"
    )]
    BadPlatform {
        /// The value given.
        value: String,
    },
    /// The manifest or config says something impossible.
    #[error("`{what}` of `{image}` is invalid: {problem}")]
    BadDocument {
        /// The image as given.
        image: String,
        /// The document (`config sha256:…`, `manifest sha256:…`).
        what: String,
        /// What is wrong.
        problem: String,
    },
    /// A manifest, config or layer has a media type this reader does not handle.
    #[error("`{what}` of `{image}` has unsupported media type `{media_type}`")]
    UnsupportedMediaType {
        /// The image as given.
        image: String,
        /// The blob or manifest.
        what: String,
        /// Its media type.
        media_type: String,
    },
}

impl RemoteError {
    /// Whether the registry refused the credentials (the CLI exits 2 on this).
    pub fn is_auth(&self) -> bool {
        matches!(self, RemoteError::Registry { err, .. } if err.is_auth())
    }

    /// The registry error, if that is what this is.
    pub fn registry_error(&self) -> Option<&RegistryError> {
        match self {
            RemoteError::Registry { err, .. } => Some(&**err),
            _ => None,
        }
    }

    /// A fault of the manifest or config of `image`.
    fn document(image: &str, fault: DocumentFault) -> RemoteError {
        match fault {
            DocumentFault::UnsupportedMediaType { what, media_type } => {
                RemoteError::UnsupportedMediaType {
                    image: image.to_owned(),
                    what,
                    media_type,
                }
            }
            DocumentFault::Invalid { what, problem } => RemoteError::BadDocument {
                image: image.to_owned(),
                what,
                problem,
            },
        }
    }
}

/// An image in a registry: its metadata and layers, lowest first. Nothing of the layers has been
/// downloaded yet.
#[derive(Debug, Clone)]
pub struct RemoteImage {
    /// The image as given (`127.0.0.1:5000/corpus/alpine:3.20`).
    pub name: String,
    /// The parsed reference.
    pub reference: Reference,
    /// The digest of what the reference names (an index for multi-platform images).
    pub pulled_digest: Digest,
    /// Image ID, diff IDs, repo tags/digests, config, layers.
    pub metadata: ArtifactMetadata,
    /// The layers, lowest first.
    pub layers: Vec<RemoteLayer>,
}

/// One layer of a [`RemoteImage`]; [`LayerSource::open`] streams it from the registry.
#[derive(Debug, Clone)]
pub struct RemoteLayer {
    /// Digests, size and history line.
    pub info: LayerInfo,
    /// The blob's media type as the manifest gives it.
    pub media_type: String,
    pub(crate) descriptor: Descriptor,
    pub(crate) client: Arc<Client>,
    pub(crate) reference: Reference,
    pub(crate) image: Arc<str>,
}

impl RemoteLayer {
    /// A name for this layer in messages: ``Layer `sha256:…` of `image` ``.
    pub fn display_name(&self) -> String {
        format!("Layer `{}` of `{}`", self.info.digest, self.image)
    }
}

impl LayerSource for RemoteLayer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        tracing::debug!(layer = %self.info.digest, image = %self.image, "streaming layer from the registry");
        Ok(Box::new(stream::open(self)?))
    }
}

/// A platform of the registry client as atalaia-artifact compares them.
fn platform_ref(p: &Platform) -> PlatformRef<'_> {
    PlatformRef::new(&p.os, &p.architecture, p.variant.as_deref())
}

/// A descriptor of the registry client as atalaia-artifact checks them.
fn blob_ref(d: &Descriptor) -> BlobRef<'_> {
    BlobRef::new(&d.media_type, &d.digest, d.size)
}

/// Fetches the description of `image` (a reference as Docker parses it) for `platform`
/// (`os/arch[/variant]`, default [`DEFAULT_PLATFORM`]): the manifest (through an index when
/// there is one) and the config. No layer is downloaded.
pub fn open_remote_image(
    client: Arc<Client>,
    image: &str,
    platform: Option<&str>,
) -> Result<RemoteImage, RemoteError> {
    let reg = |err| RemoteError::Registry {
        image: image.to_owned(),
        err: Box::new(err),
    };
    let reference: Reference = image.parse().map_err(reg)?;
    let platform_text = platform.unwrap_or(DEFAULT_PLATFORM);
    let wanted = Platform::parse(platform_text).ok_or_else(|| RemoteError::BadPlatform {
        value: platform_text.to_owned(),
    })?;
    let top = client.manifest(&reference).map_err(reg)?;
    let pulled_digest = top.digest.clone();
    let (fetched, manifest) = resolve(&client, &reference, image, top, &wanted)?;
    let doc = |fault| RemoteError::document(image, fault);
    let config_desc = &manifest.config;
    let layer_refs: Vec<BlobRef<'_>> = manifest.layers.iter().map(blob_ref).collect();
    check_image_manifest(
        &fetched.digest,
        manifest.media_type.as_deref(),
        blob_ref(config_desc),
        Some(MAX_CONFIG_BYTES),
        &layer_refs,
    )
    .map_err(doc)?;
    let mut config_bytes = Vec::with_capacity(config_desc.size as usize);
    client
        .fetch_blob(&reference, config_desc, &mut config_bytes, &mut |_| {})
        .map_err(reg)?;
    let described =
        ImageDescription::from_config(blob_ref(config_desc), &config_bytes, &layer_refs)
            .map_err(doc)?;
    let name: Arc<str> = Arc::from(image);
    let layers: Vec<RemoteLayer> = manifest
        .layers
        .iter()
        .zip(&described.layers)
        .map(|(d, info)| RemoteLayer {
            info: info.clone(),
            media_type: d.media_type.clone(),
            descriptor: d.clone(),
            client: client.clone(),
            reference: reference.clone(),
            image: name.clone(),
        })
        .collect();
    let repo_tags = if reference.tag().is_some() {
        vec![image.to_owned()]
    } else {
        Vec::new()
    };
    // As go-containerregistry names Docker Hub repositories.
    let registry = match reference.registry() {
        atalaia_registry::DOCKER_HUB => "index.docker.io",
        other => other,
    };
    let repo_digests = vec![format!(
        "{registry}/{}@{pulled_digest}",
        reference.repository()
    )];
    let metadata = described.into_metadata(repo_tags, repo_digests, fetched.digest.clone());
    Ok(RemoteImage {
        name: image.to_owned(),
        reference,
        pulled_digest,
        metadata,
        layers,
    })
}

/// Follows an index to the manifest for `wanted`.
fn resolve(
    client: &Client,
    reference: &Reference,
    image: &str,
    top: FetchedManifest,
    wanted: &Platform,
) -> Result<(FetchedManifest, ImageManifest), RemoteError> {
    let reg = |err| RemoteError::Registry {
        image: image.to_owned(),
        err: Box::new(err),
    };
    let index = match &top.content {
        ManifestContent::Image(m) => {
            let m = m.clone();
            return Ok((top, m));
        }
        ManifestContent::Index(i) => i,
    };
    let candidates: Vec<&Descriptor> = index
        .manifests
        .iter()
        .filter(|d| ACCEPTED_MANIFESTS.contains(&d.media_type.as_str()))
        .collect();
    let chosen = select_platform(&candidates, platform_ref(wanted), |d| {
        d.platform.as_ref().map(platform_ref)
    })
    .ok_or_else(|| {
        reg(RegistryError::NoMatchingPlatform {
            reference: image.to_owned(),
            platform: wanted.to_string(),
            available: candidates
                .iter()
                .filter_map(|d| d.platform.as_ref().map(ToString::to_string))
                .collect::<Vec<_>>()
                .join(", "),
        })
    })?;
    let child = client
        .manifest(&reference.with_digest(chosen.digest.clone()))
        .map_err(reg)?;
    match &child.content {
        ManifestContent::Image(m) => {
            let m = m.clone();
            Ok((child, m))
        }
        ManifestContent::Index(_) => Err(RemoteError::BadDocument {
            image: image.to_owned(),
            what: format!("index {}", top.digest),
            problem: "its entry for the platform is itself an index".to_owned(),
        }),
    }
}

/// Analyses a remote image: every layer once (or from `opts.cache`), in parallel, merged into
/// the inventory.
pub fn analyze_remote_image(
    image: &RemoteImage,
    opts: &AnalyzeOptions,
) -> Result<Inventory, AnalyzeError> {
    atalaia_analyze::analyze_layer_sources(&image.layers, opts)
}

/// Like [`analyze_remote_image`], also reporting the secrets of every layer (see
/// [`atalaia_analyze::analyze_image_full`]).
pub fn analyze_remote_image_full(
    image: &RemoteImage,
    opts: &AnalyzeOptions,
) -> Result<atalaia_analyze::Analysis, AnalyzeError> {
    atalaia_analyze::analyze_image_layers(&image.layers, opts, Default::default())
        .map(|r| r.analysis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_match_like_the_layout_reader() {
        let p = |s: &str| Platform::parse(s).unwrap();
        let matches = |w: &str, e: &str| platform_ref(&p(w)).accepts(platform_ref(&p(e)));
        assert!(matches("linux/amd64", "linux/x86_64"));
        assert!(matches("linux/arm64/v8", "linux/arm64"));
        assert!(matches("linux/arm64", "linux/arm64/v8"));
        assert!(!matches("linux/arm/v7", "linux/arm/v6"));
        assert!(!matches("linux/amd64", "windows/amd64"));
    }

    #[test]
    fn bad_inputs_are_errors_before_any_request() {
        let client = Arc::new(
            Client::builder()
                .use_docker_config(false)
                .retries(1)
                .build()
                .unwrap(),
        );
        let err = open_remote_image(client.clone(), "UPPER/Case:x", None).unwrap_err();
        assert!(matches!(err, RemoteError::Registry { .. }), "{err}");
        let err = open_remote_image(client, "127.0.0.1:1/a:b", Some("linux")).unwrap_err();
        assert!(matches!(err, RemoteError::BadPlatform { .. }), "{err}");
    }
}
