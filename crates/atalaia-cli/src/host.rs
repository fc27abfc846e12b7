//! `atalaia host`: every container of the Docker (or Podman) daemon, what it exposes and what its
//! image carries, riskiest first. Each distinct image is exported from the daemon and scanned
//! once (analysis, secrets, and matching when the `vuln` scanner runs).

use std::io::{self, Write};

use anyhow::Context;
use atalaia_daemon::{DaemonError, DockerClient};
use atalaia_detect::{DetectOptions, Severity};
use atalaia_host::{ContainerReport, HostReport, ImageToScan};
use atalaia_report::ReportResult;
use atalaia_types::ArtifactKind;

use crate::args::Format;
use crate::settings::{ScanSettings, Target};
use crate::ExitStatus;

/// Audits the daemon's containers and writes the report.
pub(crate) fn run(settings: ScanSettings) -> anyhow::Result<ExitStatus> {
    let Target::Host { all, docker_host } = &settings.target else {
        anyhow::bail!("`atalaia host` was started without a host target");
    };
    let client = engine_client(docker_host.as_deref()).map_err(crate::source::hinted)?;
    tracing::debug!(socket = %client.socket().display(), "auditing the daemon's containers");
    let db = match &settings.vuln_db {
        Some(path) => Some(atalaia_vulndb::VulnDb::open(path).with_context(|| {
            format!("Failed to open vulnerability database `{}`", path.display())
        })?),
        None => None,
    };
    let analyzers =
        atalaia_analyze::analyzers_for(atalaia_analyze::ScanMode::Image, &settings.analyze);
    let mut findings = 0usize;
    let mut scanner = |image: &ImageToScan| -> Result<Vec<ReportResult>, String> {
        let scanned = atalaia_daemon::analyze_daemon_image(
            &client,
            &image.image_id,
            &analyzers,
            &settings.analyze,
        )
        .map_err(|e| error_chain(&e))?;
        let mut scanned = crate::source::finish(scanned, &settings);
        // Report the image by the name containers use, not by its ID.
        scanned.name.clone_from(&image.name);
        let detections = match &db {
            Some(db) => {
                let opts = DetectOptions::new().ignore_unfixed(settings.filter.ignore_unfixed);
                Some(
                    atalaia_detect::detect(&scanned.analysis.inventory, db, &opts)
                        .map_err(|e| format!("Failed to match `{}`: {e}", image.name))?,
                )
            }
            None => None,
        };
        let options = atalaia_report::ReportOptions {
            list_all_pkgs: settings.list_all_pkgs,
        };
        let mut report = atalaia_report::Report::from_scan(
            &image.name,
            ArtifactKind::ContainerImage,
            &scanned.metadata,
            &scanned.analysis.inventory,
            detections.as_ref(),
            &options,
        );
        report
            .results
            .extend(crate::scan::secret_results(&scanned.analysis.secrets));
        report.apply_filter(&settings.filter);
        if let Some(policy) = &settings.suppress {
            crate::suppress::apply(policy, &mut report);
        }
        findings += report.finding_count();
        Ok(report.results)
    };
    let report = atalaia_host::audit(&client, *all, &mut scanner)
        .map_err(crate::source::hinted)
        .context("Failed to audit the daemon's containers")?;
    for c in &report.containers {
        if let Some(err) = &c.error {
            crate::printer::warn(&format!(
                "Container `{}`: its image `{}` could not be scanned: {err}",
                c.name, c.image
            ));
        }
    }
    write(&settings, &report)?;
    if findings > 0 && settings.exit_code != 0 {
        return Ok(ExitStatus::Findings(settings.exit_code));
    }
    Ok(ExitStatus::Clean)
}

/// The daemon `atalaia host` and `atalaia watch` audit: the one `--docker-host` / `DOCKER_HOST`
/// names; else Docker's default socket, or, when that does not exist, Podman's API socket
/// (`$XDG_RUNTIME_DIR/podman/podman.sock`, `/run/podman/podman.sock`). Negotiated.
pub(crate) fn engine_client(docker_host: Option<&str>) -> Result<DockerClient, DaemonError> {
    let docker = crate::source::docker_client(docker_host);
    match docker {
        Err(e @ DaemonError::SocketMissing { .. }) if docker_host.is_none() => {
            let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from);
            match atalaia_daemon::find_podman_socket(runtime_dir.as_deref()) {
                Some(socket) => {
                    tracing::debug!(socket = %socket.display(), "no Docker socket; using Podman's");
                    DockerClient::connect(socket)
                }
                None => Err(e),
            }
        }
        other => other,
    }
}

/// An error and its causes on one line.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!(": {c}"));
        cur = c.source();
    }
    s
}

fn write(settings: &ScanSettings, report: &HostReport) -> anyhow::Result<()> {
    let render = |out: &mut dyn Write| -> anyhow::Result<()> {
        if settings.format == Format::Json {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)?;
        } else {
            write_table(report, out)?;
        }
        Ok(())
    };
    crate::printer::write_output(settings.output.as_deref(), render)?;
    Ok(())
}

/// What a container exposes, in short words: `0.0.0.0:8080->80/tcp`, `privileged`, ….
fn exposure_words(c: &ContainerReport) -> String {
    let e = &c.exposure;
    let mut words: Vec<String> = e
        .ports
        .iter()
        .map(|p| {
            let ip = if p.host_ip.is_empty() {
                "*"
            } else {
                p.host_ip.as_str()
            };
            format!("{ip}:{}->{}/{}", p.host_port, p.container_port, p.protocol)
        })
        .collect();
    for (on, word) in [
        (e.host_network, "host-network"),
        (e.privileged, "privileged"),
        (e.docker_socket_mounted, "docker-socket"),
        (e.runs_as_root, "root"),
        (!e.read_only_rootfs, "writable-rootfs"),
    ] {
        if on {
            words.push(word.to_owned());
        }
    }
    if !e.cap_add.is_empty() {
        words.push(format!("cap-add={}", e.cap_add.join(",")));
    }
    if words.is_empty() {
        "-".to_owned()
    } else {
        words.join(" ")
    }
}

/// One line per container, riskiest first (the report's order).
fn write_table(report: &HostReport, out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "NAME", "IMAGE", "STATE", "EXPOSURE", "CRITICAL", "HIGH", "KEV", "SECRETS",
    ];
    let rows: Vec<[String; 8]> = report
        .containers
        .iter()
        .map(|c| {
            let count = |s: Severity| {
                c.summary
                    .vulnerabilities
                    .get(s.as_str())
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            };
            [
                c.name.clone(),
                c.image.clone(),
                c.state.clone(),
                exposure_words(c),
                if c.error.is_some() {
                    "error".to_owned()
                } else {
                    count(Severity::Critical)
                },
                count(Severity::High),
                c.summary.kev.to_string(),
                c.summary.secrets.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "Host: {}", report.host)?;
    writeln!(out)?;
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    if rows.is_empty() {
        writeln!(out, "(no containers)")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_host::{Exposure, Port, Summary};

    fn container(name: &str, exposure: Exposure, summary: Summary) -> ContainerReport {
        ContainerReport {
            id: format!("id-{name}"),
            name: name.to_owned(),
            image: "corpus/x".into(),
            image_id: "sha256:00".into(),
            state: "running".into(),
            exposure,
            summary,
            results: Vec::new(),
            error: None,
        }
    }

    #[test]
    fn table_has_one_aligned_line_per_container_with_exposure_and_counts() {
        let mut summary = Summary::of(&[]);
        summary.vulnerabilities.insert("CRITICAL".into(), 3);
        summary.kev = 1;
        summary.secrets = 2;
        let report = HostReport {
            host: "/run/docker.sock".into(),
            containers: vec![
                container(
                    "web",
                    Exposure {
                        ports: vec![Port {
                            host_ip: "0.0.0.0".into(),
                            host_port: "8080".into(),
                            container_port: 80,
                            protocol: "tcp".into(),
                        }],
                        privileged: true,
                        cap_add: vec!["NET_ADMIN".into()],
                        read_only_rootfs: true,
                        ..Exposure::default()
                    },
                    summary,
                ),
                container(
                    "quiet",
                    Exposure {
                        read_only_rootfs: true,
                        ..Exposure::default()
                    },
                    Summary::of(&[]),
                ),
            ],
        };
        let mut out = Vec::new();
        write_table(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Host: /run/docker.sock");
        assert!(lines[2].starts_with("NAME "), "{text}");
        let web = lines[3];
        assert!(web.starts_with("web "), "{text}");
        assert!(
            web.contains("0.0.0.0:8080->80/tcp privileged cap-add=NET_ADMIN"),
            "{text}"
        );
        let cells: Vec<&str> = web.split_whitespace().collect();
        assert_eq!(&cells[cells.len() - 4..], ["3", "0", "1", "2"], "{text}");
        assert!(lines[4].starts_with("quiet "), "{text}");
        assert!(lines[4].contains("  -  "), "{text}");
        // Columns line up: every row's IMAGE starts where the header's does.
        let col = lines[2].find("IMAGE").unwrap();
        assert_eq!(&lines[3][col..col + 8], "corpus/x");
        assert_eq!(&lines[4][col..col + 8], "corpus/x");
    }
}
