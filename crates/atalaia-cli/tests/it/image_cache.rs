//! The image-level result cache (issue #7, acceptance 3): a re-scan of a cached image gives the
//! same report without opening a layer nor decoding a layer analysis, for `--input` and for a
//! registry; other settings miss; a damaged entry is recomputed; eviction, `clean` and
//! concurrent scans cover image entries too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use atalaia_cache::{CacheOptions, CacheStats, SqliteLayerCache};
use atalaia_test::registry::TestRegistry;

use crate::{command, stderr};

/// The debug line of an image-level hit, and of a layer-level one.
const IMAGE_HIT: &str = "image analysis from the cache";
const LAYER_HIT: &str = "layer analysis from the cache";

fn corpus_input(name: &str) -> String {
    atalaia_test::corpus_dir()
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

fn oci_input(oci_ref: &str) -> String {
    format!(
        "{}:{oci_ref}",
        atalaia_test::corpus_dir().join("oci").display()
    )
}

/// `atalaia image --input INPUT --format json --debug` on the cache directory `cache`, plus
/// `extra`; asserts success.
fn scan(cache: &Path, input: &str, extra: &[&str]) -> Output {
    let out = command(&["image", "--input", input, "--format", "json", "--debug"])
        .arg("--cache-dir")
        .arg(cache)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{input}: {}", stderr(&out));
    out
}

/// The report as written, without its creation time.
fn report(out: &Output) -> String {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"CreatedAt\""))
        .collect();
    assert!(kept.len() > 3, "{text}");
    kept.join("\n")
}

fn hit(out: &Output) -> bool {
    stderr(out).contains(IMAGE_HIT)
}

fn layer_hits(out: &Output) -> usize {
    stderr(out).matches(LAYER_HIT).count()
}

fn stats(cache: &Path) -> CacheStats {
    SqliteLayerCache::open(&cache.join("scan"), CacheOptions::default())
        .unwrap()
        .stats()
        .unwrap()
}

#[test]
fn warm_input_scans_equal_cold_ones_and_decode_no_layer() {
    let dir = tempfile::tempdir().unwrap();
    for (input, scanners) in [
        (
            corpus_input("docker-archive/tricky-layers.tar"),
            "vuln,secret",
        ),
        (oci_input("python-app"), "vuln,secret"),
        (oci_input("node-app"), "vuln,misconfig"),
    ] {
        // One cache for all: entries of other images and settings do not get in the way.
        let cache = dir.path().join("cache");
        let cold = scan(&cache, &input, &["--scanners", scanners]);
        assert!(!hit(&cold), "{}", stderr(&cold));
        let warm = scan(&cache, &input, &["--scanners", scanners]);
        assert!(hit(&warm), "{input}: {}", stderr(&warm));
        assert_eq!(layer_hits(&warm), 0, "{input}: {}", stderr(&warm));
        assert_eq!(report(&warm), report(&cold), "{input} {scanners}");
    }
}

#[test]
fn other_settings_miss_the_image_entry() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let input = oci_input("python-app");
    let vuln = scan(&cache, &input, &["--scanners", "vuln"]);
    assert!(!hit(&vuln));
    // Secrets change the layers' analyzers: neither the image nor its layers are reused.
    let secret = scan(&cache, &input, &["--scanners", "vuln,secret"]);
    assert!(!hit(&secret), "{}", stderr(&secret));
    // Misconfiguration adds an analyzer and collects configuration files: a miss too.
    let misconfig = scan(&cache, &input, &["--scanners", "vuln,misconfig"]);
    assert!(!hit(&misconfig), "{}", stderr(&misconfig));
    assert_eq!(stats(&cache).image_entries, 3);
    // Each setting hits its own entry, with its own report.
    for (scanners, cold) in [
        ("vuln", &vuln),
        ("vuln,secret", &secret),
        ("vuln,misconfig", &misconfig),
    ] {
        let warm = scan(&cache, &input, &["--scanners", scanners]);
        assert!(hit(&warm), "{scanners}: {}", stderr(&warm));
        assert_eq!(report(&warm), report(cold), "{scanners}");
    }
    // The misconfiguration scan's own report (its coverage) came back, not another one's.
    assert!(report(&misconfig).contains("MisconfCoverage"));
    assert!(!report(&vuln).contains("MisconfCoverage"));
}

#[test]
fn a_damaged_image_entry_is_deleted_and_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let input = corpus_input("docker-archive/tricky-layers.tar");
    let cold = scan(&cache, &input, &["--scanners", "vuln,secret"]);
    let file = cache.join("scan").join(atalaia_cache::FILE_NAME);
    for bad in [&b"not zstd"[..], b"\x28\xb5\x2f\xfd\x00\x00"] {
        let conn = rusqlite::Connection::open(&file).unwrap();
        assert_eq!(
            conn.execute("UPDATE images SET value = ?1", [bad]).unwrap(),
            1
        );
        drop(conn);
        let again = scan(&cache, &input, &["--scanners", "vuln,secret"]);
        assert!(!hit(&again), "{}", stderr(&again));
        assert!(
            stderr(&again).contains("does not decode; deleted it"),
            "{}",
            stderr(&again)
        );
        assert_eq!(report(&again), report(&cold));
        // Recomputed from the layer cache, and stored again.
        assert!(layer_hits(&again) > 0, "{}", stderr(&again));
        assert_eq!(stats(&cache).image_entries, 1);
    }
    let warm = scan(&cache, &input, &["--scanners", "vuln,secret"]);
    assert!(hit(&warm));
    assert_eq!(report(&warm), report(&cold));
}

#[test]
fn a_tiny_size_cap_evicts_image_entries_and_clean_removes_them() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let input = oci_input("python-app");
    let capped = scan(&cache, &input, &["--cache-max-size", "1B"]);
    assert_eq!(stats(&cache), CacheStats::default());
    let again = scan(&cache, &input, &["--cache-max-size", "1B"]);
    assert!(!hit(&again) && layer_hits(&again) == 0);
    assert_eq!(report(&again), report(&capped));
    // Uncapped: kept; `clean --scan-cache` removes layers and images.
    scan(&cache, &input, &[]);
    let kept = stats(&cache);
    assert_eq!(kept.image_entries, 1, "{kept:?}");
    assert!(kept.entries > 0, "{kept:?}");
    let out = command(&["clean", "--scan-cache", "--cache-dir"])
        .arg(&cache)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "Removed {} cached layer analyses and 1 image analysis",
            kept.entries
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(stats(&cache), CacheStats::default());
    let after = scan(&cache, &input, &[]);
    assert!(!hit(&after));
    assert_eq!(report(&after), report(&capped));
}

#[test]
fn concurrent_scans_on_one_cache_all_succeed_cold_and_warm() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let inputs = [
        oci_input("alpine-3.20.3"),
        oci_input("alpine-3.16.9"),
        oci_input("debian-bookworm-minbase"),
        oci_input("node-app"),
    ];
    let spawn_all = || -> Vec<std::process::Child> {
        inputs
            .iter()
            .map(|input| {
                command(&["image", "--input", input, "--format", "json", "--debug"])
                    .arg("--cache-dir")
                    .arg(&cache)
                    .args(["--scanners", "vuln,secret"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect()
    };
    let wait = |children: Vec<std::process::Child>| -> Vec<Output> {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect()
    };
    let cold = wait(spawn_all());
    for out in &cold {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    }
    assert_eq!(stats(&cache).image_entries, inputs.len() as u64);
    let warm = wait(spawn_all());
    for (w, c) in warm.iter().zip(&cold) {
        assert_eq!(w.status.code(), Some(0), "{}", stderr(w));
        assert!(hit(w), "{}", stderr(w));
        assert_eq!(report(w), report(c));
    }
}

/// Whether `skopeo` is here; panics under CI when it is not (`.ci/deps/remote.sh` installs it).
#[allow(clippy::print_stderr)] // the skip note goes to the test log
fn skopeo_or_skip() -> bool {
    let ok = Command::new("skopeo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but skopeo is missing: run .ci/deps/remote.sh"
        );
        eprintln!("note: skipping, skopeo not installed (run .ci/deps/remote.sh)");
    }
    ok
}

/// Pushes `corpus/oci:oci_ref` to `reg` as `repo_tag` (certificates under `certs`); returns
/// `host/repo_tag`.
fn push(reg: &TestRegistry, certs: &Path, oci_ref: &str, repo_tag: &str) -> String {
    let dest = format!("{}/{repo_tag}", reg.host);
    let out = Command::new("skopeo")
        .args(["copy", "--quiet", "--dest-creds"])
        .arg(format!("{}:{}", reg.username, reg.password))
        .arg("--dest-cert-dir")
        .arg(certs)
        .arg(format!(
            "oci:{}:{oci_ref}",
            atalaia_test::corpus_dir().join("oci").display()
        ))
        .arg(format!("docker://{dest}"))
        .output()
        .expect("run skopeo");
    assert!(
        out.status.success(),
        "skopeo copy {oci_ref} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dest
}

/// Access-log `GET`s of blobs.
fn blob_gets(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("\"GET /v2/") && l.contains("/blobs/sha256:"))
        .collect()
}

#[test]
fn warm_remote_scans_equal_cold_ones_and_fetch_no_layer() {
    if !skopeo_or_skip() {
        return;
    }
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let certs: PathBuf = dir.path().join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::copy(&reg.ca_file, certs.join("ca.crt")).unwrap();
    std::fs::create_dir_all(dir.path().join("docker")).unwrap();
    let name = push(&reg, &certs, "python-app", "corpus/python-app:1");
    let scan_remote = |scanners: &str| {
        let out = command(&["image", &name, "--image-src", "remote", "--format", "json"])
            .args(["--debug", "--scanners", scanners, "--username"])
            .arg(&reg.username)
            .env("ATALAIA_PASSWORD", &reg.password)
            .arg("--registry-ca")
            .arg(&reg.ca_file)
            .arg("--cache-dir")
            .arg(dir.path().join("cache"))
            .env("DOCKER_CONFIG", dir.path().join("docker"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out
    };
    let cold = scan_remote("vuln,secret,misconfig");
    assert!(!hit(&cold));
    let log1 = reg.log_text();
    let warm = scan_remote("vuln,secret,misconfig");
    assert!(hit(&warm), "{}", stderr(&warm));
    assert_eq!(layer_hits(&warm), 0, "{}", stderr(&warm));
    assert_eq!(report(&warm), report(&cold));
    // Only the config blob was fetched again (and the manifest).
    let log2 = reg.log_text();
    let gets = blob_gets(&log2[log1.len()..]);
    let config: serde_json::Value = serde_json::from_slice(&cold.stdout).unwrap();
    let config = config["Metadata"]["ImageID"].as_str().unwrap().to_owned();
    assert_eq!(gets.len(), 1, "{gets:#?}");
    assert!(gets[0].contains(&config), "{gets:#?}");
    // The registry's image equals the layout's.
    let local = scan(
        &dir.path().join("local-cache"),
        &oci_input("python-app"),
        &["--scanners", "vuln,secret,misconfig"],
    );
    let strip = |out: &Output, artifact: &str| {
        let mut v: serde_json::Value =
            serde_json::from_str(&report(out).replace(artifact, "IMAGE")).unwrap();
        let meta = v["Metadata"].as_object_mut().unwrap();
        meta.remove("RepoTags");
        meta.remove("RepoDigests");
        v
    };
    assert_eq!(strip(&warm, &name), strip(&local, &oci_input("python-app")));
}

#[test]
fn warm_containerd_scans_equal_cold_ones_and_read_no_layer() {
    let Some(ctd) = atalaia_containerd::testing::TestContainerd::start() else {
        return;
    };
    let tarball = atalaia_test::corpus_dir().join("docker-archive/tricky-layers.tar");
    ctd.import("atalaia", &tarball, false);
    let dir = tempfile::tempdir().unwrap();
    let scan_ctd = || {
        let out = command(&["image", "corpus/tricky-layers", "--image-src", "containerd"])
            .args(["--format", "json", "--debug", "--scanners", "vuln,secret"])
            .arg("--cache-dir")
            .arg(dir.path())
            .env("CONTAINERD_ADDRESS", &ctd.socket)
            .env("CONTAINERD_NAMESPACE", "atalaia")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out
    };
    let cold = scan_ctd();
    assert!(!hit(&cold));
    assert!(
        stderr(&cold).contains("streaming layer from containerd"),
        "{}",
        stderr(&cold)
    );
    let warm = scan_ctd();
    assert!(hit(&warm), "{}", stderr(&warm));
    assert_eq!(layer_hits(&warm), 0, "{}", stderr(&warm));
    assert!(
        !stderr(&warm).contains("streaming layer from containerd"),
        "{}",
        stderr(&warm)
    );
    assert_eq!(report(&warm), report(&cold));
}

/// The daemon's export is still read (its bytes are what is checked), but the merge comes from
/// the image entry, and the report is the same.
#[test]
fn warm_daemon_scans_equal_cold_ones() {
    let Some(d) = atalaia_daemon::testing::TestDaemon::shared_docker() else {
        return;
    };
    d.load_corpus("tricky-layers")
        .unwrap_or_else(|e| panic!("load: {e}\n{}", d.log()));
    let dir = tempfile::tempdir().unwrap();
    let host = d.host();
    let scan_daemon = || {
        let out = command(&["image", "corpus/tricky-layers", "--docker-host", &host])
            .args(["--format", "json", "--debug", "--scanners", "vuln,secret"])
            .arg("--cache-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out
    };
    let cold = scan_daemon();
    assert!(!hit(&cold));
    assert!(
        stderr(&cold).contains("read from docker"),
        "{}",
        stderr(&cold)
    );
    let warm = scan_daemon();
    assert!(hit(&warm), "{}", stderr(&warm));
    assert_eq!(report(&warm), report(&cold));
    assert_eq!(stats(dir.path()).image_entries, 1);
}
