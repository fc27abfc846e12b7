//! Where an image named on the command line comes from (`--image-src docker,podman,remote`):
//! each source is tried in order and the first that has the image wins.
//!
//! A source that is simply not there (no socket, no daemon, no such image:
//! [`DaemonError::is_unavailable`]) passes to the next one; any other error (a bad
//! `--docker-host`, a broken export) stops the search. When no source has the image, the error
//! says what each one answered.

use std::path::PathBuf;
use std::sync::Arc;

use atalaia_analyze::{AnalyzeOptions, Analyzer, ScanMode};
use atalaia_daemon::{DaemonError, DaemonImage, DockerClient};

use crate::args::ImageSrc;
use crate::printer::Hinted;
use crate::settings::ScanSettings;

/// How to reach the daemons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceOptions {
    /// `--image-src`, in the order to try them.
    pub(crate) sources: Vec<ImageSrc>,
    /// `--docker-host` (or `DOCKER_HOST`).
    pub(crate) docker_host: Option<String>,
}

/// The Docker daemon's client of `--docker-host` / `DOCKER_HOST` / the default socket,
/// negotiated.
pub(crate) fn docker_client(docker_host: Option<&str>) -> Result<DockerClient, DaemonError> {
    let mut client = DockerClient::from_host(docker_host)?;
    client.negotiate()?;
    Ok(client)
}

/// The Podman API service's client, when its socket exists (`$XDG_RUNTIME_DIR/podman/podman.sock`,
/// else `/run/podman/podman.sock`).
fn podman_client() -> Result<Option<DockerClient>, DaemonError> {
    let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    match atalaia_daemon::find_podman_socket(runtime_dir.as_deref()) {
        Some(socket) => DockerClient::connect(socket).map(Some),
        None => Ok(None),
    }
}

/// Analyses the image `name` from the first source of `opts` that has it.
pub(crate) fn analyze_named(
    name: &str,
    opts: &SourceOptions,
    analyze: &AnalyzeOptions,
) -> anyhow::Result<DaemonImage> {
    let analyzers: Vec<Arc<dyn Analyzer>> =
        atalaia_analyze::analyzers_for(ScanMode::Image, analyze);
    // What each source answered, for the error when none has the image.
    let mut tried: Vec<String> = Vec::new();
    let mut last_hint: Option<String> = None;
    for source in &opts.sources {
        let attempt = match source {
            ImageSrc::Docker => docker_client(opts.docker_host.as_deref()).map(Some),
            ImageSrc::Podman => podman_client(),
            ImageSrc::Remote => {
                tracing::debug!(image = name, "image source `remote`: not available yet");
                tried.push("remote: pulling from registries is not available yet".to_owned());
                last_hint = Some(
                    "Pull the image into Docker or Podman first (`docker pull`), or save it \
                     (`docker save NAME -o image.tar`) and scan it with `--input image.tar`"
                        .to_owned(),
                );
                continue;
            }
        };
        let client = match attempt {
            Ok(Some(client)) => client,
            Ok(None) => {
                tracing::debug!(image = name, "image source `podman`: no socket found");
                tried.push("podman: no Podman API socket found".to_owned());
                last_hint = Some(no_image_hint());
                continue;
            }
            Err(e) if e.is_unavailable() => {
                tracing::debug!(image = name, source = source.name(), "unavailable: {e}");
                tried.push(format!("{}: {e}", source.name()));
                last_hint = e.hint();
                continue;
            }
            Err(e) => return Err(hinted(e)),
        };
        match atalaia_daemon::analyze_daemon_image(&client, name, &analyzers, analyze) {
            Ok(image) => {
                tracing::debug!(
                    image = name,
                    source = source.name(),
                    socket = %client.socket().display(),
                    "image found"
                );
                return Ok(image);
            }
            Err(e) if e.is_unavailable() => {
                tracing::debug!(image = name, source = source.name(), "unavailable: {e}");
                // Short: the error line is cut beyond a few hundred characters.
                tried.push(match &e {
                    DaemonError::NoSuchImage { socket, .. } => format!(
                        "{}: not in the daemon on `{}`",
                        source.name(),
                        socket.display()
                    ),
                    _ => format!("{}: {e}", source.name()),
                });
                last_hint = Some(no_image_hint());
            }
            Err(e) => {
                return Err(
                    hinted(e).context(format!("Failed to analyse `{name}` from {}", source.name()))
                )
            }
        }
    }
    let message = format!(
        "Image `{name}` was found in no image source ({})",
        tried.join("; ")
    );
    Err(Hinted::new(message, last_hint.unwrap_or_else(no_image_hint)).into())
}

fn no_image_hint() -> String {
    "Pull the image first (`docker pull`), or save it (`docker save NAME -o image.tar`) and \
     scan it with `--input image.tar`"
        .to_owned()
}

/// Analyses the image `name` from the first source that has it, image-config secrets included,
/// with the daemon's `RepoDigests` in the metadata.
pub(crate) fn scan_named(
    name: &str,
    opts: &SourceOptions,
    settings: &ScanSettings,
) -> anyhow::Result<DaemonImage> {
    let image = analyze_named(name, opts, &settings.analyze)?;
    Ok(finish(image, settings))
}

/// Adds what the export stream does not give: image-config secrets (when the `secret` scanner
/// runs) and the daemon's `RepoDigests`.
pub(crate) fn finish(mut image: DaemonImage, settings: &ScanSettings) -> DaemonImage {
    if let Some(scanner) = &settings.secret {
        // Trivy reports image-config secrets under the artifact's name.
        let found = atalaia_analyze::scan_image_config_as(
            scanner,
            &image.metadata.image_config,
            &image.name,
        );
        image.analysis.secrets.extend(found);
    }
    if image.metadata.repo_digests.is_empty() {
        image.metadata.repo_digests = image.inspect.repo_digests.clone();
    }
    image
}

/// A daemon error with its hint, when it has one.
pub(crate) fn hinted(e: DaemonError) -> anyhow::Error {
    match e.hint() {
        Some(hint) => Hinted::new(e.to_string(), hint).into(),
        None => e.into(),
    }
}
