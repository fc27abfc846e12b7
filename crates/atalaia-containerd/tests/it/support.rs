//! OCI archives written from the
//! shared corpus for `ctr images import`, and the reference analysis of the same image on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use atalaia_analyze::{Analysis, AnalyzeOptions};
use atalaia_artifact::{open_image, ImageSelector, ImageSource};
pub(crate) use atalaia_containerd::testing::TestContainerd as Containerd;
use sha2::Digest as _;

/// A file of the shared corpus.
pub(crate) fn corpus(rel: &str) -> PathBuf {
    let p = atalaia_test::corpus_dir().join(rel);
    assert!(p.exists(), "the corpus lacks `{}`", p.display());
    p
}

/// Options with nothing extra (the built-in image analyzers).
pub(crate) fn opts() -> AnalyzeOptions {
    AnalyzeOptions::default()
}

/// The reference: `input` (a tarball, or a layout with `reference`) opened from disk by
/// atalaia-artifact and analysed by `analyze_image_full`.
pub(crate) fn reference(input: &Path, reference: Option<&str>) -> (ImageSource, Analysis) {
    let selector = ImageSelector {
        reference: reference.map(str::to_owned),
        ..ImageSelector::default()
    };
    let image = open_image(input.to_str().unwrap(), &selector)
        .unwrap_or_else(|e| panic!("open `{}`: {e}", input.display()));
    let analysis =
        atalaia_analyze::analyze_image_full(&image, &opts()).unwrap_or_else(|e| panic!("{e}"));
    (image, analysis)
}

/// Asserts two analyses are the same.
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

fn sha(bytes: &[u8]) -> String {
    format!("sha256:{:x}", sha2::Sha256::digest(bytes))
}

fn blob_path(digest: &str) -> String {
    format!("blobs/sha256/{}", digest.trim_start_matches("sha256:"))
}

/// The index entry (a manifest descriptor) of image `reference` of an OCI layout.
fn layout_entry(layout: &Path, reference: &str) -> serde_json::Value {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == reference)
        .unwrap_or_else(|| panic!("no `{reference}` in {}", layout.display()))
        .clone()
}

/// The manifest digest of image `reference` of an OCI layout.
pub(crate) fn layout_entry_digest(layout: &Path, reference: &str) -> String {
    layout_entry(layout, reference)["digest"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The manifest of image `reference` of an OCI layout.
pub(crate) fn layout_manifest(layout: &Path, reference: &str) -> serde_json::Value {
    let entry = layout_entry(layout, reference);
    let path = layout.join(blob_path(entry["digest"].as_str().unwrap()));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The blobs (path → bytes) of one image of a layout: manifest, config, layers.
fn image_blobs(layout: &Path, entry: &serde_json::Value, into: &mut BTreeMap<String, Vec<u8>>) {
    let read = |rel: &str| std::fs::read(layout.join(rel)).unwrap();
    let mdigest = entry["digest"].as_str().unwrap();
    let mbytes = read(&blob_path(mdigest));
    let manifest: serde_json::Value = serde_json::from_slice(&mbytes).unwrap();
    let mut digests = vec![manifest["config"]["digest"].as_str().unwrap().to_owned()];
    for l in manifest["layers"].as_array().unwrap() {
        digests.push(l["digest"].as_str().unwrap().to_owned());
    }
    into.insert(blob_path(mdigest), mbytes);
    for d in digests {
        let p = blob_path(&d);
        let bytes = read(&p);
        into.insert(p, bytes);
    }
}

/// Writes an OCI archive (`oci-layout`, `index.json`, blobs) at `out`.
fn write_archive(out: &Path, index: &serde_json::Value, blobs: &BTreeMap<String, Vec<u8>>) {
    let mut b = tar::Builder::new(std::fs::File::create(out).unwrap());
    let mut add = |name: &str, bytes: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, bytes).unwrap();
    };
    add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    add("index.json", &serde_json::to_vec(index).unwrap());
    for (name, bytes) in blobs {
        add(name, bytes);
    }
    b.into_inner().unwrap().sync_all().unwrap();
}

/// Writes an OCI archive of image `reference` of `layout`, named `name` for `ctr import`.
pub(crate) fn oci_archive(out: &Path, layout: &Path, reference: &str, name: &str) {
    let mut entry = layout_entry(layout, reference);
    entry["annotations"] = serde_json::json!({ "org.opencontainers.image.ref.name": name });
    let mut blobs = BTreeMap::new();
    image_blobs(layout, &entry, &mut blobs);
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [entry]});
    write_archive(out, &index, &blobs);
}

/// Writes an OCI archive of a multi-platform image `name`: an image index whose entries are
/// images of `layout` (`(reference, platform)`), as `{"os", "architecture", "variant"?}`.
pub(crate) fn multi_platform_archive(
    out: &Path,
    layout: &Path,
    images: &[(&str, serde_json::Value)],
    name: &str,
) -> String {
    let mut blobs = BTreeMap::new();
    let mut manifests = Vec::new();
    for (reference, platform) in images {
        let mut entry = layout_entry(layout, reference);
        image_blobs(layout, &entry, &mut blobs);
        entry.as_object_mut().unwrap().remove("annotations");
        entry["platform"] = platform.clone();
        manifests.push(entry);
    }
    let nested = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": manifests,
    }))
    .unwrap();
    let digest = sha(&nested);
    blobs.insert(blob_path(&digest), nested.clone());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "digest": digest,
        "size": nested.len(),
        "annotations": {"org.opencontainers.image.ref.name": name},
    }]});
    write_archive(out, &index, &blobs);
    digest
}
