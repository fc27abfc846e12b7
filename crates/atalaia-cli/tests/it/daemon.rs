//! Images by name from a real `dockerd` (`--image-src`, `--docker-host`), and `atalaia host`
//! auditing its containers. The daemon is shared by the tests of this binary; each test uses
//! container names of its own. Skipped with a note when `dockerd` cannot run here; failing
//! under `CI`.

use atalaia_daemon::testing::TestDaemon;
use serde_json::Value;

use crate::{atalaia, stderr};

fn docker() -> Option<&'static TestDaemon> {
    TestDaemon::shared_docker()
}

fn load(d: &TestDaemon, image: &str) -> String {
    d.load_corpus(image)
        .unwrap_or_else(|e| panic!("load `{image}`: {e}\n{}", d.log()))
        .to_str()
        .unwrap()
        .to_owned()
}

fn json(args: &[&str]) -> Value {
    let out = atalaia(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn image_by_name_from_dockerd_equals_the_tarball() {
    let Some(d) = docker() else { return };
    let host = d.host();
    for image in ["alpine-3.20.3", "tricky-layers"] {
        let tarball = load(d, image);
        let name = format!("corpus/{image}");
        let common = ["--format", "json", "--scanners", "secret"];
        let mut by_name_args = vec!["image", name.as_str(), "--docker-host", host.as_str()];
        by_name_args.extend(common);
        let by_name = json(&by_name_args);
        let mut by_tar_args = vec!["image", "--input", tarball.as_str()];
        by_tar_args.extend(common);
        let by_tar = json(&by_tar_args);
        assert_eq!(by_name["ArtifactName"], name.as_str());
        assert_eq!(by_name["ArtifactType"], "container_image");
        // Image-config secrets are reported under the artifact's name: compare with it replaced.
        let results = |r: &Value, artifact: &str| -> Value {
            let text = serde_json::to_string(&r["Results"]).unwrap();
            serde_json::from_str(&text.replace(artifact, "ARTIFACT")).unwrap()
        };
        let got = results(&by_name, &name);
        let want = results(&by_tar, &tarball);
        let packages = |r: &Value| -> usize {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x["Packages"].as_array().map_or(0, Vec::len))
                .sum()
        };
        assert!(packages(&want) > 0, "{image}: the tarball gave no package");
        assert_eq!(got, want, "{image}: results differ");
        for key in ["ImageID", "DiffIDs", "OS", "ImageConfig"] {
            assert_eq!(
                by_name["Metadata"][key], by_tar["Metadata"][key],
                "{image}: Metadata.{key} differs"
            );
        }
        assert!(
            by_name["Metadata"]["RepoTags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str().unwrap().starts_with(&name)),
            "{image}: {}",
            by_name["Metadata"]
        );
    }
    // `--debug` says which source answered.
    let out = atalaia(&[
        "image",
        "corpus/alpine-3.20.3",
        "--docker-host",
        &host,
        "--scanners",
        "secret",
        "--debug",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(
        log.contains("image found") && log.contains("source=\"docker\""),
        "{log}"
    );
    // tricky-layers carries secrets: the comparison above covered some.
    let tricky = json(&[
        "image",
        "corpus/tricky-layers",
        "--docker-host",
        &host,
        "--format",
        "json",
        "--scanners",
        "secret",
    ]);
    let secrets: usize = tricky["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Secrets"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(secrets > 0, "tricky-layers should hold secrets");
}

#[test]
fn missing_image_is_exit_two_naming_it_and_each_source() {
    let Some(d) = docker() else { return };
    let out = atalaia(&[
        "image",
        "corpus/no-such-image:1",
        "--docker-host",
        &d.host(),
        "--image-src",
        "docker,podman",
        "--scanners",
        "secret",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("`corpus/no-such-image:1`"), "{err}");
    assert!(err.contains("docker: not in the daemon on"), "{err}");
    assert!(err.contains("Caused by: podman: "), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn missing_socket_is_exit_two_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let host = format!("unix://{}/nothing.sock", dir.path().display());
    let out = atalaia(&[
        "image",
        "alpine:3.20",
        "--docker-host",
        &host,
        "--image-src",
        "docker",
        "--scanners",
        "secret",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("nothing.sock"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    // A `tcp://` host is a mistake to report, not a source to skip.
    let out = atalaia(&["image", "x", "--docker-host", "tcp://127.0.0.1:2375"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("`tcp://` scheme"), "{}", stderr(&out));
}

fn container<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["Containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Name"] == name)
        .unwrap_or_else(|| panic!("no container `{name}` in {report}"))
}

#[test]
fn host_reports_each_containers_exposure_riskiest_first() {
    let Some(d) = docker() else { return };
    load(d, "alpine-3.20.3");
    load(d, "debian-bookworm-minbase");
    let run = |args: &[&str]| {
        d.docker(args)
            .unwrap_or_else(|e| panic!("{e}\n{}", d.log()))
    };
    for name in ["clisrc-public", "clisrc-sock", "clisrc-running"] {
        let _ = d.docker(&["rm", "-f", name]);
    }
    run(&[
        "create",
        "--name",
        "clisrc-public",
        "-p",
        "0.0.0.0:8080:80",
        "--privileged",
        "corpus/alpine-3.20.3",
    ]);
    run(&[
        "create",
        "--name",
        "clisrc-sock",
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
    run(&[
        "run",
        "-d",
        "--name",
        "clisrc-running",
        "--network",
        "none",
        "--init",
        "corpus/debian-bookworm-minbase",
        "sleep",
        "600",
    ]);
    let host = d.host();
    let report = json(&[
        "host",
        "--all",
        "--format",
        "json",
        "--scanners",
        "secret",
        "--docker-host",
        &host,
    ]);

    let public = container(&report, "clisrc-public");
    assert_eq!(public["Image"], "corpus/alpine-3.20.3");
    assert!(public["ImageID"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(public["State"], "created");
    let e = &public["Exposure"];
    assert_eq!(
        e["Ports"],
        serde_json::json!([{"HostIP": "0.0.0.0", "HostPort": "8080", "ContainerPort": 80, "Protocol": "tcp"}])
    );
    assert_eq!(e["Privileged"], true);
    assert_eq!(e["HostNetwork"], false);
    assert_eq!(e["DockerSocketMounted"], false);
    assert_eq!(e["RunsAsRoot"], true);
    assert_eq!(e["CapAdd"], serde_json::json!([]));
    assert_eq!(e["ReadOnlyRootfs"], false);
    assert!(public.get("Error").is_none(), "{public}");
    assert!(
        public["Results"].as_array().is_some_and(|r| !r.is_empty()),
        "the image was scanned: {public}"
    );

    let sock = container(&report, "clisrc-sock");
    let e = &sock["Exposure"];
    assert_eq!(e["Ports"], serde_json::json!([]));
    assert_eq!(e["Privileged"], false);
    assert_eq!(e["HostNetwork"], false);
    assert_eq!(e["DockerSocketMounted"], true);
    assert_eq!(e["RunsAsRoot"], false);
    assert_eq!(e["CapAdd"], serde_json::json!(["NET_ADMIN"]));
    assert_eq!(e["ReadOnlyRootfs"], true);

    let running = container(&report, "clisrc-running");
    assert_eq!(running["State"], "running");
    let e = &running["Exposure"];
    assert_eq!(e["Ports"], serde_json::json!([]));
    assert_eq!(e["Privileged"], false);
    assert_eq!(e["DockerSocketMounted"], false);
    assert_eq!(e["RunsAsRoot"], true);
    assert_eq!(e["ReadOnlyRootfs"], false);
    for c in [public, sock, running] {
        assert!(c["Summary"]["KEV"].is_u64(), "{c}");
        assert!(c["Summary"]["Vulnerabilities"]["CRITICAL"].is_u64(), "{c}");
    }

    // Risk order: the privileged, publicly exposed one comes before the two others.
    let names: Vec<&str> = report["Containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .filter(|n| n.starts_with("clisrc-"))
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "clisrc-public", "{names:?}");

    // Without `--all`, only running containers.
    let report = json(&[
        "host",
        "--format",
        "json",
        "--scanners",
        "secret",
        "--docker-host",
        &host,
    ]);
    let names: Vec<&str> = report["Containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"clisrc-running"), "{names:?}");
    assert!(!names.contains(&"clisrc-public"), "{names:?}");
    assert!(!names.contains(&"clisrc-sock"), "{names:?}");

    // The table: one line per container, the public one first.
    let out = atalaia(&[
        "host",
        "--all",
        "--scanners",
        "secret",
        "--docker-host",
        &host,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let ours: Vec<&str> = text.lines().filter(|l| l.starts_with("clisrc-")).collect();
    assert_eq!(ours.len(), 3, "{text}");
    assert!(ours[0].starts_with("clisrc-public "), "{text}");
    assert!(
        ours[0].contains("0.0.0.0:8080->80/tcp") && ours[0].contains("privileged"),
        "{text}"
    );

    // With the `vuln` scanner, filters and `--exit-code`: the summary counts what remains.
    let out = atalaia(&[
        "host",
        "--all",
        "--format",
        "json",
        "--scanners",
        "vuln",
        "--severity",
        "HIGH,CRITICAL",
        "--exit-code",
        "3",
        "--docker-host",
        &host,
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let mut total = 0;
    for c in report["Containers"].as_array().unwrap() {
        assert!(c.get("Error").is_none(), "{c}");
        let counts = c["Summary"]["Vulnerabilities"].as_object().unwrap();
        for (sev, n) in counts {
            if !matches!(sev.as_str(), "HIGH" | "CRITICAL") {
                assert_eq!(n, 0, "{sev} should be filtered out: {c}");
            }
            total += n.as_u64().unwrap();
        }
    }
    let want = if total > 0 { 3 } else { 0 };
    assert_eq!(
        out.status.code(),
        Some(want),
        "{total} findings: {}",
        stderr(&out)
    );
    let _ = d.docker(&["rm", "-f", "clisrc-running"]);
}

#[test]
fn host_without_a_daemon_is_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let host = format!("unix://{}/nothing.sock", dir.path().display());
    let out = atalaia(&["host", "--docker-host", &host, "--scanners", "secret"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing.sock"), "{}", stderr(&out));
    let out = atalaia(&["host", "--format", "cyclonedx", "--docker-host", &host]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`--format table`"),
        "{}",
        stderr(&out)
    );
}
