//! `atalaia host` against Podman's Docker-compatible API service (issue #10): a rootful
//! `podman system service` on a temporary socket (vfs storage, cgroupfs), containers created
//! through it with published ports, `--privileged` and added capabilities. Skipped with a note
//! when Podman cannot run here; failing under `CI`.

use atalaia_daemon::testing::TestDaemon;
use serde_json::Value;

use crate::{atalaia, stderr};

fn container<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["Containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Name"] == name)
        .unwrap_or_else(|| panic!("no container `{name}` in {report}"))
}

#[test]
fn r10_host_reports_podman_containers_exposure() {
    let Some(p) = TestDaemon::shared_podman() else {
        return;
    };
    assert!(p.client().ping().unwrap().is_podman());
    for image in ["alpine-3.20.3", "debian-bookworm-minbase"] {
        p.load_corpus(image)
            .unwrap_or_else(|e| panic!("load `{image}`: {e}\n{}", p.log()));
    }
    let run = |args: &[&str]| {
        p.docker(args)
            .unwrap_or_else(|e| panic!("{e}\n{}", p.log()))
    };
    for name in ["podcli-public", "podcli-running"] {
        let _ = p.docker(&["rm", "-f", name]);
    }
    run(&[
        "create",
        "--name",
        "podcli-public",
        "-p",
        "0.0.0.0:8081:80",
        "-p",
        "127.0.0.1:5432:5432",
        "--privileged",
        "corpus/alpine-3.20.3",
    ]);
    // Podman's default limits are above what this sandbox allows a process to set.
    run(&[
        "run",
        "-d",
        "--name",
        "podcli-running",
        "--network",
        "none",
        "--read-only",
        "-u",
        "1000",
        "--cap-add",
        "NET_ADMIN",
        "--ulimit",
        "nofile=1024:1024",
        "--ulimit",
        "nproc=1024:1024",
        "corpus/debian-bookworm-minbase",
        "sleep",
        "600",
    ]);
    let host = p.host();
    let out = atalaia(&[
        "host",
        "--all",
        "--format",
        "json",
        "--scanners",
        "secret",
        "--docker-host",
        &host,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["Host"], p.socket().display().to_string());

    let public = container(&report, "podcli-public");
    assert!(
        public["Image"]
            .as_str()
            .unwrap()
            .contains("corpus/alpine-3.20.3"),
        "{}",
        public["Image"]
    );
    assert!(public["ImageID"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(public["State"], "created");
    let e = &public["Exposure"];
    let mut ports = e["Ports"].as_array().unwrap().clone();
    ports.sort_by_key(|p| p["ContainerPort"].as_u64());
    assert_eq!(
        Value::Array(ports),
        serde_json::json!([
            {"HostIP": "0.0.0.0", "HostPort": "8081", "ContainerPort": 80, "Protocol": "tcp"},
            {"HostIP": "127.0.0.1", "HostPort": "5432", "ContainerPort": 5432, "Protocol": "tcp"}
        ]),
        "{e}"
    );
    assert_eq!(e["Privileged"], true, "{e}");
    assert_eq!(e["HostNetwork"], false, "{e}");
    assert_eq!(e["DockerSocketMounted"], false, "{e}");
    assert_eq!(e["RunsAsRoot"], true, "{e}");
    assert_eq!(e["ReadOnlyRootfs"], false, "{e}");
    assert!(public.get("Error").is_none(), "{}", public["Error"]);
    assert!(
        public["Results"].as_array().is_some_and(|r| !r.is_empty()),
        "the image was scanned"
    );

    let running = container(&report, "podcli-running");
    assert_eq!(running["State"], "running", "{}", running["State"]);
    let e = &running["Exposure"];
    assert_eq!(e["Ports"], serde_json::json!([]), "{e}");
    assert_eq!(e["Privileged"], false, "{e}");
    assert_eq!(e["RunsAsRoot"], false, "{e}");
    assert_eq!(e["ReadOnlyRootfs"], true, "{e}");
    // Podman names capabilities with or without the `CAP_` prefix, as given.
    assert!(
        e["CapAdd"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().ends_with("NET_ADMIN")),
        "{e}"
    );

    // Risk order: the exposed, privileged one first.
    let names: Vec<&str> = report["Containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .filter(|n| n.starts_with("podcli-"))
        .collect();
    assert_eq!(names, ["podcli-public", "podcli-running"]);

    // Without `--all`, the running one only.
    let out = atalaia(&[
        "host",
        "--format",
        "json",
        "--scanners",
        "secret",
        "--docker-host",
        &host,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = report["Containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"podcli-running"), "{names:?}");
    assert!(!names.contains(&"podcli-public"), "{names:?}");
    let _ = p.docker(&["rm", "-f", "podcli-public", "podcli-running"]);
}
