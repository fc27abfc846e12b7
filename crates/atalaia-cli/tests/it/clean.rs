//! `atalaia clean`: the layer cache and the vulnerability database of the cache directory.

use serde_json::Value;

use crate::{atalaia, stderr};

#[test]
fn clean_scan_cache_reports_the_count_and_scans_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().to_str().unwrap();
    let input = atalaia_test::corpus_dir().join("docker-archive/tricky-layers.tar");
    let input = input.to_str().unwrap();
    let scan = || {
        let out = atalaia(&[
            "image",
            "--input",
            input,
            "--format",
            "json",
            "--scanners",
            "secret",
            "--cache-dir",
            cache,
            "--cache-max-size",
            "500MB",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let first = scan();
    let second = scan();
    assert_eq!(first["Results"], second["Results"]);
    let layers = first["Metadata"]["DiffIDs"].as_array().unwrap();
    let mut distinct: Vec<&str> = layers.iter().map(|d| d.as_str().unwrap()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let out = atalaia(&["clean", "--scan-cache", "--cache-dir", cache]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("Removed {} cached layer", distinct.len())),
        "{} layers: {err}",
        distinct.len()
    );
    // Nothing left to remove.
    let out = atalaia(&["clean", "--scan-cache", "--cache-dir", cache]);
    assert!(
        stderr(&out).contains("Removed 0 cached layer"),
        "{}",
        stderr(&out)
    );
    let third = scan();
    assert_eq!(first["Results"], third["Results"]);
}

#[test]
fn clean_all_removes_the_database_and_nothing_named_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::create_dir_all(&db).unwrap();
    std::fs::write(db.join("atalaia.db"), b"x").unwrap();
    let cache = dir.path().to_str().unwrap();
    let out = atalaia(&["clean", "--all", "--cache-dir", cache]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!db.exists());
    assert!(
        stderr(&out).contains("Removed the vulnerability database"),
        "{}",
        stderr(&out)
    );
    let out = atalaia(&["clean", "--cache-dir", cache]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--scan-cache"), "{}", stderr(&out));
}

#[test]
fn bad_cache_max_size_is_a_usage_error() {
    let out = atalaia(&["image", "--input", "x.tar", "--cache-max-size", "12parsecs"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("parsecs"), "{}", stderr(&out));
}
