//! Against a real `dockerd` (Debian `docker.io`), started once for this test binary.

use std::io::Read;
use std::time::Duration;

use atalaia_daemon::testing::TestDaemon;
use atalaia_daemon::{analyze_daemon_image, DaemonError, DockerClient};

use crate::support::{analyzers, assert_same, chain, opts, reference};

macro_rules! dockerd_or_skip {
    () => {
        match TestDaemon::shared_docker() {
            Some(d) => d,
            None => return,
        }
    };
}

/// Loads a corpus image, scans it through the daemon, and compares with the tarball.
fn scan_matches_tarball(d: &TestDaemon, image: &str) -> atalaia_daemon::DaemonImage {
    let tarball = d
        .load_corpus(image)
        .unwrap_or_else(|e| panic!("{e}\n{}", d.log()));
    let opts = opts();
    let client = d.client();
    let got = analyze_daemon_image(
        &client,
        &format!("corpus/{image}:latest"),
        &analyzers(&opts),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let (source, want) = reference(tarball.to_str().unwrap(), &opts);
    assert_same(&got.analysis, &want, image);
    assert_eq!(got.metadata.image_id, source.metadata.image_id, "{image}");
    assert_eq!(got.metadata.diff_ids, source.metadata.diff_ids, "{image}");
    assert_eq!(got.metadata.layers, source.metadata.layers, "{image}");
    assert_eq!(got.metadata.image_config, source.metadata.image_config);
    assert_eq!(
        got.inspect.id,
        source.metadata.image_id.as_ref().unwrap().as_str()
    );
    assert_eq!(got.stats.layers_dropped, 0);
    assert_eq!(got.layers.len(), source.layers.len());
    got
}

#[test]
fn ping_and_version() {
    let d = dockerd_or_skip!();
    let client = d.client();
    assert!(client.api_version().is_some());
    let ping = client.ping().unwrap();
    assert!(!ping.is_podman());
    let v = client.version().unwrap();
    assert!(!v.api_version.is_empty() && !v.version.is_empty(), "{v:?}");
    assert_eq!(v.os, "linux");
}

#[test]
fn alpine_from_the_daemon_equals_the_tarball() {
    let d = dockerd_or_skip!();
    let got = scan_matches_tarball(d, "alpine-3.20.3");
    assert_eq!(got.analysis.inventory.os_packages[0].packages.len(), 14);
    assert_eq!(got.metadata.repo_tags, vec!["corpus/alpine-3.20.3:latest"]);
}

#[test]
fn tricky_layers_from_the_daemon_keep_deleted_secrets() {
    let d = dockerd_or_skip!();
    let got = scan_matches_tarball(d, "tricky-layers");
    assert!(got.analysis.secrets.iter().any(|s| s.deleted));
}

#[test]
fn debian_from_the_daemon_equals_the_tarball() {
    let d = dockerd_or_skip!();
    let got = scan_matches_tarball(d, "debian-bookworm-minbase");
    assert_eq!(got.analysis.inventory.os_packages[0].packages.len(), 88);
    assert_eq!(got.analysis.inventory.os.as_ref().unwrap().version, "12.15");
}

/// The streamed metadata equals atalaia-artifact's for the export saved to disk, byte for byte
/// the same stream.
#[test]
fn streamed_metadata_equals_the_saved_export() {
    let d = dockerd_or_skip!();
    d.load_corpus("distroless-like").unwrap();
    let client = d.client();
    let name = "corpus/distroless-like:latest";
    let mut export = client.export_image(name).unwrap();
    let mut bytes = Vec::new();
    export.read_to_end(&mut bytes).unwrap();
    assert_eq!(export.bytes_read(), bytes.len() as u64);
    let path = d.scratch_dir().join("distroless-export.tar");
    std::fs::write(&path, &bytes).unwrap();
    let opts = opts();
    let got = analyze_daemon_image(&client, name, &analyzers(&opts), &opts).unwrap();
    let (source, want) = reference(path.to_str().unwrap(), &opts);
    assert_eq!(got.metadata, source.metadata);
    assert_same(&got.analysis, &want, "distroless-like export");
}

#[test]
fn missing_images_and_containers_are_clear_errors() {
    let d = dockerd_or_skip!();
    let client = d.client();
    let opts = opts();
    let err = analyze_daemon_image(&client, "corpus/no-such-image:1", &analyzers(&opts), &opts)
        .unwrap_err();
    assert!(matches!(err, DaemonError::NoSuchImage { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("corpus/no-such-image:1"), "{text}");
    assert!(text.contains(&d.socket().display().to_string()), "{text}");
    assert!(err.hint().is_some());
    assert!(err.is_unavailable());
    let err = client.export_image("corpus/no-such-image:1").unwrap_err();
    assert!(matches!(err, DaemonError::NoSuchImage { .. }), "{err:?}");
    let err = client.inspect_container("no-such-container").unwrap_err();
    assert!(
        matches!(err, DaemonError::NoSuchContainer { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("no-such-container"));
}

#[test]
fn missing_socket_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("docker.sock");
    let err = DockerClient::connect(&sock).unwrap_err();
    assert!(matches!(err, DaemonError::SocketMissing { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("Docker socket `{}` does not exist", sock.display())
    );
    let err = DockerClient::from_host(Some("tcp://127.0.0.1:2375")).unwrap_err();
    assert!(matches!(err, DaemonError::BadHost { .. }), "{err:?}");
}

/// Containers created (and one running) with the exposures `atalaia host` reports.
#[test]
fn containers_list_and_inspect() {
    let d = dockerd_or_skip!();
    d.load_corpus("alpine-3.20.3").unwrap();
    d.load_corpus("debian-bookworm-minbase").unwrap();
    let docker = |args: &[&str]| {
        d.docker(args)
            .unwrap_or_else(|e| panic!("{e}\n{}", d.log()))
            .trim()
            .to_owned()
    };
    let exposed = docker(&[
        "create",
        "--name",
        "t-exposed",
        "-p",
        "0.0.0.0:8080:80",
        "-p",
        "127.0.0.1:5353:53/udp",
        "--privileged",
        "corpus/alpine-3.20.3",
    ]);
    let sock = docker(&[
        "create",
        "--name",
        "t-sock",
        "-v",
        "/var/run/docker.sock:/var/run/docker.sock",
        "--cap-add",
        "NET_ADMIN",
        "--read-only",
        "-u",
        "1000",
        "--network",
        "none",
        "corpus/debian-bookworm-minbase",
    ]);
    let runner = docker(&[
        "run",
        "-d",
        "--name",
        "t-runner",
        "--network",
        "none",
        "--init",
        "corpus/debian-bookworm-minbase",
        "sleep",
        "600",
    ]);
    let client = d.client();

    let all = client.list_containers(true).unwrap();
    for id in [&exposed, &sock, &runner] {
        assert!(all.iter().any(|c| &c.id == id), "{id} not listed: {all:?}");
    }
    let running = client.list_containers(false).unwrap();
    assert!(running.iter().any(|c| c.id == runner));
    assert!(!running.iter().any(|c| c.id == exposed || c.id == sock));
    let r = all.iter().find(|c| c.id == runner).unwrap();
    assert_eq!(r.name(), "t-runner");
    assert_eq!(r.state, "running");
    assert_eq!(r.host_config.network_mode, "none");

    let alpine_id = client.inspect_image("corpus/alpine-3.20.3").unwrap().id;
    let debian_id = client
        .inspect_image("corpus/debian-bookworm-minbase")
        .unwrap()
        .id;

    let e = client.inspect_container(&exposed).unwrap();
    assert_eq!(e.short_name(), "t-exposed");
    assert_eq!(e.image, alpine_id);
    assert_eq!(e.state.status, "created");
    assert!(!e.state.running);
    assert!(e.host_config.privileged);
    let ports = e.published_ports();
    assert_eq!(ports.len(), 2, "{ports:?}");
    let web = ports.iter().find(|p| p.container_port == 80).unwrap();
    assert_eq!(
        (
            web.host_ip.as_str(),
            web.host_port.as_str(),
            web.protocol.as_str()
        ),
        ("0.0.0.0", "8080", "tcp")
    );
    assert!(web.on_all_interfaces());
    let dns = ports.iter().find(|p| p.container_port == 53).unwrap();
    assert_eq!(dns.protocol, "udp");
    assert!(dns.loopback_only() && !dns.on_all_interfaces());
    assert!(!e.engine_socket_mounted());
    assert!(e.runs_as_root(""));
    assert!(!e.host_config.readonly_rootfs);

    let s = client.inspect_container(&sock).unwrap();
    assert_eq!(s.image, debian_id);
    assert!(s.engine_socket_mounted());
    assert!(s
        .mounts
        .iter()
        .any(|m| m.r#type == "bind" && m.destination == "/var/run/docker.sock" && m.rw));
    assert_eq!(s.host_config.cap_add, vec!["NET_ADMIN"]);
    assert!(s.host_config.readonly_rootfs);
    assert_eq!(s.config.user, "1000");
    assert!(!s.runs_as_root(""));
    assert!(!s.host_config.privileged);
    assert!(s.published_ports().is_empty());

    let r = client.inspect_container(&runner).unwrap();
    assert!(r.state.running);
    assert!(r.state.pid > 0);
    assert_eq!(r.host_config.network_mode, "none");
    assert!(!r.host_network());
    assert!(r.runs_as_root(""));

    // By name as well as by ID.
    assert_eq!(client.inspect_container("t-runner").unwrap().id, runner);

    docker(&["rm", "-f", "t-exposed", "t-sock", "t-runner"]);
    let after = client.list_containers(true).unwrap();
    assert!(!after
        .iter()
        .any(|c| c.id == runner || c.id == exposed || c.id == sock));
}

/// A short timeout does not break a normal exchange (the daemon answers at once).
#[test]
fn short_timeouts_still_work() {
    let d = dockerd_or_skip!();
    let client = d.client().with_timeout(Duration::from_secs(2));
    client.ping().unwrap();
    client.list_containers(true).unwrap();
}
