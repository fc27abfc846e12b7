//! Every file of the corpus images' final filesystems that [`classify`] wants, parsed, against
//! `corpus/expected/<image>.json` (type, name, version, path; layers are not this crate's job).
//!
//! Three documented differences between the corpus's raw view and the Trivy-compatible output
//! are normalised here, and nothing else:
//! - `stdlib` of Go binaries: the corpus writes the runtime's `go1.19.8`, we write Trivy's
//!   `v1.19.8` (purl `pkg:golang/stdlib@v1.19.8`, as in the Trivy reference SBOMs);
//! - jars without `pom.properties` may carry their Maven coordinates instead of the MANIFEST
//!   title (the expected file allows either through `maven_coordinates`);
//! - `/app/package.json`, the application's own manifest, is reported with the `root`
//!   relationship, as Trivy and Syft report it; the corpus does not list it.

use std::collections::BTreeMap;

use atalaia_lang::{classify, parse_with_warnings};
use atalaia_types::Relationship;
use serde_json::Value;

use crate::expected::{corpus_type, rows, Row};
use crate::fixtures::{final_files_from, Store};

/// What the parsers find in the image, as rows.
fn found(image: &str) -> (Vec<Row>, Vec<String>) {
    found_in(Store::Oci, image)
}

fn found_in(store: Store, image: &str) -> (Vec<Row>, Vec<String>) {
    let files = final_files_from(store, image, |p, size, mode| {
        classify(p, size, mode).is_some()
    });
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (path, file) in &files {
        let kind =
            classify(path, file.bytes.len() as u64, file.mode).expect("kept files are classified");
        let parsed =
            parse_with_warnings(kind, path, &file.bytes).unwrap_or_else(|e| panic!("{image}: {e}"));
        warnings.extend(parsed.warnings);
        let app = parsed.application;
        if app.packages.is_empty() {
            continue;
        }
        let ty = corpus_type(&app.app_type);
        for p in &app.packages {
            if ty == "node" && p.relationship == Relationship::Root {
                assert_eq!(
                    p.file_path, "/app/package.json",
                    "only the app's own package.json is a root"
                );
                continue;
            }
            let where_ = if p.file_path.is_empty() {
                format!("/{}", app.file_path)
            } else {
                p.file_path.clone()
            };
            out.push((ty.to_owned(), p.name.clone(), p.version.clone(), where_));
        }
    }
    out.sort();
    (out, warnings)
}

/// Expected rows with the documented normalisations; `alternates` maps a jar's Maven
/// coordinates to the expected name.
/// (Maven coordinates, version, path) -> the name the corpus writes.
type Alternates = BTreeMap<(String, String, String), String>;

fn expected(image: &str) -> (Vec<Row>, Alternates) {
    let mut all: Vec<Row> = rows(image).into_values().flatten().collect();
    for r in &mut all {
        if r.0 == "gobinary" && r.1 == "stdlib" {
            if let Some(v) = r.2.strip_prefix("go") {
                r.2 = format!("v{v}");
            }
        }
    }
    all.sort();
    let text = std::fs::read_to_string(
        atalaia_test::corpus_dir()
            .join("expected")
            .join(format!("{image}.json")),
    )
    .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut alternates = BTreeMap::new();
    for p in v["packages"].as_array().unwrap() {
        if let Some(coords) = p["maven_coordinates"].as_str() {
            let key = (
                coords.to_owned(),
                p["version"].as_str().unwrap_or_default().to_owned(),
                p["path"].as_str().unwrap_or_default().to_owned(),
            );
            alternates.insert(key, p["name"].as_str().unwrap_or_default().to_owned());
        }
    }
    (all, alternates)
}

fn check(image: &str) -> Vec<Row> {
    check_in(Store::Oci, image, image)
}

/// Compares what `reference` in `store` holds with `expected/<image>.json`.
fn check_in(store: Store, reference: &str, image: &str) -> Vec<Row> {
    let (mut got, warnings) = found_in(store, reference);
    assert!(warnings.is_empty(), "{image}: {warnings:?}");
    let (want, alternates) = expected(image);
    for r in &mut got {
        if let Some(name) = alternates.get(&(r.1.clone(), r.2.clone(), r.3.clone())) {
            r.1.clone_from(name);
        }
    }
    got.sort();
    if got != want {
        let missing: Vec<_> = want.iter().filter(|r| !got.contains(r)).collect();
        let extra: Vec<_> = got.iter().filter(|r| !want.contains(r)).collect();
        panic!("{image}: missing {missing:#?}\nextra {extra:#?}");
    }
    got
}

#[test]
fn python_app() {
    let got = check("python-app");
    assert_eq!(got.len(), 48);
}

#[test]
fn node_app() {
    let got = check("node-app");
    assert_eq!(got.len(), 70 + 70 + 71);
}

#[test]
fn java_app() {
    let got = check("java-app");
    assert_eq!(got.len(), 13);
    // The h2 jar has no pom.properties: its coordinates come from the MANIFEST and file name.
    let (raw, _) = found("java-app");
    assert!(
        raw.iter()
            .any(|r| r.1 == "com.h2database:h2" && r.2 == "2.1.214"),
        "{raw:#?}"
    );
}

#[test]
fn rust_app() {
    let got = check("rust-app");
    assert_eq!(got.len(), 16 + 13);
}

#[test]
fn go_fzf() {
    check("go-fzf");
}

#[test]
fn distroless_like() {
    check("distroless-like");
}

#[test]
fn tricky_layers() {
    let got = check("tricky-layers");
    assert!(got.iter().any(|r| r.1 == "urllib3" && r.2 == "1.24.1"));
    assert!(!got.iter().any(|r| r.1 == "urllib3" && r.2 == "1.23"));
}

#[test]
fn distroless_like_zstd_layers() {
    check_in(Store::OciZstd, "distroless-like-zstd", "distroless-like");
}

#[test]
fn tricky_layers_docker_archive() {
    check_in(Store::DockerArchive, "tricky-layers", "tricky-layers");
}
