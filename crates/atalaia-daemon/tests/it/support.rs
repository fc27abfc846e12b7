//! Shared helpers: analyzers with secrets, the reference analysis of a tarball, archive writers.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use atalaia_analyze::{
    analyzers_for, Analysis, AnalyzeOptions, Analyzer, ScanMode, SecretAnalyzer,
};
use atalaia_artifact::{open_image, ImageSelector, ImageSource};
use atalaia_secret::SecretScanner;

/// Options with the built-in secret rules, as `atalaia image --scanners vuln,secret` uses.
pub(crate) fn opts() -> AnalyzeOptions {
    let scanner = SecretScanner::builder()
        .build()
        .expect("the built-in secret rules compile");
    AnalyzeOptions {
        extra_analyzers: vec![Arc::new(SecretAnalyzer::new(Arc::new(scanner), true))],
        ..AnalyzeOptions::default()
    }
}

/// The analyzers an image scan with `opts` runs.
pub(crate) fn analyzers(opts: &AnalyzeOptions) -> Vec<Arc<dyn Analyzer>> {
    analyzers_for(ScanMode::Image, opts)
}

/// The reference: the image opened from disk by atalaia-artifact and analysed by
/// `analyze_image_full`.
pub(crate) fn reference(input: &str, opts: &AnalyzeOptions) -> (ImageSource, Analysis) {
    let image = open_image(input, &ImageSelector::default())
        .unwrap_or_else(|e| panic!("open `{input}`: {e}"));
    let analysis =
        atalaia_analyze::analyze_image_full(&image, opts).unwrap_or_else(|e| panic!("{e}"));
    (image, analysis)
}

/// Asserts two analyses are the same, with a readable diff of the first difference.
pub(crate) fn assert_same(got: &Analysis, want: &Analysis, what: &str) {
    assert!(
        !want.inventory.os_packages.is_empty() || !want.inventory.applications.is_empty(),
        "{what}: the reference found nothing; the comparison would be vacuous"
    );
    assert_eq!(
        serde_json::to_value(&got.inventory).unwrap(),
        serde_json::to_value(&want.inventory).unwrap(),
        "{what}: inventories differ"
    );
    assert_eq!(got.inventory, want.inventory, "{what}: inventories differ");
    assert_eq!(got.secrets, want.secrets, "{what}: secrets differ");
}

/// The error and its causes, as the CLI prints them.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!("\n  Caused by: {c}"));
        cur = c.source();
    }
    s
}

/// Writes a tar from `(name, bytes)` members, in the order given.
pub(crate) fn tar_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, bytes.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

/// A symlink member.
pub(crate) fn append_symlink(b: &mut tar::Builder<Vec<u8>>, name: &str, target: &str) {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    h.set_mode(0o777);
    b.append_link(&mut h, name, target).unwrap();
}

/// A gzip of `bytes`.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `sha256:hex` of `bytes`.
pub(crate) fn sha(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{:x}", sha2::Sha256::digest(bytes))
}

/// Reads a file of the shared corpus.
pub(crate) fn corpus_file(rel: &str) -> std::path::PathBuf {
    let p = atalaia_test::corpus_dir().join(rel);
    assert!(p.exists(), "the corpus lacks `{}`", p.display());
    p
}

/// The members of one image of an OCI layout directory, as a `docker save` of Docker 25+ (or
/// `skopeo copy … oci-archive:`) would hold them: blobs first, then `index.json` naming only
/// that image, then `oci-layout`.
pub(crate) fn oci_members(layout: &Path, reference: &str) -> Vec<(String, Vec<u8>)> {
    let read = |rel: &str| std::fs::read(layout.join(rel)).unwrap();
    let index: serde_json::Value = serde_json::from_slice(&read("index.json")).unwrap();
    let entry = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == reference)
        .unwrap_or_else(|| panic!("no `{reference}` in {}", layout.display()))
        .clone();
    let blob = |d: &str| format!("blobs/sha256/{}", d.trim_start_matches("sha256:"));
    let mdigest = entry["digest"].as_str().unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&read(&blob(mdigest))).unwrap();
    let mut names = vec![
        blob(mdigest),
        blob(manifest["config"]["digest"].as_str().unwrap()),
    ];
    for l in manifest["layers"].as_array().unwrap() {
        names.push(blob(l["digest"].as_str().unwrap()));
    }
    names.sort();
    names.dedup();
    let mut members: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.clone(), read(n))).collect();
    let one = serde_json::json!({"schemaVersion": 2, "manifests": [entry]});
    members.push(("index.json".to_owned(), serde_json::to_vec(&one).unwrap()));
    members.push(("oci-layout".to_owned(), read("oci-layout")));
    members
}

/// A layer cache in memory, counting what it is asked.
#[derive(Default)]
pub(crate) struct MemCache {
    pub(crate) map:
        std::sync::Mutex<std::collections::HashMap<String, atalaia_analyze::LayerAnalysis>>,
    pub(crate) hits: std::sync::atomic::AtomicUsize,
    pub(crate) puts: std::sync::atomic::AtomicUsize,
}

impl atalaia_analyze::LayerCache for MemCache {
    fn get(&self, key: &str) -> Option<atalaia_analyze::LayerAnalysis> {
        let hit = self.map.lock().unwrap().get(key).cloned();
        if hit.is_some() {
            self.hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        hit
    }
    fn put(&self, key: &str, _diff_id: &str, analysis: &atalaia_analyze::LayerAnalysis) {
        self.puts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.map
            .lock()
            .unwrap()
            .insert(key.to_owned(), analysis.clone());
    }
}
