//! Images and containers of the Docker daemon, and of Podman's Docker-compatible API service,
//! over the Engine API on a unix socket.
//!
//! ```text
//! --docker-host / DOCKER_HOST / /var/run/docker.sock
//!   └─ DockerClient ── HTTP/1.1 over UnixStream, one request per connection, timeouts
//!        ├─ /_ping, /version ─► API version negotiation
//!        ├─ /images/{name}/json ─► ImageInspect
//!        ├─ /images/{name}/get ─► ExportStream (a `docker save` tar, as it arrives)
//!        │     └─ analyze_save_stream: layers analysed as they pass (sha256 of stored and
//!        │        decompressed bytes in the same pass); at the end atalaia-artifact's
//!        │        resolver (`resolve_image`, over the kept members) chooses the image
//!        │        ─► StreamedImage { metadata (as atalaia-artifact gives it), layers }
//!        └─ /containers/json, /containers/{id}/json ─► ContainerSummary, ContainerInspect
//! ```
//!
//! [`analyze_daemon_image`] puts it together: the image's inventory and secrets, the same as
//! scanning the `docker save` tarball on disk, without writing the image anywhere.
#![deny(missing_docs)]

mod archive;
mod client;
mod error;
mod host;
mod http;
mod models;
#[cfg(feature = "testing")]
pub mod testing;

use std::path::PathBuf;
use std::sync::Arc;

use atalaia_analyze::{Analysis, AnalyzeOptions, Analyzer, LayerAnalysis};
use atalaia_artifact::ImageSelector;
use atalaia_types::ArtifactMetadata;

pub use archive::{analyze_save_stream, StreamStats, StreamedImage};
pub use client::{DockerClient, ExportStream, DEFAULT_TIMEOUT, MAX_API_VERSION, MIN_API_VERSION};
pub use error::DaemonError;
pub use host::{
    find_podman_socket, parse_docker_host, podman_socket_candidates, resolve_docker_host,
    DEFAULT_DOCKER_SOCKET, DOCKER_HOST_ENV,
};
pub use models::{
    ContainerConfig, ContainerInspect, ContainerState, ContainerSummary, HostConfig, ImageInspect,
    MountPoint, NetworkSettings, PingInfo, PortBinding, PortSummary, PublishedPort, RootFs,
    SummaryHostConfig, VersionInfo,
};

/// An image of a daemon, analysed.
#[derive(Debug, Clone)]
pub struct DaemonImage {
    /// The name it was asked for by.
    pub name: String,
    /// The daemon's socket.
    pub socket: PathBuf,
    /// What the daemon says about the image (its `RepoDigests` are here: a legacy `docker save`
    /// does not carry them).
    pub inspect: ImageInspect,
    /// Image ID, diff IDs, repo tags, config, layers: the values `atalaia_artifact::open_image`
    /// gives for the same `docker save` tarball on disk.
    pub metadata: ArtifactMetadata,
    /// The inventory and the secrets of every layer.
    pub analysis: Analysis,
    /// Each layer's analysis, lowest first (as `metadata.layers`), for a layer cache.
    pub layers: Vec<LayerAnalysis>,
    /// Counts from the export stream.
    pub stats: StreamStats,
}

/// The merged analysis of a streamed image: from the image-level cache of `opts.cache` when it
/// holds it (the export was still read: its bytes are what is checked), else merged from the
/// layers and stored there.
fn merged(
    streamed: &StreamedImage,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
) -> Analysis {
    let parts = atalaia_analyze::ImageParts::default();
    let infos = &streamed.metadata.layers;
    let merged = atalaia_analyze::merge_through_cache(infos, analyzers, opts, parts, || {
        Ok::<_, std::convert::Infallible>(atalaia_analyze::merge_image_layers(
            &streamed.layers,
            infos,
            parts,
        ))
    });
    match merged {
        Ok(merged) => merged.analysis,
        Err(never) => match never {},
    }
}

/// Analyses the image `name` of the daemon behind `client`: inspects it (a clear
/// [`DaemonError::NoSuchImage`] when the daemon does not have it), exports it with
/// `/images/{name}/get` and analyses the `docker save` stream as it arrives with `analyzers`
/// (usually `atalaia_analyze::analyzers_for(ScanMode::Image, opts)`), nothing written to disk.
///
/// The inventory equals the one `atalaia_analyze::analyze_image_full` gives for the same image
/// saved to a tarball. Image-config secrets are not included: scan `metadata.image_config` with
/// `atalaia_analyze::scan_image_config_as`, as for a tarball.
pub fn analyze_daemon_image(
    client: &DockerClient,
    name: &str,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
) -> Result<DaemonImage, DaemonError> {
    let inspect = client.inspect_image(name)?;
    let export = client.export_image(name)?;
    let failure = export.failure_handle();
    let transport_failure = move || failure.lock().ok().and_then(|f| f.clone());
    let streamed = archive::analyze_save_stream_with(
        export,
        name,
        &ImageSelector::default(),
        analyzers,
        opts,
        &transport_failure,
    )?;
    let exported = streamed
        .metadata
        .image_id
        .as_ref()
        .map(|d| d.as_str().to_owned());
    let manifest = streamed
        .metadata
        .manifest_digest
        .as_ref()
        .map(|d| d.as_str().to_owned());
    if exported.as_deref() != Some(inspect.id.as_str())
        && manifest.as_deref() != Some(inspect.id.as_str())
    {
        // The tag moved between the inspection and the export: the export is what was analysed.
        tracing::warn!(
            image = name,
            inspected = inspect.id.as_str(),
            exported = exported.as_deref().unwrap_or(""),
            "the image changed while it was being exported"
        );
    }
    let analysis = merged(&streamed, analyzers, opts);
    Ok(DaemonImage {
        name: name.to_owned(),
        socket: client.socket().to_owned(),
        inspect,
        metadata: streamed.metadata,
        analysis,
        layers: streamed.layers,
        stats: streamed.stats,
    })
}
