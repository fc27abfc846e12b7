//! Audit the containers of a host (`atalaia host`): for each container of the Docker or Podman
//! daemon, what it exposes and what its image carries, riskiest first.
//!
//! ```text
//! DockerClient ─► list + inspect containers ─► Exposure (ports, privileged, socket, root…)
//!       └──────► each distinct image once ─► scan callback (analysis + detection) ─► Results
//!                                         └► Summary (counts per severity, KEV, fixable)
//! ContainerReport[] sorted by risk ─► HostReport (JSON: `Containers`)
//! ```
//!
//! Scanning is a callback ([`ImageScanner`]) so this crate knows nothing of databases or
//! analyzers: the CLI passes one that streams the image from the daemon, matches it and returns
//! Trivy-shaped results. Each image is scanned once however many containers run it.
//!
//! **Risk order** (see [`risk_key`]): containers reachable from the network (a port published on
//! every interface, or the host's network) that carry fixable HIGH/CRITICAL or known-exploited
//! vulnerabilities come first; then known-exploited counts, privilege (privileged, engine
//! socket, added capabilities, root), fixable criticals and highs; ties by name.
#![deny(missing_docs)]

use std::collections::BTreeMap;

use atalaia_daemon::{ContainerInspect, DaemonError, DockerClient};
use atalaia_detect::Severity;
use atalaia_report::{ReportResult, ResultClass};
use serde::{Deserialize, Serialize};

/// What `atalaia host` reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostReport {
    /// The daemon's socket.
    pub host: String,
    /// Every container audited, riskiest first.
    pub containers: Vec<ContainerReport>,
}

/// One container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerReport {
    /// The container ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its name (without the leading `/`).
    pub name: String,
    /// The image as the container names it (`nginx:1.25`).
    pub image: String,
    /// The image ID (`sha256:…`).
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// `running`, `exited`, `created`, …
    pub state: String,
    /// What the container exposes.
    pub exposure: Exposure,
    /// Counts of its findings.
    pub summary: Summary,
    /// The image's findings, as in an image report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ReportResult>,
    /// Why the image could not be scanned, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A port published on the host.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Port {
    /// The host address (`0.0.0.0`, `::`, `127.0.0.1`; empty means every interface).
    #[serde(rename = "HostIP")]
    pub host_ip: String,
    /// The host port.
    pub host_port: String,
    /// The container port.
    pub container_port: u16,
    /// `tcp`, `udp`, `sctp`.
    pub protocol: String,
}

impl Port {
    /// Whether the port listens on every interface (reachable from the network).
    pub fn on_all_interfaces(&self) -> bool {
        matches!(self.host_ip.as_str(), "" | "0.0.0.0" | "::" | "[::]")
    }
}

/// What a container exposes to the network and how much of the host it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Exposure {
    /// Ports published on the host.
    pub ports: Vec<Port>,
    /// `--privileged`.
    pub privileged: bool,
    /// Shares the host's network namespace.
    pub host_network: bool,
    /// A container engine's API socket is mounted (root on the host for whoever reaches it).
    pub docker_socket_mounted: bool,
    /// Runs as root (the container's or the image's user).
    pub runs_as_root: bool,
    /// Capabilities added.
    pub cap_add: Vec<String>,
    /// The root filesystem is read-only.
    pub read_only_rootfs: bool,
}

impl Exposure {
    /// Reads a container's inspection; `image_user` is the image config's `User`.
    pub fn of(container: &ContainerInspect, image_user: &str) -> Exposure {
        let mut cap_add = container.host_config.cap_add.clone();
        cap_add.sort();
        cap_add.dedup();
        Exposure {
            ports: container
                .published_ports()
                .into_iter()
                .map(|p| Port {
                    host_ip: p.host_ip,
                    host_port: p.host_port,
                    container_port: p.container_port,
                    protocol: p.protocol,
                })
                .collect(),
            privileged: container.host_config.privileged,
            host_network: container.host_network(),
            docker_socket_mounted: container.engine_socket_mounted(),
            runs_as_root: container.runs_as_root(image_user),
            cap_add,
            read_only_rootfs: container.host_config.readonly_rootfs,
        }
    }

    /// Whether the network reaches it: a port on every interface, or the host's network.
    pub fn network_exposed(&self) -> bool {
        self.host_network || self.ports.iter().any(Port::on_all_interfaces)
    }
}

/// Counts of a container's findings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Summary {
    /// Vulnerabilities per severity (`CRITICAL`, `HIGH`, …; every severity present, zeros too).
    pub vulnerabilities: BTreeMap<String, u64>,
    /// Vulnerabilities in CISA's Known Exploited Vulnerabilities catalog.
    #[serde(rename = "KEV")]
    pub kev: u64,
    /// HIGH or CRITICAL vulnerabilities with a fixed version.
    pub fixable_high_critical: u64,
    /// Secrets.
    pub secrets: u64,
}

impl Summary {
    /// Counts the findings of `results`.
    pub fn of(results: &[ReportResult]) -> Summary {
        let mut s = Summary::default();
        for sev in [
            Severity::Unknown,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ] {
            s.vulnerabilities.insert(sev.as_str().to_owned(), 0);
        }
        for r in results {
            if r.class == ResultClass::Secret {
                s.secrets += r.secrets.len() as u64;
            }
            for v in &r.vulnerabilities {
                *s.vulnerabilities
                    .entry(v.severity.as_str().to_owned())
                    .or_default() += 1;
                if v.kev {
                    s.kev += 1;
                }
                if v.severity >= Severity::High && !v.fixed_version.is_empty() {
                    s.fixable_high_critical += 1;
                }
            }
        }
        s
    }

    fn count(&self, sev: Severity) -> u64 {
        self.vulnerabilities.get(sev.as_str()).copied().unwrap_or(0)
    }
}

/// The sort key of a container: smaller is riskier.
pub fn risk_key(c: &ContainerReport) -> impl Ord + '_ {
    let e = &c.exposure;
    let s = &c.summary;
    let urgent = e.network_exposed() && (s.fixable_high_critical > 0 || s.kev > 0);
    let privilege = u8::from(e.privileged)
        + u8::from(e.docker_socket_mounted)
        + u8::from(e.host_network)
        + u8::from(!e.cap_add.is_empty())
        + u8::from(e.runs_as_root);
    (
        std::cmp::Reverse(urgent),
        std::cmp::Reverse(e.network_exposed()),
        std::cmp::Reverse(s.kev),
        std::cmp::Reverse(privilege),
        std::cmp::Reverse(s.count(Severity::Critical)),
        std::cmp::Reverse(s.count(Severity::High)),
        c.name.as_str(),
        c.id.as_str(),
    )
}

/// An image to scan for the containers running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageToScan {
    /// The image ID (`sha256:…`): what to export from the daemon.
    pub image_id: String,
    /// How the first container found names it, for display.
    pub name: String,
}

/// Scans one image and returns its results (Trivy-shaped), or why it could not.
pub trait ImageScanner {
    /// Scans `image`.
    fn scan(&mut self, image: &ImageToScan) -> Result<Vec<ReportResult>, String>;
}

impl<F: FnMut(&ImageToScan) -> Result<Vec<ReportResult>, String>> ImageScanner for F {
    fn scan(&mut self, image: &ImageToScan) -> Result<Vec<ReportResult>, String> {
        self(image)
    }
}

/// Lists the daemon's containers (`all`: stopped ones too), scans each distinct image once with
/// `scanner`, and reports every container, riskiest first. An image that cannot be scanned is
/// an [`ContainerReport::error`], not a failure of the audit; a daemon that cannot be reached is.
pub fn audit(
    client: &DockerClient,
    all: bool,
    scanner: &mut dyn ImageScanner,
) -> Result<HostReport, DaemonError> {
    let mut scanned: BTreeMap<String, Result<Vec<ReportResult>, String>> = BTreeMap::new();
    let mut containers = inspect_containers(client, all)?;
    for c in &mut containers {
        let result = scanned.entry(c.image_id.clone()).or_insert_with(|| {
            tracing::info!(image = %c.image, image_id = %c.image_id, "scanning image");
            scanner.scan(&ImageToScan {
                image_id: c.image_id.clone(),
                name: c.image.clone(),
            })
        });
        match result {
            Ok(r) => c.results.clone_from(r),
            Err(e) => c.error = Some(e.clone()),
        }
        c.summary = Summary::of(&c.results);
    }
    sort_by_risk(&mut containers);
    Ok(HostReport {
        host: client.socket().display().to_string(),
        containers,
    })
}

/// Lists the daemon's containers (`all`: stopped ones too) with what each exposes, in the
/// daemon's order, without scanning anything: `summary` and `results` are empty. A container
/// removed between the list and its inspection is left out.
pub fn inspect_containers(
    client: &DockerClient,
    all: bool,
) -> Result<Vec<ContainerReport>, DaemonError> {
    let mut image_users: BTreeMap<String, String> = BTreeMap::new();
    let mut containers = Vec::new();
    for summary in client.list_containers(all)? {
        let inspect = match client.inspect_container(&summary.id) {
            Ok(i) => i,
            // Removed between the list and the inspection: nothing to audit.
            Err(DaemonError::NoSuchContainer { .. }) => continue,
            Err(e) => return Err(e),
        };
        let image_id = inspect.image.clone();
        let user = match image_users.get(&image_id) {
            Some(u) => u.clone(),
            None => {
                let u = client
                    .inspect_image(&image_id)
                    .ok()
                    .and_then(|i| {
                        i.config
                            .get("User")
                            .and_then(|u| u.as_str())
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                image_users.insert(image_id.clone(), u.clone());
                u
            }
        };
        containers.push(ContainerReport {
            id: inspect.id.clone(),
            name: inspect.short_name().to_owned(),
            image: summary.image.clone(),
            image_id,
            state: inspect.state.status.clone(),
            exposure: Exposure::of(&inspect, &user),
            summary: Summary::default(),
            results: Vec::new(),
            error: None,
        });
    }
    Ok(containers)
}

/// Sorts riskiest first (see [`risk_key`]).
pub fn sort_by_risk(containers: &mut [ContainerReport]) {
    containers.sort_by(|a, b| risk_key(a).cmp(&risk_key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(name: &str, exposure: Exposure, summary: Summary) -> ContainerReport {
        ContainerReport {
            id: format!("id-{name}"),
            name: name.to_owned(),
            image: "img".into(),
            image_id: "sha256:00".into(),
            state: "running".into(),
            exposure,
            summary,
            results: Vec::new(),
            error: None,
        }
    }

    fn public_port() -> Vec<Port> {
        vec![Port {
            host_ip: "0.0.0.0".into(),
            host_port: "8080".into(),
            container_port: 80,
            protocol: "tcp".into(),
        }]
    }

    #[test]
    fn exposed_and_fixable_come_first_then_kev_then_privilege() {
        let fixable = Summary {
            fixable_high_critical: 2,
            ..Summary::default()
        };
        let kev = Summary {
            kev: 1,
            ..Summary::default()
        };
        let mut v = vec![
            container("quiet", Exposure::default(), Summary::default()),
            container(
                "privileged",
                Exposure {
                    privileged: true,
                    ..Exposure::default()
                },
                Summary::default(),
            ),
            container("internal-kev", Exposure::default(), kev.clone()),
            container(
                "exposed-clean",
                Exposure {
                    ports: public_port(),
                    ..Exposure::default()
                },
                Summary::default(),
            ),
            container(
                "exposed-fixable",
                Exposure {
                    ports: public_port(),
                    ..Exposure::default()
                },
                fixable,
            ),
        ];
        sort_by_risk(&mut v);
        let names: Vec<&str> = v.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "exposed-fixable",
                "exposed-clean",
                "internal-kev",
                "privileged",
                "quiet"
            ]
        );
    }

    #[test]
    fn loopback_ports_are_not_network_exposure() {
        let mut e = Exposure {
            ports: vec![Port {
                host_ip: "127.0.0.1".into(),
                host_port: "5432".into(),
                container_port: 5432,
                protocol: "tcp".into(),
            }],
            ..Exposure::default()
        };
        assert!(!e.network_exposed());
        e.ports[0].host_ip = "::".into();
        assert!(e.network_exposed());
        let host = Exposure {
            host_network: true,
            ..Exposure::default()
        };
        assert!(host.network_exposed());
    }

    #[test]
    fn summary_counts_every_severity_kev_fixable_and_secrets() {
        let json = serde_json::json!([
            {"Target": "x (debian 12)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": [
                {"VulnerabilityID": "CVE-1", "PkgName": "a", "PkgIdentifier": {}, "InstalledVersion": "1",
                 "FixedVersion": "2", "Status": "fixed", "DataSource": {"ID": "d", "Name": "d", "URL": ""},
                 "Severity": "CRITICAL", "KEV": true},
                {"VulnerabilityID": "CVE-2", "PkgName": "a", "PkgIdentifier": {}, "InstalledVersion": "1",
                 "Status": "affected", "DataSource": {"ID": "d", "Name": "d", "URL": ""},
                 "Severity": "HIGH"}
            ]},
            {"Target": "/app/.env", "Class": "secret", "Secrets": [
                {"RuleID": "github-pat", "Category": "GitHub", "Severity": "CRITICAL", "Title": "t",
                 "StartLine": 1, "EndLine": 1, "Code": {"Lines": []}, "Match": "x", "Offset": 0}
            ]}
        ]);
        let results: Vec<ReportResult> = serde_json::from_value(json).unwrap();
        let s = Summary::of(&results);
        assert_eq!(s.vulnerabilities["CRITICAL"], 1);
        assert_eq!(s.vulnerabilities["HIGH"], 1);
        assert_eq!(s.vulnerabilities["LOW"], 0);
        assert_eq!((s.kev, s.fixable_high_critical, s.secrets), (1, 1, 1));
    }
}
