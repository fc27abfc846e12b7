//! Images of containerd's content store, read over containerd's gRPC API on its unix socket,
//! with no temporary copy.
//!
//! ```text
//! CONTAINERD_ADDRESS (/run/containerd/containerd.sock), CONTAINERD_NAMESPACE (default)
//!   └─ ContainerdClient ── gRPC over HTTP/2 (h2) on a UnixStream, one connection, header
//!        │                  `containerd-namespace`
//!        ├─ Images.Get("docker.io/library/alpine:3.20") ─► target descriptor
//!        ├─ Content.Read(index) ─► the platform's manifest ─► Content.Read(manifest, config)
//!        │     └─ ContainerdImage { metadata (= what atalaia-artifact gives for the image), layers }
//!        └─ ContainerdLayer::open: Content.Read(layer), streamed ──► sha256(blob)
//!              ──► gzip | zstd | plain (by magic bytes) ──► sha256(diff) ──► Read (a tar stream)
//! ```
//!
//! [`ContainerdLayer`] implements [`atalaia_analyze::LayerSource`], so the layers go through
//! [`atalaia_analyze::analyze_layers`] like those of an image file: in parallel (one HTTP/2
//! stream each), each read once, and not read at all when the layer cache holds their analysis.
//! Names are looked up as Docker normalises them (`alpine` is `docker.io/library/alpine:latest`),
//! which is how containerd stores them; the name as given is tried next.
//!
//! The API is blocking: a [`ContainerdClient`] owns a one-worker tokio runtime that drives the
//! HTTP/2 connection, and its callers block on it. Do not call it from inside an async runtime.
#![deny(missing_docs)]

mod content;
mod error;
mod grpc;
mod proto;
mod stream;
#[cfg(feature = "testing")]
pub mod testing;

/// Entry points for the fuzz targets under `fuzz/` (not an API).
#[doc(hidden)]
pub mod fuzzing {
    /// Splits `body` (fed in chunks of `chunk` bytes) into gRPC messages as a response body is,
    /// and decodes each as every response type this client reads. Returns how many messages
    /// decoded as an image; never panics.
    pub fn grpc_body(body: &[u8], chunk: usize) -> usize {
        use crate::grpc::{decode, MessageDecoder};
        use crate::proto::{
            GetImageResponse, ListImagesResponse, ListNamespacesResponse, ReadContentResponse,
        };
        let mut decoder = MessageDecoder::default();
        let mut images = 0;
        for part in body.chunks(chunk.max(1)) {
            decoder.push(part);
            while let Ok(Some(m)) = decoder.next_message() {
                if let Ok(r) = decode::<GetImageResponse>(&m) {
                    let name = r.image.as_ref().map(|i| i.name.clone()).unwrap_or_default();
                    if crate::descriptor(r.image.and_then(|i| i.target), &name).is_ok() {
                        images += 1;
                    }
                }
                let _ = decode::<ReadContentResponse>(&m);
                let _ = decode::<ListImagesResponse>(&m);
                let _ = decode::<ListNamespacesResponse>(&m);
            }
        }
        let _ = decoder.finish();
        images
    }
}

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use atalaia_analyze::{AnalyzeError, AnalyzeOptions, LayerSource};
use atalaia_artifact::{
    check_image_manifest, select_platform, ArtifactError, BlobRef, DocumentFault, ImageDescription,
    PlatformRef,
};
use atalaia_registry::{
    Descriptor, ImageIndex, ImageManifest, Platform, Reference, DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST,
};
use atalaia_types::{ArtifactMetadata, Digest, Inventory, LayerInfo};

pub use content::ContentReader;
pub use error::ContainerdError;
use grpc::Channel;

/// The socket containerd listens on by default.
pub const DEFAULT_ADDRESS: &str = "/run/containerd/containerd.sock";
/// The environment variable naming containerd's socket (as Trivy and `ctr` read it).
pub const ADDRESS_ENV: &str = "CONTAINERD_ADDRESS";
/// The environment variable naming the containerd namespace (as Trivy and `ctr` read it).
pub const NAMESPACE_ENV: &str = "CONTAINERD_NAMESPACE";
/// The namespace used when none is given.
pub const DEFAULT_NAMESPACE: &str = "default";
/// The platform chosen from a multi-platform index when none is given.
pub const DEFAULT_PLATFORM: &str = "linux/amd64";
/// How long a call (or a wait for the next chunk of a blob) may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Indexes and manifests larger than this are refused.
const MAX_MANIFEST_BYTES: u64 = 4 << 20;
/// Image configs larger than this are refused.
const MAX_CONFIG_BYTES: u64 = 64 << 20;

/// The socket path of a containerd address: `unix:///path`, `unix://path` or a plain path.
pub fn parse_address(value: &str) -> Result<PathBuf, ContainerdError> {
    let bad = |reason: &str| ContainerdError::BadAddress {
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let path = if let Some(rest) = value.strip_prefix("unix://") {
        rest
    } else if value.contains("://") {
        return Err(bad("only unix sockets are supported"));
    } else {
        value
    };
    if path.is_empty() {
        return Err(bad("it names no socket path"));
    }
    Ok(PathBuf::from(path))
}

/// The names to look an image up by, most likely first: the name as Docker normalises it
/// (`alpine` → `docker.io/library/alpine:latest`), then the name as given if that differs.
pub fn candidate_names(name: &str) -> Result<Vec<String>, ContainerdError> {
    let reference: Reference =
        name.parse().map_err(
            |e: atalaia_registry::RegistryError| ContainerdError::BadName {
                name: name.to_owned(),
                reason: e.to_string(),
            },
        )?;
    let full = if reference.tag().is_none() && reference.digest().is_none() {
        reference.with_tag("latest")
    } else {
        reference
    };
    let mut names = vec![full.to_string()];
    if names[0] != name {
        names.push(name.to_owned());
    }
    Ok(names)
}

/// An image record of containerd's image store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRecord {
    /// The name it is stored under (`docker.io/library/alpine:3.20`).
    pub name: String,
    /// What the name points at: an index or a manifest.
    pub target: Descriptor,
}

/// A client of containerd's API on one socket, in one namespace. Cheap to clone; every clone
/// shares one connection.
#[derive(Debug, Clone)]
pub struct ContainerdClient {
    channel: Arc<Channel>,
    namespace: String,
}

impl ContainerdClient {
    /// A client of the containerd on `socket`, in `namespace` (an empty one is
    /// [`DEFAULT_NAMESPACE`]), with [`DEFAULT_TIMEOUT`]. Nothing is connected yet.
    pub fn new(socket: impl Into<PathBuf>, namespace: &str) -> Result<Self, ContainerdError> {
        Self::with_timeout(socket, namespace, DEFAULT_TIMEOUT)
    }

    /// Like [`ContainerdClient::new`], with another timeout per call and per blob chunk.
    pub fn with_timeout(
        socket: impl Into<PathBuf>,
        namespace: &str,
        timeout: Duration,
    ) -> Result<Self, ContainerdError> {
        let namespace = if namespace.is_empty() {
            DEFAULT_NAMESPACE
        } else {
            namespace
        };
        Ok(ContainerdClient {
            channel: Channel::new(socket.into(), timeout)?,
            namespace: namespace.to_owned(),
        })
    }

    /// The client Trivy would use: `CONTAINERD_ADDRESS` (else [`DEFAULT_ADDRESS`]) and
    /// `CONTAINERD_NAMESPACE` (else [`DEFAULT_NAMESPACE`]).
    pub fn from_env() -> Result<Self, ContainerdError> {
        let address = std::env::var(ADDRESS_ENV)
            .ok()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| DEFAULT_ADDRESS.to_owned());
        let namespace = std::env::var(NAMESPACE_ENV).unwrap_or_default();
        Self::new(parse_address(&address)?, &namespace)
    }

    /// The socket.
    pub fn socket(&self) -> &Path {
        &self.channel.socket
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The image stored under exactly `name`; `None` when there is none.
    pub fn get_image(&self, name: &str) -> Result<Option<ImageRecord>, ContainerdError> {
        let req = proto::GetImageRequest {
            name: name.to_owned(),
        };
        let resp: proto::GetImageResponse =
            match self
                .channel
                .unary(proto::method::IMAGES_GET, Some(&self.namespace), &req)
            {
                Ok(r) => r,
                Err(e) if e.is_not_found() => return Ok(None),
                Err(e) => return Err(e),
            };
        let bad = |problem: String| ContainerdError::BadResponse {
            socket: self.socket().to_owned(),
            method: proto::method::IMAGES_GET.to_owned(),
            problem,
        };
        let image = resp
            .image
            .ok_or_else(|| bad(format!("no image in the answer for `{name}`")))?;
        Ok(Some(ImageRecord {
            target: descriptor(image.target, &image.name).map_err(bad)?,
            name: image.name,
        }))
    }

    /// The names of the images in the namespace (for messages and tests).
    pub fn list_images(&self) -> Result<Vec<String>, ContainerdError> {
        Ok(self
            .list_image_records(&[])?
            .into_iter()
            .map(|r| r.name)
            .collect())
    }

    /// The images of the namespace matching any of `filters` (containerd's filter syntax,
    /// `name=="docker.io/library/alpine:3.20"`, `target.digest=="sha256:…"`), sorted by name;
    /// all of them when there is no filter.
    pub fn list_image_records(
        &self,
        filters: &[String],
    ) -> Result<Vec<ImageRecord>, ContainerdError> {
        let resp: proto::ListImagesResponse = self.channel.unary(
            proto::method::IMAGES_LIST,
            Some(&self.namespace),
            &proto::ListImagesRequest {
                filters: filters.to_vec(),
            },
        )?;
        let mut records = resp
            .images
            .into_iter()
            .map(|i| {
                Ok(ImageRecord {
                    target: descriptor(i.target, &i.name).map_err(|problem| {
                        ContainerdError::BadResponse {
                            socket: self.socket().to_owned(),
                            method: proto::method::IMAGES_LIST.to_owned(),
                            problem,
                        }
                    })?,
                    name: i.name,
                })
            })
            .collect::<Result<Vec<_>, ContainerdError>>()?;
        records.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(records)
    }

    /// The namespaces of this containerd.
    pub fn namespaces(&self) -> Result<Vec<String>, ContainerdError> {
        let resp: proto::ListNamespacesResponse = self.channel.unary(
            proto::method::NAMESPACES_LIST,
            None,
            &proto::ListNamespacesRequest::default(),
        )?;
        let mut names: Vec<String> = resp.namespaces.into_iter().map(|n| n.name).collect();
        names.sort();
        Ok(names)
    }

    /// Reads the blob `digest` of the content store from `offset` to its end, as it streams.
    pub fn read_blob(&self, digest: &str, offset: u64) -> Result<ContentReader, ContainerdError> {
        ContentReader::open(&self.channel, &self.namespace, digest, offset)
    }

    /// Looks `name` up (see [`candidate_names`]): the record, or a clear
    /// [`ContainerdError::NoSuchImage`] / [`ContainerdError::EmptyNamespace`]. As in Trivy, a
    /// bare digest (`sha256:…`) finds the image whose target it is, and `repo@sha256:…` also
    /// finds an image of that repository stored under a tag whose target is that digest.
    pub fn find_image(&self, name: &str) -> Result<ImageRecord, ContainerdError> {
        let mut tried = Vec::new();
        if let Some(digest) = name.parse::<Digest>().ok().filter(|_| name.contains(':')) {
            tried.push(format!("an image whose target is {digest}"));
            if let Some(record) = self.by_target(&digest, None)?.into_iter().next() {
                return Ok(record);
            }
            return Err(self.not_found(name, tried));
        }
        tried = candidate_names(name)?;
        for candidate in &tried {
            if let Some(record) = self.get_image(candidate)? {
                return Ok(record);
            }
        }
        if let Ok(reference) = tried[0].parse::<Reference>() {
            if let Some(digest) = reference.digest() {
                let repo = (reference.registry(), reference.repository());
                if let Some(record) = self.by_target(digest, Some(repo))?.into_iter().next() {
                    return Ok(record);
                }
                tried.push(format!(
                    "an image of `{}/{}` whose target is {digest}",
                    repo.0, repo.1
                ));
            }
        }
        Err(self.not_found(name, tried))
    }

    /// The images (sorted by name) whose target is `digest`, of repository `repo` if given.
    fn by_target(
        &self,
        digest: &Digest,
        repo: Option<(&str, &str)>,
    ) -> Result<Vec<ImageRecord>, ContainerdError> {
        let filter = format!("target.digest==\"{digest}\"");
        let mut records = self.list_image_records(&[filter])?;
        records.retain(|r| {
            r.target.digest == *digest
                && repo.is_none_or(|(registry, repository)| {
                    r.name
                        .parse::<Reference>()
                        .is_ok_and(|n| n.registry() == registry && n.repository() == repository)
                })
        });
        Ok(records)
    }

    /// [`ContainerdError::EmptyNamespace`] when the namespace does not exist, else
    /// [`ContainerdError::NoSuchImage`].
    fn not_found(&self, name: &str, tried: Vec<String>) -> ContainerdError {
        match self.namespaces() {
            Ok(namespaces) if !namespaces.contains(&self.namespace) => {
                ContainerdError::EmptyNamespace {
                    socket: self.socket().to_owned(),
                    namespace: self.namespace.clone(),
                    name: name.to_owned(),
                    others: namespaces,
                }
            }
            Ok(_) => ContainerdError::NoSuchImage {
                socket: self.socket().to_owned(),
                namespace: self.namespace.clone(),
                name: name.to_owned(),
                tried,
            },
            Err(e) => e,
        }
    }

    /// Finds `name` and reads its description for `platform` (`os/arch[/variant]`, default
    /// [`DEFAULT_PLATFORM`]): the index if there is one, the manifest and the config. No layer
    /// is read.
    pub fn open_image(
        &self,
        name: &str,
        platform: Option<&str>,
    ) -> Result<ContainerdImage, ContainerdError> {
        let platform_text = platform.unwrap_or(DEFAULT_PLATFORM);
        let wanted =
            Platform::parse(platform_text).ok_or_else(|| ContainerdError::BadPlatform {
                value: platform_text.to_owned(),
            })?;
        let record = self.find_image(name)?;
        tracing::debug!(name, stored = %record.name, target = %record.target.digest, "found the image in containerd");
        let manifest_desc = self.resolve(&record, name, &wanted)?;
        let manifest_bytes = self.blob(name, "manifest", &manifest_desc, MAX_MANIFEST_BYTES)?;
        let manifest: ImageManifest =
            serde_json::from_slice(&manifest_bytes).map_err(|e| ContainerdError::BadDocument {
                image: name.to_owned(),
                what: format!("manifest {}", manifest_desc.digest),
                problem: format!("not a JSON image manifest: {e}"),
            })?;
        build_image(self, name, &record, &manifest_desc, &manifest)
    }

    /// Reads a small blob whole, verified.
    fn blob(
        &self,
        image: &str,
        what: &str,
        desc: &Descriptor,
        limit: u64,
    ) -> Result<Vec<u8>, ContainerdError> {
        content::read_verified(
            &self.channel,
            &self.namespace,
            image,
            what,
            &desc.digest,
            desc.size,
            limit,
        )
    }

    /// Follows the target to the manifest for `wanted` (through an index if it is one).
    fn resolve(
        &self,
        record: &ImageRecord,
        image: &str,
        wanted: &Platform,
    ) -> Result<Descriptor, ContainerdError> {
        let target = &record.target;
        match target.media_type.as_str() {
            OCI_MANIFEST | DOCKER_MANIFEST => return Ok(target.clone()),
            OCI_INDEX | DOCKER_MANIFEST_LIST => {}
            other => {
                return Err(ContainerdError::UnsupportedMediaType {
                    image: image.to_owned(),
                    what: format!("target {}", target.digest),
                    media_type: other.to_owned(),
                })
            }
        }
        let bytes = self.blob(image, "index", target, MAX_MANIFEST_BYTES)?;
        let index: ImageIndex =
            serde_json::from_slice(&bytes).map_err(|e| ContainerdError::BadDocument {
                image: image.to_owned(),
                what: format!("index {}", target.digest),
                problem: format!("not a JSON image index: {e}"),
            })?;
        choose_platform(&index, image, wanted).cloned()
    }
}

/// A descriptor of the API as a registry descriptor.
fn descriptor(d: Option<proto::Descriptor>, image: &str) -> Result<Descriptor, String> {
    let d = d.ok_or_else(|| format!("image `{image}` has no target"))?;
    let digest: Digest = d
        .digest
        .parse()
        .map_err(|_| format!("the target of `{image}` has digest `{}`", d.digest))?;
    let size = u64::try_from(d.size)
        .map_err(|_| format!("the target of `{image}` has size {}", d.size))?;
    Ok(Descriptor {
        media_type: d.media_type,
        digest,
        size,
        artifact_type: None,
        platform: None,
        annotations: d.annotations.into_iter().collect(),
    })
}

/// A platform of the registry types as atalaia-artifact compares them.
fn platform_ref(p: &Platform) -> PlatformRef<'_> {
    PlatformRef::new(&p.os, &p.architecture, p.variant.as_deref())
}

/// A descriptor of the registry types as atalaia-artifact checks them.
fn blob_ref(d: &Descriptor) -> BlobRef<'_> {
    BlobRef::new(&d.media_type, &d.digest, d.size)
}

/// A fault of the manifest or config of `image`.
fn document_error(image: &str, fault: DocumentFault) -> ContainerdError {
    match fault {
        DocumentFault::UnsupportedMediaType { what, media_type } => {
            ContainerdError::UnsupportedMediaType {
                image: image.to_owned(),
                what,
                media_type,
            }
        }
        DocumentFault::Invalid { what, problem } => ContainerdError::BadDocument {
            image: image.to_owned(),
            what,
            problem,
        },
    }
}

/// The index entry for `wanted`: the first image manifest whose platform matches, or the only
/// entry when it names no platform.
fn choose_platform<'a>(
    index: &'a ImageIndex,
    image: &str,
    wanted: &Platform,
) -> Result<&'a Descriptor, ContainerdError> {
    let candidates: Vec<&Descriptor> = index
        .manifests
        .iter()
        .filter(|d| d.media_type == OCI_MANIFEST || d.media_type == DOCKER_MANIFEST)
        .collect();
    select_platform(&candidates, platform_ref(wanted), |d| {
        d.platform.as_ref().map(platform_ref)
    })
    .copied()
    .ok_or_else(|| ContainerdError::NoMatchingPlatform {
        image: image.to_owned(),
        platform: wanted.to_string(),
        available: {
            let list: Vec<String> = candidates
                .iter()
                .filter_map(|d| d.platform.as_ref().map(ToString::to_string))
                .collect();
            if list.is_empty() {
                "no platform".to_owned()
            } else {
                list.join(", ")
            }
        },
    })
}

/// The metadata and layers of an image from its manifest (and the config it names).
fn build_image(
    client: &ContainerdClient,
    name: &str,
    record: &ImageRecord,
    manifest_desc: &Descriptor,
    manifest: &ImageManifest,
) -> Result<ContainerdImage, ContainerdError> {
    let doc = |fault| document_error(name, fault);
    let config_desc = &manifest.config;
    let layer_refs: Vec<BlobRef<'_>> = manifest.layers.iter().map(blob_ref).collect();
    check_image_manifest(
        &manifest_desc.digest,
        manifest.media_type.as_deref(),
        blob_ref(config_desc),
        None,
        &layer_refs,
    )
    .map_err(doc)?;
    let config_bytes = client.blob(name, "config", config_desc, MAX_CONFIG_BYTES)?;
    let described =
        ImageDescription::from_config(blob_ref(config_desc), &config_bytes, &layer_refs)
            .map_err(doc)?;
    let image_name: Arc<str> = Arc::from(name);
    let layers: Vec<ContainerdLayer> = manifest
        .layers
        .iter()
        .zip(&described.layers)
        .map(|(d, info)| ContainerdLayer {
            info: info.clone(),
            media_type: d.media_type.clone(),
            channel: client.channel.clone(),
            namespace: client.namespace.clone(),
            image: image_name.clone(),
        })
        .collect();
    let stored: Option<Reference> = record.name.parse().ok();
    let repo_tags = match &stored {
        Some(r) if r.tag().is_some() => vec![record.name.clone()],
        _ => Vec::new(),
    };
    let repo_digests = match &stored {
        Some(r) => vec![format!(
            "{}/{}@{}",
            r.registry(),
            r.repository(),
            record.target.digest
        )],
        None => Vec::new(),
    };
    let metadata = described.into_metadata(repo_tags, repo_digests, manifest_desc.digest.clone());
    Ok(ContainerdImage {
        name: name.to_owned(),
        stored_name: record.name.clone(),
        namespace: client.namespace.clone(),
        socket: client.socket().to_owned(),
        target: record.target.clone(),
        metadata,
        layers,
    })
}

/// An image of containerd: its metadata and layers, lowest first. No layer has been read yet.
#[derive(Debug, Clone)]
pub struct ContainerdImage {
    /// The name as given (`alpine:3.20`).
    pub name: String,
    /// The name containerd stores it under (`docker.io/library/alpine:3.20`).
    pub stored_name: String,
    /// The namespace it was found in.
    pub namespace: String,
    /// containerd's socket.
    pub socket: PathBuf,
    /// What the name points at (an index for multi-platform images).
    pub target: Descriptor,
    /// Image ID, diff IDs, repo tags/digests, config, layers: the values `atalaia_artifact`
    /// gives for the same image in an OCI layout, with the stored name as repo tag and
    /// `registry/repository@<target digest>` as repo digest.
    pub metadata: ArtifactMetadata,
    /// The layers, lowest first.
    pub layers: Vec<ContainerdLayer>,
}

/// One layer of a [`ContainerdImage`]; [`LayerSource::open`] streams it from the content store.
#[derive(Debug, Clone)]
pub struct ContainerdLayer {
    /// Digests, size and history line.
    pub info: LayerInfo,
    /// The blob's media type as the manifest gives it.
    pub media_type: String,
    pub(crate) channel: Arc<Channel>,
    pub(crate) namespace: String,
    pub(crate) image: Arc<str>,
}

impl LayerSource for ContainerdLayer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        tracing::debug!(layer = %self.info.digest, image = %self.image, "streaming layer from containerd");
        Ok(Box::new(stream::open(self)?))
    }
}

/// Analyses an image of containerd: every layer once (or from `opts.cache`), in parallel,
/// merged into the inventory.
pub fn analyze_containerd_image(
    image: &ContainerdImage,
    opts: &AnalyzeOptions,
) -> Result<Inventory, AnalyzeError> {
    atalaia_analyze::analyze_layer_sources(&image.layers, opts)
}

/// Like [`analyze_containerd_image`], also reporting the secrets of every layer (see
/// [`atalaia_analyze::analyze_image_full`]).
pub fn analyze_containerd_image_full(
    image: &ContainerdImage,
    opts: &AnalyzeOptions,
) -> Result<atalaia_analyze::Analysis, AnalyzeError> {
    atalaia_analyze::analyze_image_layers(&image.layers, opts, Default::default())
        .map(|r| r.analysis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            parse_address("unix:///run/containerd/containerd.sock").unwrap(),
            PathBuf::from("/run/containerd/containerd.sock")
        );
        assert_eq!(parse_address("/x.sock").unwrap(), PathBuf::from("/x.sock"));
        assert!(parse_address("tcp://1.2.3.4:1").is_err());
        assert!(parse_address("unix://").is_err());
        assert!(parse_address("").is_err());
    }

    #[test]
    fn names_are_normalised_as_docker_does() {
        assert_eq!(
            candidate_names("alpine").unwrap(),
            ["docker.io/library/alpine:latest", "alpine"]
        );
        assert_eq!(
            candidate_names("alpine:3.20").unwrap(),
            ["docker.io/library/alpine:3.20", "alpine:3.20"]
        );
        assert_eq!(
            candidate_names("docker.io/library/alpine:3.20").unwrap(),
            ["docker.io/library/alpine:3.20"]
        );
        assert_eq!(
            candidate_names("localhost:5000/a/b").unwrap()[0],
            "localhost:5000/a/b:latest"
        );
        assert!(matches!(
            candidate_names("Not Valid").unwrap_err(),
            ContainerdError::BadName { .. }
        ));
    }

    #[test]
    fn platforms_are_chosen_like_the_layout_reader() {
        let p = |s: &str| Platform::parse(s).unwrap();
        let index: ImageIndex = serde_json::from_value(serde_json::json!({
            "schemaVersion": 2,
            "manifests": [
                {"mediaType": OCI_MANIFEST, "digest": format!("sha256:{}", "a".repeat(64)), "size": 1,
                 "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
                {"mediaType": OCI_MANIFEST, "digest": format!("sha256:{}", "b".repeat(64)), "size": 1,
                 "platform": {"os": "linux", "architecture": "amd64"}},
                {"mediaType": "application/vnd.oci.image.manifest.v1+json+attestation",
                 "digest": format!("sha256:{}", "c".repeat(64)), "size": 1}
            ]
        }))
        .unwrap();
        let d = choose_platform(&index, "x", &p("linux/amd64")).unwrap();
        assert!(d.digest.as_str().ends_with("bbbb"));
        let d = choose_platform(&index, "x", &p("linux/arm64")).unwrap();
        assert!(d.digest.as_str().ends_with("aaaa"));
        let e = choose_platform(&index, "x", &p("linux/s390x")).unwrap_err();
        assert!(e.to_string().contains("linux/arm64/v8, linux/amd64"), "{e}");
    }

    #[test]
    fn targets_from_the_api_are_checked() {
        assert!(descriptor(None, "x").is_err());
        let d = |digest: &str, size| proto::Descriptor {
            media_type: OCI_MANIFEST.to_owned(),
            digest: digest.to_owned(),
            size,
            annotations: Default::default(),
        };
        assert!(descriptor(Some(d("nope", 1)), "x").is_err());
        let good = format!("sha256:{}", "a".repeat(64));
        assert!(descriptor(Some(d(&good, -1)), "x").is_err());
        assert_eq!(descriptor(Some(d(&good, 7)), "x").unwrap().size, 7);
    }

    #[test]
    fn fuzz_entry_survives_garbage() {
        assert_eq!(fuzzing::grpc_body(&[0xff; 64], 3), 0);
        assert_eq!(fuzzing::grpc_body(&[0, 0, 0, 0, 3, 0x0a, 1, 0x0a], 1), 0);
        let mut good = vec![0, 0, 0, 0, 0];
        let msg = {
            use prost::Message as _;
            proto::GetImageResponse {
                image: Some(proto::Image {
                    name: "a".to_owned(),
                    labels: Default::default(),
                    target: Some(proto::Descriptor {
                        media_type: OCI_MANIFEST.to_owned(),
                        digest: format!("sha256:{}", "a".repeat(64)),
                        size: 3,
                        annotations: Default::default(),
                    }),
                }),
            }
            .encode_to_vec()
        };
        good[4] = msg.len() as u8;
        good.extend(msg);
        assert_eq!(fuzzing::grpc_body(&good, 7), 1);
    }

    #[test]
    fn errors_say_whether_to_try_the_next_source() {
        let socket = PathBuf::from("/nowhere.sock");
        let missing = ContainerdError::SocketMissing {
            socket: socket.clone(),
        };
        assert!(missing.is_unavailable());
        assert!(missing.hint().is_some());
        let status = ContainerdError::Status {
            socket,
            method: "m".to_owned(),
            code: 13,
            message: "boom".to_owned(),
        };
        assert!(!status.is_unavailable());
        assert!(
            status.to_string().contains("13 (INTERNAL): boom"),
            "{status}"
        );
    }
}
