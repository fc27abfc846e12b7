//! Images by name from a real containerd (`--image-src containerd`, `CONTAINERD_ADDRESS`,
//! `CONTAINERD_NAMESPACE`), one throwaway containerd per test. Skipped with a note when
//! containerd cannot run here; failing under `CI`.

use std::process::Output;

use atalaia_containerd::testing::TestContainerd;
use serde_json::Value;

use crate::{command, stderr};

fn run(ctd: &TestContainerd, namespace: &str, args: &[&str]) -> Output {
    command(args)
        .env("CONTAINERD_ADDRESS", &ctd.socket)
        .env("CONTAINERD_NAMESPACE", namespace)
        .output()
        .expect("run atalaia")
}

fn json(out: &Output, what: &str) -> Value {
    assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn image_by_name_from_containerd_equals_the_tarball() {
    let Some(ctd) = TestContainerd::start() else {
        return;
    };
    for image in ["alpine-3.20.3", "tricky-layers"] {
        let tarball = atalaia_test::corpus_dir().join(format!("docker-archive/{image}.tar"));
        ctd.import("atalaia", &tarball, false);
        let tarball = tarball.to_str().unwrap();
        let name = format!("corpus/{image}");
        let common = ["--format", "json", "--scanners", "secret"];
        let mut by_name_args = vec!["image", name.as_str(), "--image-src", "containerd"];
        by_name_args.extend(common);
        let out = run(&ctd, "atalaia", &by_name_args);
        let by_name = json(&out, &name);
        assert!(
            stderr(&out).contains(&format!(
                "image `{name}` read from containerd ({}, namespace `atalaia`)",
                ctd.socket.display()
            )),
            "{}",
            stderr(&out)
        );
        let mut by_tar_args = vec!["image", "--input", tarball];
        by_tar_args.extend(common);
        let by_tar = json(&run(&ctd, "atalaia", &by_tar_args), tarball);
        assert_eq!(by_name["ArtifactName"], name.as_str());
        // Image-config secrets are reported under the artifact's name: compare with it replaced.
        let results = |r: &Value, artifact: &str| -> Value {
            let text = serde_json::to_string(&r["Results"]).unwrap();
            serde_json::from_str(&text.replace(artifact, "ARTIFACT")).unwrap()
        };
        let got = results(&by_name, &name);
        let want = results(&by_tar, tarball);
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
        assert_eq!(
            by_name["Metadata"]["RepoTags"],
            serde_json::json!([format!("docker.io/corpus/{image}:latest")])
        );
    }
}

#[test]
fn absent_images_pass_to_the_next_source_then_fail_clearly() {
    let Some(ctd) = TestContainerd::start() else {
        return;
    };
    let tarball = atalaia_test::corpus_dir().join("docker-archive/alpine-3.20.3.tar");
    ctd.import("default", &tarball, false);

    // No such image in the namespace.
    let out = run(
        &ctd,
        "default",
        &["image", "corpus/nope:1", "--image-src", "containerd"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("containerd: not in namespace `default` of containerd on"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");

    // The image is in another namespace.
    let out = run(
        &ctd,
        "k8s.io",
        &["image", "corpus/alpine-3.20.3", "--image-src", "containerd"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no namespace `k8s.io`"), "{err}");
    assert!(err.contains("CONTAINERD_NAMESPACE"), "{err}");

    // No containerd at all: absent, and the next source answers.
    let out = command(&[
        "image",
        "corpus/alpine-3.20.3",
        "--image-src",
        "containerd,docker",
        "--docker-host",
        "unix:///nonexistent/docker.sock",
    ])
    .env("CONTAINERD_ADDRESS", "/nonexistent/containerd.sock")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("containerd: containerd socket `/nonexistent/containerd.sock` does not exist"),
        "{err}"
    );
    assert!(err.contains("docker:"), "{err}");

    // A TCP address is an error, not an absent source.
    let out = command(&["image", "corpus/alpine-3.20.3", "--image-src", "containerd"])
        .env("CONTAINERD_ADDRESS", "tcp://127.0.0.1:1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("only unix sockets"),
        "{}",
        stderr(&out)
    );
}

/// Trivy on `PATH` (CI installs it with `.ci/deps/imgmisconf.sh`), or `None` with a note.
fn trivy() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|d| d.join("trivy"))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "`trivy` is not on PATH; CI installs it with .ci/deps/imgmisconf.sh"
        );
        #[allow(clippy::print_stderr)]
        {
            eprintln!("note: trivy not found on PATH; the containerd differential test is skipped");
        }
    }
    found
}

#[test]
fn same_metadata_and_packages_as_trivy_from_containerd() {
    let Some(trivy) = trivy() else { return };
    let Some(ctd) = TestContainerd::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for image in ["alpine-3.20.3", "distroless-like"] {
        let tarball = atalaia_test::corpus_dir().join(format!("docker-archive/{image}.tar"));
        ctd.import("diff", &tarball, false);
        // Trivy needs the full name; atalaia normalises short ones (tested above).
        let name = format!("docker.io/corpus/{image}:latest");
        let out = std::process::Command::new(&trivy)
            .args(["image", "--image-src", "containerd", "--cache-dir"])
            .arg(tmp.path().join("trivy-cache"))
            .args([
                "--scanners",
                "secret",
                "--list-all-pkgs",
                "--offline-scan",
                "--skip-db-update",
                "--skip-version-check",
                "--disable-telemetry",
                "--quiet",
                "--format",
                "json",
                &name,
            ])
            .env("CONTAINERD_ADDRESS", &ctd.socket)
            .env("CONTAINERD_NAMESPACE", "diff")
            .output()
            .expect("run trivy");
        let theirs = json(&out, "trivy");
        let ours = json(
            &run(
                &ctd,
                "diff",
                &[
                    "image",
                    &name,
                    "--image-src",
                    "containerd",
                    "--format",
                    "json",
                    "--scanners",
                    "secret",
                ],
            ),
            &name,
        );
        for key in ["RepoTags", "RepoDigests", "ImageID", "DiffIDs"] {
            assert_eq!(
                ours["Metadata"][key], theirs["Metadata"][key],
                "{image}: Metadata.{key} differs from Trivy's"
            );
        }
        let packages = |r: &Value| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = r["Results"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|x| x["Class"] == "os-pkgs")
                .flat_map(|x| x["Packages"].as_array().cloned().unwrap_or_default())
                .map(|p| {
                    (
                        p["Name"].as_str().unwrap_or_default().to_owned(),
                        p["Version"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert!(
            !packages(&theirs).is_empty(),
            "{image}: Trivy found no OS package"
        );
        assert_eq!(
            packages(&ours),
            packages(&theirs),
            "{image}: OS packages differ"
        );
    }
}
