//! `atalaia image --scanners misconfig` (r9): configuration files of the image's final
//! filesystem (a file deleted by a whiteout is not reported) and the image config (history
//! rebuilt as a Dockerfile, under the artifact's name), the coverage record in JSON and table,
//! and the same IDs as Trivy for the same tarball.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{atalaia, command, stderr};

const DOCKERFILE: &str = "FROM alpine:latest\nRUN apk add curl\nCMD [\"sh\"]\n";

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: c
    image: nginx
    securityContext:
      privileged: true
";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.25
        securityContext:
          privileged: true
";

/// A tar of `(path, bytes)` regular files.
fn layer(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, path, *bytes).unwrap();
    }
    b.into_inner().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes a `docker save` tarball: layer 1 holds a Dockerfile, a Deployment, a Pod, a broken
/// YAML file, a non-UTF-8 JSON file and a `node_modules` manifest; layer 2 deletes the Pod with
/// a whiteout. The history has a base image, then a BuildKit `RUN` and an `EXPOSE 22`.
fn write_archive(dir: &Path) -> PathBuf {
    let l1 = layer(&[
        ("app/Dockerfile", DOCKERFILE.as_bytes()),
        ("k8s/pod.yaml", POD.as_bytes()),
        ("k8s/deploy.yaml", DEPLOYMENT.as_bytes()),
        ("k8s/broken.yaml", b"kind: Pod\nspec: [\n"),
        ("app/data.json", b"\xff\xfe{}"),
        ("app/node_modules/x/package.json", b"{}"),
    ]);
    let l2 = layer(&[("k8s/.wh.pod.yaml", b"")]);
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["PATH=/usr/bin"], "ExposedPorts": {"22/tcp": {}}},
        "rootfs": {"type": "layers", "diff_ids": [
            format!("sha256:{}", sha256(&l1)), format!("sha256:{}", sha256(&l2))
        ]},
        "history": [
            {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
            {"created_by": "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "empty_layer": true},
            {"created_by": "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit"},
            {"created_by": "/bin/sh -c #(nop)  EXPOSE 22", "empty_layer": true}
        ]
    });
    let config = serde_json::to_vec(&config).unwrap();
    let config_name = format!("{}.json", sha256(&config));
    let manifest = json!([{
        "Config": config_name,
        "RepoTags": ["imgmisconf:test"],
        "Layers": ["l0/layer.tar", "l1/layer.tar"]
    }]);
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let path = dir.join("image.tar");
    std::fs::write(
        &path,
        layer(&[
            (config_name.as_str(), &config),
            ("l0/layer.tar", &l1),
            ("l1/layer.tar", &l2),
            ("manifest.json", &manifest),
        ]),
    )
    .unwrap();
    path
}

fn json_report(args: &[&str]) -> Value {
    let out = atalaia(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// `(Target, ID, StartLine)` of every failed check of the `config` results.
fn config_findings(report: &Value) -> BTreeSet<(String, String, u64)> {
    let mut out = BTreeSet::new();
    for r in report["Results"].as_array().into_iter().flatten() {
        if r["Class"] != "config" {
            continue;
        }
        for m in r["Misconfigurations"].as_array().into_iter().flatten() {
            if m["Status"] == "FAIL" {
                out.insert((
                    r["Target"].as_str().unwrap().to_owned(),
                    m["ID"].as_str().unwrap().to_owned(),
                    m["CauseMetadata"]["StartLine"].as_u64().unwrap_or(0),
                ));
            }
        }
    }
    out
}

fn ids_of<'a>(found: &'a BTreeSet<(String, String, u64)>, target: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|(t, _, _)| t == target)
        .map(|(_, id, _)| id.as_str())
        .collect()
}

#[test]
fn r9_image_files_of_the_final_filesystem_and_the_image_config() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = write_archive(tmp.path());
    let input = archive.to_str().unwrap();
    let report = json_report(&[
        "image",
        "--input",
        input,
        "--scanners",
        "misconfig",
        "--format",
        "json",
    ]);
    let found = config_findings(&report);
    assert_eq!(
        ids_of(&found, "app/Dockerfile"),
        ["DS-0001", "DS-0002", "DS-0025", "DS-0026"]
    );
    let k8s = ids_of(&found, "k8s/deploy.yaml");
    assert!(k8s.contains(&"KSV-0017"), "privileged container: {k8s:?}");
    // Deleted by the whiteout of layer 2: not configuration of the image.
    assert!(ids_of(&found, "k8s/pod.yaml").is_empty(), "{found:?}");
    // The image config, reported under the artifact's name, as Trivy does.
    assert_eq!(report["ArtifactName"], input);
    assert_eq!(
        ids_of(&found, input),
        ["DS-0002", "DS-0004", "DS-0026", "DS-0029"]
    );
    let config_result = report["Results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Target"] == input)
        .unwrap();
    assert_eq!(config_result["Class"], "config");
    assert_eq!(config_result["Type"], "dockerfile");
    assert_eq!(config_result["MisconfSummary"]["Failures"], 4);
    // Coverage: the two evaluated files, and the two that could not be, with the reason;
    // `node_modules` is not configuration.
    let coverage = &report["MisconfCoverage"];
    assert_eq!(coverage["FilesFound"], 4, "{coverage}");
    assert_eq!(coverage["FilesEvaluated"], 2, "{coverage}");
    let skipped: Vec<(&str, &str)> = coverage["NotEvaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["Path"].as_str().unwrap(), n["Reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0], ("app/data.json", "not UTF-8 text"));
    assert_eq!(skipped[1].0, "k8s/broken.yaml");
    assert!(
        skipped[1].1.starts_with("invalid kubernetes"),
        "{skipped:?}"
    );
}

#[test]
fn r9_layer_cache_keeps_the_configuration_files() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = write_archive(tmp.path());
    let cache = tmp.path().join("cache");
    let run = || {
        let out = command(&[
            "image",
            "--input",
            archive.to_str().unwrap(),
            "--scanners",
            "misconfig",
            "--format",
            "json",
        ])
        .env("ATALAIA_CACHE_DIR", &cache)
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        (config_findings(&report), report["MisconfCoverage"].clone())
    };
    let first = run();
    assert!(cache.join("scan").exists(), "no layer cache was written");
    // The second run reads both layers from the cache: same findings, same coverage.
    assert_eq!(run(), first);
    assert!(!first.0.is_empty());
}

#[test]
fn r9_image_misconfig_table_shows_failures_code_and_coverage() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = write_archive(tmp.path());
    let out = atalaia(&[
        "image",
        "--input",
        archive.to_str().unwrap(),
        "--scanners",
        "misconfig",
        "--severity",
        "HIGH,CRITICAL",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "┆ Misconfigurations │",
        "app/Dockerfile (dockerfile)\n===========================\nTests: 27 (SUCCESSES: 23, FAILURES: 4)\nFailures: 2 (HIGH: 2, CRITICAL: 0)\n",
        "DS-0025 (HIGH): '--no-cache' is missed: apk add curl\n",
        "See https://avd.aquasec.com/misconfig/ds-0025\n",
        " app/Dockerfile:2\n",
        "   2 [ RUN apk add curl\n",
        "Misconfiguration coverage\n=========================\n4 configuration files found, 2 evaluated, 2 not evaluated\n- `app/data.json`: not UTF-8 text\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // `--severity` hides the MEDIUM and LOW failures.
    assert!(!text.contains("DS-0001 (MEDIUM)"), "{text}");
    assert!(!text.contains("DS-0026 (LOW)"), "{text}");
}

#[test]
fn r9_without_the_misconfig_scanner_there_is_no_config_result_nor_coverage() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = write_archive(tmp.path());
    let report = json_report(&[
        "image",
        "--input",
        archive.to_str().unwrap(),
        "--scanners",
        "secret",
        "--format",
        "json",
    ]);
    assert!(config_findings(&report).is_empty());
    assert!(report.get("MisconfCoverage").is_none(), "{report}");
}

#[test]
fn r9_corpus_distroless_image_config_is_checked() {
    let input = atalaia_test::corpus_dir().join("docker-archive/distroless-like.tar");
    let input = input.to_str().unwrap();
    let report = json_report(&[
        "image",
        "--input",
        input,
        "--scanners",
        "misconfig",
        "--format",
        "json",
    ]);
    let found = config_findings(&report);
    // Its config sets a non-root `USER` and no `HEALTHCHECK` (Trivy: DS-0026 only).
    assert_eq!(ids_of(&found, input), ["DS-0026"]);
    assert_eq!(report["MisconfCoverage"]["FilesFound"], 0);
    // OS packages are still listed beside the misconfigurations.
    assert!(report["Results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["Class"] == "os-pkgs"));
}

/// Trivy 0.76 (see `.ci/deps/imgmisconf.sh`), or `None` (with a note) outside CI.
fn trivy() -> Option<PathBuf> {
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
            eprintln!("note: trivy not found on PATH; the differential test is skipped");
        }
    }
    found
}

fn trivy_report(trivy: &Path, input: &str, cache: &Path) -> Value {
    let out = Command::new(trivy)
        .args([
            "image",
            "--cache-dir",
            cache.to_str().unwrap(),
            "--input",
            input,
            "--scanners",
            "misconfig",
            "--image-config-scanners",
            "misconfig",
            "--offline-scan",
            "--skip-db-update",
            "--skip-check-update",
            "--skip-version-check",
            "--disable-telemetry",
            "--quiet",
            "--format",
            "json",
        ])
        .output()
        .expect("run trivy");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("trivy's JSON")
}

#[test]
fn r9_same_failures_as_trivy_for_the_same_tarballs() {
    let Some(trivy) = trivy() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let built = write_archive(tmp.path());
    let corpus = atalaia_test::corpus_dir().join("docker-archive/distroless-like.tar");
    for archive in [built, corpus] {
        let input = archive.to_str().unwrap();
        let theirs = config_findings(&trivy_report(&trivy, input, &tmp.path().join("cache")));
        let ours = config_findings(&json_report(&[
            "image",
            "--input",
            input,
            "--scanners",
            "misconfig",
            "--format",
            "json",
        ]));
        assert!(!theirs.is_empty(), "{input}: Trivy found nothing");
        assert_eq!(
            ours, theirs,
            "{input}: (target, ID, line) differ from Trivy's"
        );
    }
}

/// `(Target, ID, StartLine, Layer)` of every failed check of the `config` results.
fn config_findings_with_layers(report: &Value) -> BTreeSet<(String, String, u64, String)> {
    let mut out = BTreeSet::new();
    for r in report["Results"].as_array().into_iter().flatten() {
        if r["Class"] != "config" {
            continue;
        }
        for m in r["Misconfigurations"].as_array().into_iter().flatten() {
            if m["Status"] == "FAIL" {
                out.insert((
                    r["Target"].as_str().unwrap().to_owned(),
                    m["ID"].as_str().unwrap().to_owned(),
                    m["CauseMetadata"]["StartLine"].as_u64().unwrap_or(0),
                    m.get("Layer").map_or(String::new(), Value::to_string),
                ));
            }
        }
    }
    out
}

fn misconfig_report(input: &str) -> Value {
    json_report(&[
        "image",
        "--input",
        input,
        "--scanners",
        "misconfig",
        "--format",
        "json",
    ])
}

/// Every image of the corpus, as `--input` takes it (OCI layout references, `docker save`
/// tarballs, the zstd layout).
fn corpus_inputs() -> Vec<String> {
    let corpus = atalaia_test::corpus_dir();
    let index = std::fs::read(corpus.join("oci/index.json")).expect("corpus oci/index.json");
    let index: Value = serde_json::from_slice(&index).unwrap();
    let mut inputs: Vec<String> = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let name = m["annotations"]["org.opencontainers.image.ref.name"]
                .as_str()
                .unwrap();
            format!("{}:{name}", corpus.join("oci").display())
        })
        .collect();
    assert!(inputs.len() >= 13, "{inputs:?}");
    for tar in ["alpine-3.20.3", "distroless-like", "tricky-layers"] {
        let path = corpus.join(format!("docker-archive/{tar}.tar"));
        inputs.push(path.to_str().unwrap().to_owned());
    }
    inputs.push(corpus.join("oci-zstd").to_str().unwrap().to_owned());
    inputs
}

/// The image config of every corpus image, rebuilt as Trivy 0.76 does: the alpine and
/// Debian images' history steps are a builder's own text, not instructions (no result at
/// all, where atalaia used to keep a plain `ADD` and report DS-0002 and DS-0026); the
/// distroless-like image only sets a non-root user (DS-0026 for the whole file, in its three
/// formats). Measured with `trivy image --image-config-scanners misconfig`.
#[test]
fn imgconf_every_corpus_image_config_as_trivy() {
    for input in corpus_inputs() {
        let found = config_findings(&misconfig_report(&input));
        // `oci-zstd` holds the distroless-like image only.
        let expected: &[&str] = if input.contains("distroless-like") || input.ends_with("oci-zstd")
        {
            &["DS-0026"]
        } else {
            &[]
        };
        assert_eq!(ids_of(&found, &input), expected, "{input}");
        // No configuration file in the layers of these images either.
        assert!(found.iter().all(|(t, _, _)| *t == input), "{found:?}");
    }
}

#[test]
fn imgconf_every_corpus_image_same_failures_as_trivy() {
    let Some(trivy) = trivy() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for input in corpus_inputs() {
        let theirs =
            config_findings_with_layers(&trivy_report(&trivy, &input, &tmp.path().join("cache")));
        let ours = config_findings_with_layers(&misconfig_report(&input));
        assert_eq!(ours, theirs, "{input}: (target, ID, line, layer) differ");
    }
}

/// A `docker save` tarball with the given history and `config`: one layer per non-empty
/// history entry; layer 0 holds `app/Dockerfile` and a privileged Pod, layer 2 replaces
/// `app/Dockerfile`. Returns the path and the layers' DiffIDs.
fn write_history_archive(dir: &Path, history: &Value, config: &Value) -> (PathBuf, Vec<String>) {
    let steps = history.as_array().unwrap();
    let non_empty = steps
        .iter()
        .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
        .count()
        .max(3);
    let layers: Vec<Vec<u8>> = (0..non_empty)
        .map(|i| {
            let marker = format!("layer {i}");
            let mut files: Vec<(&str, &[u8])> = vec![("marker.txt", marker.as_bytes())];
            if i == 0 {
                files.push(("app/Dockerfile", DOCKERFILE.as_bytes()));
                files.push(("k8s/pod.yaml", POD.as_bytes()));
            }
            if i == 2 {
                files.push((
                    "app/Dockerfile",
                    b"FROM alpine:3\nUSER root\nRUN apk add curl\n",
                ));
            }
            layer(&files)
        })
        .collect();
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| format!("sha256:{}", sha256(l)))
        .collect();
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    });
    let config = serde_json::to_vec(&config).unwrap();
    let config_name = format!("{}.json", sha256(&config));
    let names: Vec<String> = (0..layers.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let manifest = serde_json::to_vec(&json!([{
        "Config": config_name,
        "RepoTags": ["imgconf:test"],
        "Layers": names,
    }]))
    .unwrap();
    let mut files: Vec<(&str, &[u8])> = vec![(config_name.as_str(), &config)];
    for (name, l) in names.iter().zip(&layers) {
        files.push((name.as_str(), l));
    }
    files.push(("manifest.json", &manifest));
    let path = dir.join("history.tar");
    std::fs::write(&path, layer(&files)).unwrap();
    (path, diff_ids)
}

/// Every form of history step Trivy tells apart: classic builder (`#(nop)` and shell `RUN`),
/// BuildKit (`# buildkit` steps, plain `EXPOSE`/`WORKDIR`/`CMD`/`MAINTAINER` it drops, `USER`,
/// `ENV`, `ARG`, `ENTRYPOINT`, `HEALTHCHECK` rebuilt from the config), Buildah metadata
/// suffixes, the config's user, and the checks a history always trips.
fn history_forms() -> (Value, Value) {
    let history = json!([
        {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
        {"created_by": "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "empty_layer": true},
        {"created_by": "/bin/sh -c apk add curl"},
        {"created_by": "/bin/sh -c #(nop) COPY file:def in /app "},
        {"created_by": "/bin/sh -c #(nop)  EXPOSE 22", "empty_layer": true},
        {"created_by": "RUN /bin/sh -c apt-get install curl # buildkit"},
        {"created_by": "EXPOSE map[23/tcp:{}]", "empty_layer": true},
        {"created_by": "ENV A=hello world", "empty_layer": true},
        {"created_by": "WORKDIR app", "empty_layer": true},
        {"created_by": "/bin/sh -c #(nop) WORKDIR rel|force-mtime=10", "empty_layer": true},
        {"created_by": "HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f localhost\"] \"10s\" \"3s\" \"0s\" '\\x00'}", "empty_layer": true},
        {"created_by": "/bin/sh -c #(nop)  MAINTAINER x", "empty_layer": true},
        {"created_by": "MAINTAINER y", "empty_layer": true},
        {"created_by": "RUN |1 X=y /bin/sh -c sudo ls # buildkit"},
        {"created_by": "RUN apk add wget"},
        {"created_by": "USER root", "empty_layer": true},
        {"created_by": "ARG X=y", "empty_layer": true},
        {"created_by": "ENTRYPOINT [\"a\"]", "empty_layer": true},
        {"created_by": "/bin/sh -c #(nop)  ENTRYPOINT [\"b\"]", "empty_layer": true},
        {"created_by": "COPY x /x # buildkit"},
        {"created_by": "CMD [\"x\"]", "empty_layer": true},
        {"created_by": "/bin/sh -c #(nop)  CMD [\"y\"]", "empty_layer": true}
    ]);
    let config = json!({
        "User": "app",
        "Healthcheck": {
            "Test": ["CMD-SHELL", "curl -f localhost"],
            "Interval": 10_000_000_000_u64,
            "Timeout": 3_000_000_000_u64,
            "StartPeriod": 90_000_000_000_u64,
            "Retries": 3
        }
    });
    (history, config)
}

#[test]
fn imgconf_history_forms_give_trivys_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let (history, config) = history_forms();
    let (archive, _) = write_history_archive(tmp.path(), &history, &config);
    let input = archive.to_str().unwrap();
    let found = config_findings(&misconfig_report(input));
    let lines: Vec<(&str, u64)> = found
        .iter()
        .filter(|(t, _, _)| t == input)
        .map(|(_, id, line)| (id.as_str(), *line))
        .collect();
    // Line n is the n-th step after the base image. Kept: the classic `RUN` (DS-0025, 1),
    // `#(nop) EXPOSE 22` (DS-0004, 3), BuildKit's `RUN` (DS-0021/DS-0029, 4), the
    // `#(nop) MAINTAINER` (DS-0022, 10), the `RUN` after build arguments (DS-0010, 12), the
    // `#(nop) WORKDIR` without its metadata suffix (DS-0009, 8). Dropped: BuildKit's plain
    // `WORKDIR app`, `MAINTAINER y`, `RUN apk add wget`; DS-0002 (the config's user `app`
    // comes last), DS-0007 and DS-0016.
    assert_eq!(
        lines,
        [
            ("DS-0004", 3),
            ("DS-0009", 8),
            ("DS-0010", 12),
            ("DS-0021", 4),
            ("DS-0022", 10),
            ("DS-0025", 1),
            ("DS-0029", 4)
        ]
    );
}

#[test]
fn imgconf_findings_of_image_files_carry_their_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let (history, config) = history_forms();
    let (archive, diff_ids) = write_history_archive(tmp.path(), &history, &config);
    let report = misconfig_report(archive.to_str().unwrap());
    let mut checked = 0;
    for r in report["Results"].as_array().unwrap() {
        if r["Class"] != "config" {
            continue;
        }
        let want = match r["Target"].as_str().unwrap() {
            // Replaced by layer 2: the last layer that wrote it.
            "app/Dockerfile" => Some(&diff_ids[2]),
            "k8s/pod.yaml" => Some(&diff_ids[0]),
            // The image config is no file of a layer.
            _ => None,
        };
        for m in r["Misconfigurations"].as_array().unwrap() {
            checked += 1;
            match want {
                // A `docker save` tarball stores layers uncompressed: no Digest, as Trivy.
                Some(diff_id) => assert_eq!(m["Layer"], json!({"DiffID": diff_id}), "{r}"),
                None => assert!(m.get("Layer").is_none(), "{m}"),
            }
        }
    }
    assert!(checked > 10, "{report}");
    // The `app/Dockerfile` of layer 2 sets `USER root`: its own findings, not layer 0's.
    let found = config_findings(&report);
    assert_eq!(
        ids_of(&found, "app/Dockerfile"),
        ["DS-0002", "DS-0025", "DS-0026"]
    );
}

#[test]
fn imgconf_history_forms_and_layers_same_as_trivy() {
    let Some(trivy) = trivy() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (history, config) = history_forms();
    let (archive, _) = write_history_archive(tmp.path(), &history, &config);
    // A heredoc step makes the rebuilt Dockerfile unparsable: no image-config result.
    let heredoc = json!([
        {"created_by": "RUN /bin/sh -c set -e\napk add curl # buildkit"},
        {"created_by": "/bin/sh -c #(nop)  EXPOSE 22", "empty_layer": true}
    ]);
    let dir2 = tmp.path().join("heredoc");
    std::fs::create_dir_all(&dir2).unwrap();
    let (archive2, _) = write_history_archive(&dir2, &heredoc, &json!({}));
    for archive in [archive, archive2] {
        let input = archive.to_str().unwrap();
        let theirs =
            config_findings_with_layers(&trivy_report(&trivy, input, &tmp.path().join("cache")));
        let ours = config_findings_with_layers(&misconfig_report(input));
        assert!(!theirs.is_empty(), "{input}: Trivy found nothing");
        assert_eq!(ours, theirs, "{input}: (target, ID, line, layer) differ");
    }
}

/// A whole-file finding has no `StartLine`/`EndLine` in JSON; the report still parses back.
#[test]
fn imgconf_report_with_whole_file_findings_round_trips() {
    let input = atalaia_test::corpus_dir().join("docker-archive/distroless-like.tar");
    let out = atalaia(&[
        "image",
        "--input",
        input.to_str().unwrap(),
        "--scanners",
        "misconfig",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    let report: atalaia_report::Report =
        serde_json::from_slice(&out.stdout).expect("the JSON report parses back");
    let whole: Vec<&atalaia_misconfig::Misconfiguration> = report
        .results
        .iter()
        .flat_map(|r| &r.misconfigurations)
        .filter(|m| m.cause_metadata.start_line == 0)
        .collect();
    assert_eq!(whole.len(), 1, "{value}");
    assert_eq!(whole[0].id, "DS-0026");
    assert_eq!(whole[0].cause_metadata.end_line, 0);
    assert_eq!(serde_json::to_value(&report).unwrap(), value);
}
