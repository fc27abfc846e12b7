//! First vs second scan of a corpus image pulled from a local registry, with a fresh layer
//! cache: the second scan must fetch only the manifest and config, and takes the merged result
//! from the image-level cache (run by `bench/remote.sh`). The second CLI report must equal the
//! first (but for its creation time).
//!
//! Usage: `remote_bench [OCI_REF] [RUNS]` (default `python-app`, 3 runs; median reported).
//! With `ATALAIA_BIN=path/to/atalaia`, the same two scans are also timed through the binary.
#![allow(clippy::print_stdout)] // a benchmark prints its numbers

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atalaia_analyze::AnalyzeOptions;
use atalaia_cache::{CacheOptions, SqliteLayerCache};
use atalaia_registry::{Client, Credentials};
use atalaia_remote::{analyze_remote_image, open_remote_image};
use atalaia_test::registry::TestRegistry;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let oci_ref = args.next().unwrap_or_else(|| "python-app".to_owned());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let reg = TestRegistry::start().expect("docker-registry and htpasswd (.ci/deps/dbdist.sh)");
    let certs = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&reg.ca_file, certs.path().join("ca.crt")).expect("copy CA");
    let layout = atalaia_test::corpus_dir().join("oci");
    let name = format!("{}/corpus/{oci_ref}:bench", reg.host);
    let status = Command::new("skopeo")
        .args(["copy", "--quiet", "--dest-creds"])
        .arg(format!("{}:{}", reg.username, reg.password))
        .arg("--dest-cert-dir")
        .arg(certs.path())
        .arg(format!("oci:{}:{oci_ref}", layout.display()))
        .arg(format!("docker://{name}"))
        .status()
        .expect("run skopeo (.ci/deps/daemon.sh)");
    assert!(status.success(), "skopeo copy failed");

    let scan = |cache_dir: &std::path::Path| -> (Duration, atalaia_types::Inventory) {
        let start = Instant::now();
        let client = Arc::new(
            Client::builder()
                .use_docker_config(false)
                .ca_file(&reg.ca_file)
                .credentials(Some(Credentials::new(&reg.username, &reg.password)))
                .build()
                .expect("client"),
        );
        let opts = AnalyzeOptions {
            cache: Some(Arc::new(
                SqliteLayerCache::open(cache_dir, CacheOptions::default()).expect("cache"),
            )),
            ..AnalyzeOptions::default()
        };
        let image = open_remote_image(client, &name, None).expect("open");
        if std::env::var_os("REMOTE_BENCH_PHASES").is_some() {
            println!(
                "  manifest + config: {:.1} ms",
                start.elapsed().as_secs_f64() * 1e3
            );
        }
        let inv = analyze_remote_image(&image, &opts).expect("analyze");
        let elapsed = start.elapsed();
        assert!(inv.packages().next().is_some());
        (elapsed, inv)
    };
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let cache = tempfile::tempdir().expect("cache dir");
        let (cold, cold_inv) = scan(cache.path());
        let (warm, warm_inv) = scan(cache.path());
        assert!(cold_inv == warm_inv, "the cached scan's inventory differs");
        first.push(cold);
        second.push(warm);
    }
    let (f, s) = (median(first), median(second));
    println!("image: {name} ({runs} runs, median)");
    println!("first scan (empty cache): {:.1} ms", f.as_secs_f64() * 1e3);
    println!(
        "second scan (image cached): {:.1} ms",
        s.as_secs_f64() * 1e3
    );
    println!(
        "ratio first/second: {:.1}x (target >= 10x)",
        f.as_secs_f64() / s.as_secs_f64()
    );

    // The same through the command line, when `ATALAIA_BIN` names the binary: whole processes,
    // `--image-src remote`, the secret scanner (no vulnerability database needed).
    let Some(bin) = std::env::var_os("ATALAIA_BIN") else {
        return;
    };
    let cli = |cache_dir: &std::path::Path| -> (Duration, String) {
        let start = Instant::now();
        let out = Command::new(&bin)
            .args([
                "image",
                &name,
                "--image-src",
                "remote",
                "--scanners",
                "secret",
            ])
            .args(["--format", "json", "--quiet", "--username", &reg.username])
            .arg("--registry-ca")
            .arg(&reg.ca_file)
            .arg("--cache-dir")
            .arg(cache_dir)
            .env("ATALAIA_PASSWORD", &reg.password)
            .env("DOCKER_CONFIG", cache_dir)
            .output()
            .expect("run atalaia");
        let elapsed = start.elapsed();
        assert!(
            out.status.success(),
            "atalaia failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: String = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.trim_start().starts_with("\"CreatedAt\""))
            .collect();
        (elapsed, report)
    };
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let cache = tempfile::tempdir().expect("cache dir");
        let (cold, cold_report) = cli(cache.path());
        let (warm, warm_report) = cli(cache.path());
        assert!(
            cold_report == warm_report,
            "the cached scan's report differs"
        );
        first.push(cold);
        second.push(warm);
    }
    let (f, s) = (median(first), median(second));
    println!("CLI `atalaia image --image-src remote` ({runs} runs, median)");
    println!("first scan (empty cache): {:.1} ms", f.as_secs_f64() * 1e3);
    println!(
        "second scan (image cached): {:.1} ms",
        s.as_secs_f64() * 1e3
    );
    println!(
        "ratio first/second: {:.1}x (target >= 10x)",
        f.as_secs_f64() / s.as_secs_f64()
    );
}
