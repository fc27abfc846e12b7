//! Typed views of the Engine API's JSON: only the fields atalaia uses, every one optional on the
//! wire (`null` and absent fields become defaults), so Docker's and Podman's variants both parse.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// `null` or absent → the default value.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `GET /_ping`: the headers the daemon answers with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PingInfo {
    /// `Api-Version`: the newest API version the daemon speaks.
    pub api_version: Option<String>,
    /// `Ostype` (`linux`).
    pub os_type: Option<String>,
    /// `Server` (`Docker/20.10.24 (linux)`, `Libpod/4.3.1 (linux)`).
    pub server: Option<String>,
    /// `Libpod-Api-Version`: present when the daemon is Podman.
    pub libpod_api_version: Option<String>,
}

impl PingInfo {
    /// Whether the daemon is Podman's API service.
    pub fn is_podman(&self) -> bool {
        self.libpod_api_version.is_some()
            || self
                .server
                .as_deref()
                .is_some_and(|s| s.starts_with("Libpod"))
    }
}

/// `GET /version`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersionInfo {
    /// The engine version (`20.10.24+dfsg1`, `4.3.1`).
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
    /// The newest API version (`1.41`).
    #[serde(default, deserialize_with = "nullable")]
    pub api_version: String,
    /// The oldest API version (`1.12`).
    #[serde(default, rename = "MinAPIVersion", deserialize_with = "nullable")]
    pub min_api_version: String,
    /// `linux`.
    #[serde(default, deserialize_with = "nullable")]
    pub os: String,
    /// `amd64`.
    #[serde(default, deserialize_with = "nullable")]
    pub arch: String,
}

/// `GET /images/{name}/json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageInspect {
    /// The image ID (`sha256:…`, the config digest; with containerd's image store, the manifest
    /// or index digest).
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// Tags (`alpine:3.20`).
    #[serde(default, deserialize_with = "nullable")]
    pub repo_tags: Vec<String>,
    /// Digests the image was pulled by (`alpine@sha256:…`).
    #[serde(default, deserialize_with = "nullable")]
    pub repo_digests: Vec<String>,
    /// Creation time (RFC 3339).
    #[serde(default, deserialize_with = "nullable")]
    pub created: String,
    /// `amd64`.
    #[serde(default, deserialize_with = "nullable")]
    pub architecture: String,
    /// `v8`, when there is one.
    #[serde(default, deserialize_with = "nullable")]
    pub variant: String,
    /// `linux`.
    #[serde(default, deserialize_with = "nullable")]
    pub os: String,
    /// Size in bytes.
    #[serde(default, deserialize_with = "nullable")]
    pub size: i64,
    /// The run configuration (`User`, `Env`, `Cmd`, `ExposedPorts`, …), as the daemon gives it.
    #[serde(default, deserialize_with = "nullable")]
    pub config: serde_json::Value,
    /// The layer diff IDs.
    #[serde(default, rename = "RootFS", deserialize_with = "nullable")]
    pub root_fs: RootFs,
}

/// `RootFS` of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootFs {
    /// `layers`.
    #[serde(default, deserialize_with = "nullable")]
    pub r#type: String,
    /// Diff IDs, lowest first.
    #[serde(default, deserialize_with = "nullable")]
    pub layers: Vec<String>,
}

/// One entry of `GET /containers/json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerSummary {
    /// The container ID.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// Names, each with a leading `/`.
    #[serde(default, deserialize_with = "nullable")]
    pub names: Vec<String>,
    /// The image as the container was created from it (a name or an ID).
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    /// The image ID.
    #[serde(default, rename = "ImageID", deserialize_with = "nullable")]
    pub image_id: String,
    /// The command.
    #[serde(default, deserialize_with = "nullable")]
    pub command: String,
    /// Creation time, Unix seconds.
    #[serde(default, deserialize_with = "nullable")]
    pub created: i64,
    /// Ports: exposed, and published when running.
    #[serde(default, deserialize_with = "nullable")]
    pub ports: Vec<PortSummary>,
    /// Labels.
    #[serde(default, deserialize_with = "nullable")]
    pub labels: BTreeMap<String, String>,
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    #[serde(default, deserialize_with = "nullable")]
    pub state: String,
    /// Human status (`Up 2 hours`).
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// The network mode.
    #[serde(default, deserialize_with = "nullable")]
    pub host_config: SummaryHostConfig,
    /// Mounts.
    #[serde(default, deserialize_with = "nullable")]
    pub mounts: Vec<MountPoint>,
}

impl ContainerSummary {
    /// The first name without its leading `/`.
    pub fn name(&self) -> &str {
        self.names
            .first()
            .map_or("", |n| n.strip_prefix('/').unwrap_or(n))
    }
}

/// A port of a listed container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortSummary {
    /// The host address it is published on (absent when not published).
    #[serde(default, rename = "IP", deserialize_with = "nullable")]
    pub ip: String,
    /// The container port.
    #[serde(default, rename = "PrivatePort", deserialize_with = "nullable")]
    pub private_port: u16,
    /// The host port (absent when not published).
    #[serde(default, rename = "PublicPort", deserialize_with = "nullable")]
    pub public_port: Option<u16>,
    /// `tcp`, `udp`, `sctp`.
    #[serde(default, rename = "Type", deserialize_with = "nullable")]
    pub protocol: String,
}

/// `HostConfig` of a listed container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SummaryHostConfig {
    /// `default`, `bridge`, `host`, `none`, `container:ID`, a network name.
    #[serde(default, deserialize_with = "nullable")]
    pub network_mode: String,
}

/// A mount of a container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MountPoint {
    /// `bind`, `volume`, `tmpfs`, `npipe`.
    #[serde(default, deserialize_with = "nullable")]
    pub r#type: String,
    /// The volume name (volumes only).
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The host path (binds) or the volume's directory.
    #[serde(default, deserialize_with = "nullable")]
    pub source: String,
    /// The path inside the container.
    #[serde(default, deserialize_with = "nullable")]
    pub destination: String,
    /// Mode flags as given (`ro`, `z`).
    #[serde(default, deserialize_with = "nullable")]
    pub mode: String,
    /// Whether the mount is writable.
    #[serde(default, rename = "RW", deserialize_with = "nullable")]
    pub rw: bool,
}

impl MountPoint {
    /// Whether the mount brings a container engine's API socket into the container (the
    /// container can then control the host's daemon).
    pub fn is_engine_socket(&self) -> bool {
        let file = self.source.rsplit('/').next().unwrap_or("");
        matches!(
            file,
            "docker.sock" | "podman.sock" | "containerd.sock" | "crio.sock"
        ) || matches!(
            self.destination.as_str(),
            "/var/run/docker.sock" | "/run/docker.sock"
        )
    }
}

/// `GET /containers/{id}/json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerInspect {
    /// The container ID.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// The name, with a leading `/`.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The image ID (`sha256:…`).
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    /// Creation time (RFC 3339).
    #[serde(default, deserialize_with = "nullable")]
    pub created: String,
    /// Run state.
    #[serde(default, deserialize_with = "nullable")]
    pub state: ContainerState,
    /// The container's configuration.
    #[serde(default, deserialize_with = "nullable")]
    pub config: ContainerConfig,
    /// What the host grants it.
    #[serde(default, deserialize_with = "nullable")]
    pub host_config: HostConfig,
    /// Mounts, binds included.
    #[serde(default, deserialize_with = "nullable")]
    pub mounts: Vec<MountPoint>,
    /// The network state (actual port bindings while running).
    #[serde(default, deserialize_with = "nullable")]
    pub network_settings: NetworkSettings,
}

/// `State` of an inspected container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerState {
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// Running now.
    #[serde(default, deserialize_with = "nullable")]
    pub running: bool,
    /// Paused.
    #[serde(default, deserialize_with = "nullable")]
    pub paused: bool,
    /// The main process ID (0 when not running).
    #[serde(default, deserialize_with = "nullable")]
    pub pid: i64,
    /// Exit code of the last run.
    #[serde(default, deserialize_with = "nullable")]
    pub exit_code: i64,
    /// Start time (RFC 3339).
    #[serde(default, deserialize_with = "nullable")]
    pub started_at: String,
}

/// `Config` of an inspected container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    /// `USER` (`""` means the image default, root unless the image says otherwise).
    #[serde(default, deserialize_with = "nullable")]
    pub user: String,
    /// The image name as given at creation.
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    /// `port/proto` keys.
    #[serde(default, deserialize_with = "nullable")]
    pub exposed_ports: BTreeMap<String, serde_json::Value>,
    /// Environment.
    #[serde(default, deserialize_with = "nullable")]
    pub env: Vec<String>,
    /// Command.
    #[serde(default, deserialize_with = "nullable")]
    pub cmd: Vec<String>,
    /// Entrypoint.
    #[serde(default, deserialize_with = "nullable")]
    pub entrypoint: Vec<String>,
    /// Labels.
    #[serde(default, deserialize_with = "nullable")]
    pub labels: BTreeMap<String, String>,
}

/// `HostConfig` of an inspected container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostConfig {
    /// `--privileged`.
    #[serde(default, deserialize_with = "nullable")]
    pub privileged: bool,
    /// `default`, `bridge`, `host`, `none`, `container:ID`, a network name.
    #[serde(default, deserialize_with = "nullable")]
    pub network_mode: String,
    /// Requested port bindings, `port/proto` → bindings (kept even when not running).
    #[serde(default, deserialize_with = "nullable")]
    pub port_bindings: BTreeMap<String, Option<Vec<PortBinding>>>,
    /// `-P`.
    #[serde(default, deserialize_with = "nullable")]
    pub publish_all_ports: bool,
    /// `--cap-add`.
    #[serde(default, deserialize_with = "nullable")]
    pub cap_add: Vec<String>,
    /// `--cap-drop`.
    #[serde(default, deserialize_with = "nullable")]
    pub cap_drop: Vec<String>,
    /// `--read-only`.
    #[serde(default, deserialize_with = "nullable")]
    pub readonly_rootfs: bool,
    /// `-v host:container` binds as given.
    #[serde(default, deserialize_with = "nullable")]
    pub binds: Vec<String>,
    /// `--pid`.
    #[serde(default, deserialize_with = "nullable")]
    pub pid_mode: String,
    /// `--ipc`.
    #[serde(default, deserialize_with = "nullable")]
    pub ipc_mode: String,
    /// `--security-opt`.
    #[serde(default, deserialize_with = "nullable")]
    pub security_opt: Vec<String>,
}

/// One host binding of a container port.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    /// The host address (`""` means every interface).
    #[serde(default, rename = "HostIp", deserialize_with = "nullable")]
    pub host_ip: String,
    /// The host port (`""` means one chosen by the daemon at start).
    #[serde(default, rename = "HostPort", deserialize_with = "nullable")]
    pub host_port: String,
}

/// `NetworkSettings` of an inspected container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkSettings {
    /// Actual bindings while running, `port/proto` → bindings (`null` for exposed, unpublished).
    #[serde(default, deserialize_with = "nullable")]
    pub ports: BTreeMap<String, Option<Vec<PortBinding>>>,
    /// Attached networks by name.
    #[serde(default, deserialize_with = "nullable")]
    pub networks: BTreeMap<String, serde_json::Value>,
}

/// A container port published on the host.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PublishedPort {
    /// The container port.
    pub container_port: u16,
    /// `tcp`, `udp`, `sctp`.
    pub protocol: String,
    /// The host address as the daemon gives it (`0.0.0.0`, `::`, `127.0.0.1`; `""` = all).
    pub host_ip: String,
    /// The host port (`""` when the daemon picks one at start).
    pub host_port: String,
}

impl PublishedPort {
    /// Whether the port listens on every interface (`""`, `0.0.0.0` or `::`), not just one
    /// address such as loopback.
    pub fn on_all_interfaces(&self) -> bool {
        matches!(
            self.host_ip.trim_start_matches('[').trim_end_matches(']'),
            "" | "0.0.0.0" | "::"
        )
    }

    /// Whether the port listens on loopback only.
    pub fn loopback_only(&self) -> bool {
        let ip = self.host_ip.trim_start_matches('[').trim_end_matches(']');
        ip == "::1" || ip == "localhost" || ip.starts_with("127.")
    }
}

fn split_port_key(key: &str) -> (u16, String) {
    let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
    (port.parse().unwrap_or(0), proto.to_owned())
}

impl ContainerInspect {
    /// The name without its leading `/`.
    pub fn short_name(&self) -> &str {
        self.name.strip_prefix('/').unwrap_or(&self.name)
    }

    /// The ports published on the host: the actual bindings while the container runs, else the
    /// requested ones (`HostConfig.PortBindings`), sorted. Exposed but unpublished ports are not
    /// listed.
    pub fn published_ports(&self) -> Vec<PublishedPort> {
        let actual = &self.network_settings.ports;
        let use_actual = self.state.running
            && actual
                .values()
                .any(|b| b.as_ref().is_some_and(|v| !v.is_empty()));
        let map = if use_actual {
            actual
        } else {
            &self.host_config.port_bindings
        };
        let mut out: Vec<PublishedPort> = map
            .iter()
            .flat_map(|(key, bindings)| {
                let (container_port, protocol) = split_port_key(key);
                bindings.iter().flatten().map(move |b| PublishedPort {
                    host_ip: b.host_ip.clone(),
                    host_port: b.host_port.clone(),
                    container_port,
                    protocol: protocol.clone(),
                })
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether the container shares the host's network namespace.
    pub fn host_network(&self) -> bool {
        self.host_config.network_mode == "host"
    }

    /// Whether a container engine's API socket is mounted into the container.
    pub fn engine_socket_mounted(&self) -> bool {
        self.mounts.iter().any(MountPoint::is_engine_socket)
            || self.host_config.binds.iter().any(|b| {
                let (source, rest) = b.split_once(':').unwrap_or((b, ""));
                let destination = rest.split(':').next().unwrap_or("");
                MountPoint {
                    source: source.to_owned(),
                    destination: destination.to_owned(),
                    ..MountPoint::default()
                }
                .is_engine_socket()
            })
    }

    /// Whether the container's configured user is root: no user (the image's default, which
    /// [`ContainerInspect::config`] does not show; see `image_user`), `root`, or UID 0.
    /// `image_user` is the image config's `User`, used when the container sets none.
    pub fn runs_as_root(&self, image_user: &str) -> bool {
        let user = if self.config.user.is_empty() {
            image_user
        } else {
            &self.config.user
        };
        let name = user.split(':').next().unwrap_or("");
        name.is_empty() || name == "root" || name == "0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_and_absent_fields_are_defaults() {
        let c: ContainerInspect = serde_json::from_str(
            r#"{"Id":"x","Config":{"User":null,"Env":null},"HostConfig":{"CapAdd":null,
                "PortBindings":{"80/tcp":null}},"Mounts":null,"NetworkSettings":null}"#,
        )
        .unwrap();
        assert_eq!(c.id, "x");
        assert!(c.host_config.cap_add.is_empty());
        assert!(c.published_ports().is_empty());
        assert!(c.runs_as_root(""));
        let i: ImageInspect =
            serde_json::from_str(r#"{"Id":"sha256:1","RepoTags":null,"Config":null}"#).unwrap();
        assert!(i.repo_tags.is_empty());
        assert!(i.config.is_null());
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(
            serde_json::from_str::<ContainerInspect>(r#"{"HostConfig":{"Privileged":"yes"}}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<Vec<ContainerSummary>>(r#"{"not":"a list"}"#).is_err());
    }

    #[test]
    fn exposure_facts() {
        let c: ContainerInspect = serde_json::from_str(
            r#"{"Name":"/web","State":{"Status":"created","Running":false},
                "Config":{"User":"1000:1000"},
                "HostConfig":{"Privileged":true,"NetworkMode":"host","CapAdd":["NET_ADMIN"],
                  "PortBindings":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}],
                                  "53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}]},
                  "Binds":["/run/docker.sock:/var/run/docker.sock:ro"]},
                "NetworkSettings":{"Ports":{}}}"#,
        )
        .unwrap();
        assert_eq!(c.short_name(), "web");
        let ports = c.published_ports();
        assert_eq!(ports.len(), 2);
        assert_eq!(ports[0].container_port, 53);
        assert_eq!(ports[0].protocol, "udp");
        assert!(ports[0].loopback_only());
        assert!(ports[1].on_all_interfaces());
        assert_eq!(ports[1].host_port, "8080");
        assert!(c.host_network());
        assert!(c.engine_socket_mounted());
        assert!(!c.runs_as_root(""));
        assert!(c.host_config.privileged);
    }

    #[test]
    fn running_containers_report_actual_bindings() {
        let c: ContainerInspect = serde_json::from_str(
            r#"{"State":{"Running":true},"Config":{"User":"0"},
                "HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":""}]}},
                "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"49153"},
                  {"HostIp":"::","HostPort":"49153"}],"443/tcp":null}}}"#,
        )
        .unwrap();
        let ports = c.published_ports();
        assert_eq!(ports.len(), 2);
        assert!(ports
            .iter()
            .all(|p| p.host_port == "49153" && p.on_all_interfaces()));
        assert!(c.runs_as_root("nobody"));
    }
}
