//! Against the Trivy and Syft reference SBOMs (`corpus/peers/<image>.{trivy,syft}.cdx.json`):
//! every language package a peer reports in an image scan, atalaia finds with the same purl,
//! except the differences listed (and explained) here; and every package atalaia finds that
//! neither peer reports is listed with its reason.

use std::collections::BTreeSet;

use atalaia_lang::{classify, parse};
use serde_json::Value;

use crate::fixtures::final_files;

/// Purls (without qualifiers) of what atalaia reads in an image scan.
fn ours(image: &str) -> BTreeSet<String> {
    let files = final_files(image, |p, size, mode| {
        classify(p, size, mode).is_some_and(|k| k.installed())
    });
    let mut out = BTreeSet::new();
    for (path, f) in &files {
        let kind = classify(path, f.bytes.len() as u64, f.mode).expect("classified");
        let app = parse(kind, path, &f.bytes).unwrap_or_else(|e| panic!("{e}"));
        out.extend(app.packages.iter().map(|p| p.purl.without_qualifiers()));
    }
    out
}

/// Language-package purls of a peer SBOM.
fn peer(image: &str, tool: &str) -> BTreeSet<String> {
    let path = atalaia_test::corpus_dir()
        .join("peers")
        .join(format!("{image}.{tool}.cdx.json"));
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("peer SBOM")).expect("JSON");
    v["components"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["purl"].as_str())
                .filter(|p| !p.starts_with("pkg:deb/") && !p.starts_with("pkg:apk/"))
                .map(|p| p.split(['?', '#']).next().unwrap_or(p).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// `image`: peer purls we do not report (`missed`, each explained at the call) and our purls no
/// peer reports (`extra`).
fn compare(image: &str, missed: &[&str], extra: &[&str]) {
    let ours = ours(image);
    let peers: BTreeSet<String> = peer(image, "trivy")
        .union(&peer(image, "syft"))
        .cloned()
        .collect();
    let got_missed: BTreeSet<String> = peers.difference(&ours).cloned().collect();
    let got_extra: BTreeSet<String> = ours.difference(&peers).cloned().collect();
    assert_eq!(
        got_missed,
        set(missed),
        "{image}: peer packages atalaia does not report"
    );
    assert_eq!(
        got_extra,
        set(extra),
        "{image}: atalaia packages no peer reports"
    );
}

#[test]
fn python_app() {
    compare("python-app", &[], &[]);
}

#[test]
fn node_app() {
    compare("node-app", &[], &[]);
}

#[test]
fn rust_app() {
    // autocfg is a build-only dependency recorded by cargo-auditable: atalaia lists it (marked
    // dev), Trivy and Syft drop it; it is also in Cargo.lock, which Trivy reads, so no extra.
    compare("rust-app", &[], &[]);
}

#[test]
fn java_app() {
    // Trivy did not scan jars offline. Syft: a bogus package from app.jar's Spring Boot
    // MANIFEST (`Start-Class`), and a guessed group for commons-collections3 (the jar has no
    // pom.properties; atalaia reports its MANIFEST title, `Commons Collections`).
    compare(
        "java-app",
        &[
            "pkg:maven/org.springframework.boot.loader.JarLauncher/app@0.0.1",
            "pkg:maven/commons-collections/commons-collections3@3.2.2",
        ],
        &["pkg:maven/Commons%20Collections@3.2.2"],
    );
}

#[test]
fn distroless_like() {
    // Syft writes the stdlib version without `v` and the GOPATH-built main module as `(devel)`;
    // atalaia writes Trivy's `v1.19.8` and no version.
    compare(
        "distroless-like",
        &[
            "pkg:golang/github.com/junegunn/fzf@(devel)",
            "pkg:golang/stdlib@1.19.8",
        ],
        &["pkg:golang/github.com/junegunn/fzf"],
    );
}

#[test]
fn go_fzf() {
    // As distroless-like; Trivy reports nothing here because the binary is owned by a dpkg
    // package (atalaia inventories it anyway; marking the owner is the analyzer's job), so
    // Trivy's form of stdlib is an extra too.
    compare(
        "go-fzf",
        &[
            "pkg:golang/github.com/junegunn/fzf@(devel)",
            "pkg:golang/stdlib@1.19.8",
        ],
        &[
            "pkg:golang/github.com/junegunn/fzf",
            "pkg:golang/stdlib@v1.19.8",
        ],
    );
}

#[test]
fn tricky_layers() {
    compare("tricky-layers", &[], &[]);
}
