//! Where an image named on the command line comes from (`--image-src
//! docker,containerd,podman,remote`): each source is tried in order and the first that has the
//! image wins; whichever answers, the scan gets one [`FoundImage`].
//!
//! A source that is simply not there (no socket, no daemon, no such image:
//! [`DaemonError::is_unavailable`]; a registry without the manifest) passes to the next one; any
//! other error (a bad `--docker-host`, a broken export, a registry refusing the credentials or
//! unreachable) stops the search. When no source has the image, the error says what each one
//! answered.
//!
//! Every source analyses layers through `AnalyzeOptions::cache`, so a re-scan whose layers are
//! all cached analyses nothing; from a registry it fetches only the manifest and the config.
//! Registries and containerd also go through the image-level cache
//! ([`atalaia_analyze::analyze_image_layers`]): a re-scan of a cached image opens no layer and
//! decodes no layer analysis. The daemons stream their export (the layers' bytes are hashed to
//! check them); only the merge is taken from the image-level cache there.

use std::path::PathBuf;
use std::sync::Arc;

use atalaia_analyze::{Analysis, AnalyzeOptions, Analyzer, ConfigFile, ImageParts, ScanMode};
use atalaia_daemon::{DaemonError, DaemonImage, DockerClient};
use atalaia_registry::RegistryError;
use atalaia_remote::RemoteError;
use atalaia_types::ArtifactMetadata;

use crate::args::ImageSrc;
use crate::printer::Hinted;
use crate::registry_auth::RemoteOptions;
use crate::settings::ScanSettings;

/// How to reach the daemons and registries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceOptions {
    /// `--image-src`, in the order to try them.
    pub(crate) sources: Vec<ImageSrc>,
    /// `--docker-host` (or `DOCKER_HOST`).
    pub(crate) docker_host: Option<String>,
    /// `--platform`: the image of a multi-platform index to pull (`remote`).
    pub(crate) platform: Option<String>,
    /// Credentials, CAs and `--insecure` for registries (`remote`).
    pub(crate) remote: RemoteOptions,
}

/// An image named on the command line, analysed, whichever source answered.
#[derive(Debug, Clone)]
pub(crate) struct FoundImage {
    /// The name it was asked for by.
    pub(crate) name: String,
    /// The source that had it.
    pub(crate) source: ImageSrc,
    /// Where in that source: the daemon's socket, or the registry host.
    pub(crate) location: String,
    /// Image ID, diff IDs, repo tags and digests, config, layers.
    pub(crate) metadata: ArtifactMetadata,
    /// The inventory and the secrets of every layer.
    pub(crate) analysis: Analysis,
    /// The configuration files of the final filesystem, when asked for
    /// ([`ImageParts::config_files`]).
    pub(crate) config_files: Vec<ConfigFile>,
}

impl FoundImage {
    fn from_daemon(mut image: DaemonImage, source: ImageSrc, parts: ImageParts) -> FoundImage {
        if image.metadata.repo_digests.is_empty() {
            image.metadata.repo_digests = image.inspect.repo_digests.clone();
        }
        let config_files = if parts.config_files {
            atalaia_analyze::collect_config_files(&image.layers, &image.metadata.layers)
        } else {
            Vec::new()
        };
        FoundImage {
            name: image.name,
            source,
            location: image.socket.display().to_string(),
            metadata: image.metadata,
            analysis: image.analysis,
            config_files,
        }
    }
}

/// What one source answered.
enum Attempt {
    /// It had the image.
    Found(Box<FoundImage>),
    /// It is not there or does not have the image: why (for the final error), and a hint.
    Absent { why: String, hint: String },
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

/// Analyses the image `name` from the first source of `opts` that has it; `parts` says what to
/// collect beyond the inventory and the secrets.
pub(crate) fn analyze_named(
    name: &str,
    opts: &SourceOptions,
    analyze: &AnalyzeOptions,
    parts: ImageParts,
) -> anyhow::Result<FoundImage> {
    let analyzers: Vec<Arc<dyn Analyzer>> =
        atalaia_analyze::analyzers_for(ScanMode::Image, analyze);
    // What each source answered, for the error when none has the image.
    let mut tried: Vec<String> = Vec::new();
    let mut last_hint: Option<String> = None;
    for source in &opts.sources {
        let attempt = match source {
            ImageSrc::Docker => docker_client(opts.docker_host.as_deref()).map(Some),
            ImageSrc::Podman => podman_client(),
            ImageSrc::Containerd | ImageSrc::Remote => {
                let attempt = if *source == ImageSrc::Remote {
                    remote(name, opts, analyze, parts)?
                } else {
                    containerd(name, opts, analyze, parts)?
                };
                match attempt {
                    Attempt::Found(image) => return Ok(*image),
                    Attempt::Absent { why, hint } => {
                        tracing::debug!(image = name, source = source.name(), "unavailable: {why}");
                        tried.push(format!("{}: {why}", source.name()));
                        last_hint = Some(hint);
                        continue;
                    }
                }
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
                return Ok(FoundImage::from_daemon(image, *source, parts));
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
    // One `Caused by:` line per source, in the order they were tried: a single line would be
    // cut by the printer, losing the last sources' answers.
    let message = format!("Image `{name}` was found in no image source");
    let hinted = Hinted::new(message, last_hint.unwrap_or_else(no_image_hint));
    let mut answers = tried.into_iter().rev();
    let Some(last) = answers.next() else {
        return Err(hinted.into());
    };
    let mut err = anyhow::anyhow!(last);
    for answer in answers {
        err = err.context(answer);
    }
    Err(err.context(hinted))
}

fn no_image_hint() -> String {
    "Pull the image first (`docker pull`), or save it (`docker save NAME -o image.tar`) and \
     scan it with `--input image.tar`"
        .to_owned()
}

/// The containerd source (`CONTAINERD_ADDRESS`, `CONTAINERD_NAMESPACE`): see
/// [`crate::containerd_source`].
fn containerd(
    name: &str,
    opts: &SourceOptions,
    analyze: &AnalyzeOptions,
    parts: ImageParts,
) -> anyhow::Result<Attempt> {
    Ok(
        match crate::containerd_source::find(name, opts.platform.as_deref(), analyze, parts)? {
            Ok(image) => Attempt::Found(Box::new(image)),
            Err(absent) => Attempt::Absent {
                why: absent.why,
                hint: absent.hint,
            },
        },
    )
}

/// The registry source: the manifest and config from the image's registry, then the layers
/// streamed into the analyzers (those the layer cache holds are not fetched). A registry that
/// does not have the image is absent; any other failure (credentials, TLS, unreachable) is an
/// error.
fn remote(
    name: &str,
    opts: &SourceOptions,
    analyze: &AnalyzeOptions,
    parts: ImageParts,
) -> anyhow::Result<Attempt> {
    let client = Arc::new(opts.remote.client()?);
    let image = match atalaia_remote::open_remote_image(client, name, opts.platform.as_deref()) {
        Ok(image) => image,
        Err(err) => {
            if let Some(RegistryError::NotFound { registry, .. }) = err.registry_error() {
                return Ok(Attempt::Absent {
                    why: format!("not in registry {registry}"),
                    hint: "Check the image name and tag (`host/repository:tag`)".to_owned(),
                });
            }
            return Err(remote_error(name, err));
        }
    };
    let registry = image.reference.registry().to_owned();
    let layers = crate::remote_progress::wrap(&image.layers);
    let analyzed = atalaia_analyze::analyze_image_layers(&layers, analyze, parts).map_err(|e| {
        let hint = registry_hint(&registry);
        anyhow::Error::new(e).context(Hinted::new(
            format!("Failed to analyse `{name}` from its registry"),
            hint,
        ))
    })?;
    Ok(Attempt::Found(Box::new(FoundImage {
        name: image.name,
        source: ImageSrc::Remote,
        location: registry,
        metadata: image.metadata,
        analysis: analyzed.analysis,
        config_files: analyzed.config_files,
    })))
}

fn registry_hint(registry: &str) -> String {
    format!(
        "Check that the registry `{registry}` is up and reachable (`--registry-ca FILE` trusts a \
         private CA, `--insecure` allows plain HTTP locally), or scan a saved image with \
         `--input image.tar`"
    )
}

/// A registry failure as the user reads it: what was refused, by whom, and what to do. The
/// registry error follows as the cause (its own causes name the transport failure).
fn remote_error(name: &str, err: RemoteError) -> anyhow::Error {
    let registry_err = match err {
        RemoteError::Registry { err, .. } => *err,
        other => return anyhow::Error::new(other).context(format!("Failed to pull `{name}`")),
    };
    match &registry_err {
        RegistryError::AuthFailed { registry, detail } => {
            let detail = if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            };
            let message = format!(
                "Failed to pull `{name}`: registry {registry} answered HTTP 401 Unauthorized \
                 (the credentials were refused or none were given){detail}"
            );
            let hint = format!(
                "Pass `--username` with `ATALAIA_PASSWORD` (or `--password`), \
                 `--registry-token`, or log in with `docker login {registry}`"
            );
            // The message says it all: no cause repeating it.
            Hinted::new(message, hint).into()
        }
        RegistryError::Denied { registry, .. } => {
            let message =
                format!("Failed to pull `{name}`: registry {registry} denied access (HTTP 403)");
            Hinted::new(
                message,
                "Check that these credentials may pull this repository",
            )
            .into()
        }
        RegistryError::Transport { registry, .. } | RegistryError::Io { registry, .. } => {
            let hint = registry_hint(registry);
            anyhow::Error::new(registry_err)
                .context(Hinted::new(format!("Failed to pull `{name}`"), hint))
        }
        _ => anyhow::Error::new(registry_err).context(format!("Failed to pull `{name}`")),
    }
}

/// Analyses the image `name` from the first source that has it, image-config secrets included,
/// and says on stderr which source answered.
pub(crate) fn scan_named(
    name: &str,
    opts: &SourceOptions,
    settings: &ScanSettings,
) -> anyhow::Result<FoundImage> {
    let parts = ImageParts {
        config_files: settings.misconfig.is_some(),
    };
    let mut image = analyze_named(name, opts, &settings.analyze, parts)?;
    if tracing::enabled!(tracing::Level::WARN) {
        // Not with `--quiet` (errors only).
        crate::printer::status(&format!(
            "info: image `{name}` read from {} ({})",
            image.source.name(),
            image.location
        ));
    }
    if let Some(scanner) = &settings.secret {
        // Trivy reports image-config secrets under the artifact's name.
        let found = atalaia_analyze::scan_image_config_as(
            scanner,
            &image.metadata.image_config,
            &image.name,
        );
        image.analysis.secrets.extend(found);
    }
    Ok(image)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(err: RegistryError) -> RemoteError {
        RemoteError::Registry {
            image: "r.example/a:1".to_owned(),
            err: Box::new(err),
        }
    }

    /// The error as printed: the message and its causes, one per line, then the hints.
    fn printed(err: &anyhow::Error) -> String {
        let mut lines: Vec<String> = err.chain().map(ToString::to_string).collect();
        if let Some(h) = err.downcast_ref::<Hinted>() {
            lines.push(format!("hint: {}", h.hint));
        }
        lines.join("\n")
    }

    #[test]
    fn registry_errors_read_clearly() {
        let auth = remote_error(
            "r.example/a:1",
            registry(RegistryError::AuthFailed {
                registry: "r.example".to_owned(),
                detail: "UNAUTHORIZED: authentication required".to_owned(),
            }),
        );
        let text = printed(&auth);
        assert!(
            text.starts_with(
                "Failed to pull `r.example/a:1`: registry r.example answered HTTP 401 Unauthorized"
            ),
            "{text}"
        );
        assert!(
            text.contains("UNAUTHORIZED: authentication required"),
            "{text}"
        );
        assert!(text.contains("hint: Pass `--username`"), "{text}");
        // One line of message: no cause repeating it.
        assert_eq!(auth.chain().count(), 1, "{text}");

        let denied = remote_error(
            "r.example/a:1",
            registry(RegistryError::Denied {
                registry: "r.example".to_owned(),
                repository: "a".to_owned(),
            }),
        );
        assert!(printed(&denied).contains("denied access (HTTP 403)"));

        let platform = remote_error(
            "r.example/a:1",
            RemoteError::BadPlatform {
                value: "linux".to_owned(),
            },
        );
        let text = printed(&platform);
        assert!(
            text.starts_with("Failed to pull `r.example/a:1`\ninvalid platform `linux`"),
            "{text}"
        );
    }
}
