//! Layers streamed from the registry fail as the layers of image files do: a truncated gzip
//! layer (whose blob digest is right: the registry serves it faithfully) is a `Truncated` error
//! naming the layer, and a decompression bomb stops at the layer-size limit, naming the layer.

use std::path::Path;

use atalaia_analyze::{AnalyzeError, AnalyzeOptions};
use atalaia_artifact::{ArtifactError, Compression, LimitKind};
use atalaia_remote::{analyze_remote_image, open_remote_image};
use atalaia_types::Digest;
use serde_json::Value;

use crate::support::{oci, Env};

/// The full error chain, as the CLI prints it.
fn chain(err: &dyn std::error::Error) -> String {
    let mut s = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        s.push_str(": ");
        s.push_str(&e.to_string());
        cur = e.source();
    }
    s
}

fn blob_path(layout: &Path, digest: &str) -> std::path::PathBuf {
    layout
        .join("blobs/sha256")
        .join(digest.trim_start_matches("sha256:"))
}

/// Writes `bytes` as a blob of `layout`; its digest.
fn put_blob(layout: &Path, bytes: &[u8]) -> Digest {
    let d = Digest::sha256_from_bytes(&<sha2::Sha256 as sha2::Digest>::digest(bytes));
    std::fs::write(blob_path(layout, d.as_str()), bytes).unwrap();
    d
}

/// An OCI layout in `dir` holding `alpine-3.20.3` of the corpus with its (gzip) layer cut in
/// half, under the ref `truncated`: the manifest names the cut blob by its own digest and size,
/// the config (and its diff ID) is the original.
fn layout_with_truncated_layer(dir: &Path) -> (Digest, Vec<u8>) {
    let corpus = oci();
    let index: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("index.json")).unwrap()).unwrap();
    let desc = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == "alpine-3.20.3")
        .expect("alpine-3.20.3 in the corpus")
        .clone();
    let read_blob = |d: &Value| std::fs::read(blob_path(&corpus, d.as_str().unwrap())).unwrap();
    let mut manifest: Value = serde_json::from_slice(&read_blob(&desc["digest"])).unwrap();
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    put_blob(dir, &read_blob(&manifest["config"]["digest"]));
    let layer = &mut manifest["layers"][0];
    let whole = read_blob(&layer["digest"]);
    assert_eq!(&whole[..2], &[0x1f, 0x8b], "the corpus layer is gzip");
    let cut = whole[..whole.len() / 2].to_vec();
    let cut_digest = put_blob(dir, &cut);
    layer["digest"] = Value::from(cut_digest.as_str());
    layer["size"] = Value::from(cut.len());
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let manifest_digest = put_blob(dir, &manifest);
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest.as_str(),
            "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": "truncated"},
        }],
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    (cut_digest, cut)
}

#[test]
fn truncated_gzip_layer_is_a_clear_error_naming_it() {
    let Some(env) = Env::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (cut_digest, cut) = layout_with_truncated_layer(dir.path());
    let name = env.push(dir.path(), "truncated", "corpus/truncated:1");
    let remote = open_remote_image(env.client(), &name, None).unwrap();
    assert_eq!(remote.layers[0].info.digest, cut_digest);
    // The registry holds the cut blob as it is: the transport is not what failed.
    let stored = std::fs::read(env.reg.blob_path(cut_digest.as_str())).unwrap();
    assert_eq!(stored, cut);
    let err = analyze_remote_image(&remote, &AnalyzeOptions::default()).unwrap_err();
    let AnalyzeError::Layer { err: inner, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(
            **inner,
            ArtifactError::Truncated {
                format: Compression::Gzip,
                ..
            }
        ),
        "{inner:?}"
    );
    let msg = chain(&err);
    assert!(msg.contains(cut_digest.as_str()), "{msg}");
    assert!(msg.contains("truncated"), "{msg}");
    assert!(msg.contains(&name), "{msg}");
}

#[test]
fn decompression_bomb_stops_at_the_layer_limit_naming_it() {
    let Some(env) = Env::start() else { return };
    let name = env.push(&oci(), "alpine-3.20.3", "corpus/bomb:1");
    let remote = open_remote_image(env.client(), &name, None).unwrap();
    let mut opts = AnalyzeOptions::default();
    // The layer's tar holds a few dozen files: well over 4 KiB.
    opts.limits.max_layer_bytes = 4096;
    let err = analyze_remote_image(&remote, &opts).unwrap_err();
    let AnalyzeError::Layer { err: inner, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(
            **inner,
            ArtifactError::LimitExceeded {
                limit: LimitKind::LayerBytes,
                value: 4096,
                ..
            }
        ),
        "{inner:?}"
    );
    let msg = chain(&err);
    assert!(msg.contains(remote.layers[0].info.digest.as_str()), "{msg}");
    assert!(msg.contains("--max-layer-bytes"), "{msg}");
}
