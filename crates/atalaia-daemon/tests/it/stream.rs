//! `analyze_save_stream` on `docker save` streams read from files and built in memory, against
//! atalaia-artifact + atalaia-analyze on the same bytes on disk; malformed streams.

use std::io::Read;

use atalaia_artifact::{ImageSelector, Limits};
use atalaia_daemon::{analyze_save_stream, DaemonError};

use crate::support::{
    analyzers, append_symlink, assert_same, chain, corpus_file, gzip, oci_members, opts, reference,
    sha, tar_of,
};

fn stream_file(path: &std::path::Path) -> atalaia_daemon::StreamedImage {
    let opts = opts();
    let f = std::fs::File::open(path).unwrap();
    analyze_save_stream(
        std::io::BufReader::new(f),
        &path.display().to_string(),
        &ImageSelector::default(),
        &analyzers(&opts),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{}", chain(&e)))
}

/// Every corpus docker-archive: the streamed metadata and analysis equal the on-disk ones.
#[test]
fn corpus_docker_archives_stream_like_tarballs() {
    for name in ["alpine-3.20.3", "distroless-like", "tricky-layers"] {
        let path = corpus_file(&format!("docker-archive/{name}.tar"));
        let streamed = stream_file(&path);
        let (image, want) = reference(path.to_str().unwrap(), &opts());
        assert_eq!(streamed.metadata, image.metadata, "{name}: metadata differ");
        assert_same(&streamed.analysis(), &want, name);
        assert_eq!(streamed.stats.layers_dropped, 0);
        assert_eq!(
            streamed.stats.layers_analysed as usize,
            image.layers.len(),
            "{name}: each layer analysed once"
        );
    }
}

/// tricky-layers: secrets planted in layers that a later layer deletes are still reported.
#[test]
fn deleted_secrets_are_found_in_the_stream() {
    let streamed = stream_file(&corpus_file("docker-archive/tricky-layers.tar"));
    let secrets = streamed.analysis().secrets;
    assert!(
        secrets.iter().any(|s| s.deleted),
        "no deleted secret among {:?}",
        secrets.iter().map(|s| &s.path).collect::<Vec<_>>()
    );
    assert!(secrets.iter().any(|s| !s.deleted));
}

/// An OCI layout inside the tarball (Docker 25+ `docker save`), gzip layers: same as the layout
/// directory on disk, metadata included.
#[test]
fn oci_archive_with_gzip_layers() {
    let layout = corpus_file("oci");
    let tarball = tar_of(&oci_members(&layout, "tricky-layers"));
    let opts = opts();
    let streamed = analyze_save_stream(
        tarball.as_slice(),
        "tricky",
        &ImageSelector::default(),
        &analyzers(&opts),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let (image, want) = reference(&format!("{}:tricky-layers", layout.display()), &opts);
    assert_eq!(streamed.metadata, image.metadata);
    assert_same(&streamed.analysis(), &want, "tricky-layers (oci)");
    assert!(streamed.metadata.manifest_digest.is_some());
}

/// zstd layers.
#[test]
fn oci_archive_with_zstd_layers() {
    let layout = corpus_file("oci-zstd");
    let tarball = tar_of(&oci_members(&layout, "distroless-like-zstd"));
    let opts = opts();
    let streamed = analyze_save_stream(
        tarball.as_slice(),
        "zstd",
        &ImageSelector::default(),
        &analyzers(&opts),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{}", chain(&e)));
    let (image, want) = reference(layout.to_str().unwrap(), &opts);
    assert_eq!(streamed.metadata, image.metadata);
    assert_same(&streamed.analysis(), &want, "distroless-like-zstd");
}

/// A legacy archive whose layers are gzip-compressed and linked by symlinks (as `docker save`
/// writes shared layers), with an extra layer the manifest does not name: the extra layer is
/// dropped, the compressed layers' digests are those of the stored files.
#[test]
fn legacy_archive_with_gzip_links_and_an_unused_layer() {
    let src = corpus_file("docker-archive/alpine-3.20.3.tar");
    // Take the one layer and the config out of the corpus tarball.
    let mut layer = Vec::new();
    let mut config = Vec::new();
    let mut a = tar::Archive::new(std::fs::File::open(&src).unwrap());
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let p = e.path().unwrap().to_string_lossy().into_owned();
        let mut buf = Vec::new();
        e.read_to_end(&mut buf).unwrap();
        if p.ends_with(".tar") && !buf.is_empty() {
            layer = buf;
        } else if p.ends_with(".json") && p != "manifest.json" {
            config = buf;
        }
    }
    assert!(!layer.is_empty() && !config.is_empty());
    let gz = gzip(&layer);
    let config_name = format!("{}.json", sha(&config).trim_start_matches("sha256:"));
    let manifest = serde_json::json!([{
        "Config": config_name,
        "RepoTags": ["corpus/alpine:gz"],
        "Layers": ["bbb/layer.tar"]
    }]);
    let mut b = tar::Builder::new(Vec::new());
    let add = |b: &mut tar::Builder<Vec<u8>>, name: &str, bytes: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, bytes).unwrap();
    };
    add(&mut b, &config_name, &config);
    add(&mut b, "aaa/VERSION", b"1.0");
    add(&mut b, "aaa/json", b"{}");
    add(&mut b, "aaa/layer.tar", &gz);
    // An unused layer (a plain tar of one file).
    add(
        &mut b,
        "unused/layer.tar",
        &tar_of(&[("etc/x".to_owned(), b"x".to_vec())]),
    );
    append_symlink(&mut b, "bbb/layer.tar", "../aaa/layer.tar");
    add(
        &mut b,
        "manifest.json",
        &serde_json::to_vec(&manifest).unwrap(),
    );
    let tarball = b.into_inner().unwrap();

    let opts = opts();
    let streamed = analyze_save_stream(
        tarball.as_slice(),
        "gz",
        &ImageSelector::default(),
        &analyzers(&opts),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{}", chain(&e)));
    assert_eq!(streamed.stats.layers_analysed, 2);
    assert_eq!(streamed.stats.layers_dropped, 1);
    let l = &streamed.metadata.layers[0];
    assert_eq!(l.digest.as_str(), sha(&gz));
    assert_eq!(l.diff_id.as_str(), sha(&layer));
    assert_eq!(l.size, gz.len() as u64);
    assert_eq!(streamed.metadata.repo_tags, vec!["corpus/alpine:gz"]);
    // Same as atalaia-artifact on the same bytes on disk.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gz.tar");
    std::fs::write(&path, &tarball).unwrap();
    let (image, want) = reference(path.to_str().unwrap(), &opts);
    assert_eq!(streamed.metadata, image.metadata);
    assert_same(&streamed.analysis(), &want, "gzip legacy");
}

fn run(tarball: &[u8], limits: Limits) -> Result<atalaia_daemon::StreamedImage, DaemonError> {
    let opts = atalaia_analyze::AnalyzeOptions { limits, ..opts() };
    analyze_save_stream(
        tarball,
        "bad",
        &ImageSelector::default(),
        &analyzers(&opts),
        &opts,
    )
}

fn legacy(layers: &[(&str, Vec<u8>)], diff_ids: &[String], manifest_layers: &[&str]) -> Vec<u8> {
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids}
    }))
    .unwrap();
    let config_name = format!("{}.json", sha(&config).trim_start_matches("sha256:"));
    let manifest =
        serde_json::json!([{"Config": config_name, "RepoTags": null, "Layers": manifest_layers}]);
    let mut members: Vec<(String, Vec<u8>)> = layers
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.clone()))
        .collect();
    members.push((config_name, config));
    members.push((
        "manifest.json".to_owned(),
        serde_json::to_vec(&manifest).unwrap(),
    ));
    tar_of(&members)
}

#[test]
fn malformed_streams_are_clear_errors() {
    let layer = tar_of(&[("etc/os-release".to_owned(), b"ID=alpine\n".to_vec())]);
    let good_diff = sha(&layer);

    // Not a tar at all.
    let err = run(
        b"this is not a tar stream, just text that goes on",
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            DaemonError::Stream { .. } | DaemonError::BadArchive { .. }
        ),
        "{err:?}"
    );

    // No manifest.
    let err = run(
        &tar_of(&[("x/layer.tar".to_owned(), layer.clone())]),
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        chain(&err).contains("neither `manifest.json` nor `index.json`"),
        "{}",
        chain(&err)
    );

    // The manifest names a layer that never came.
    let err = run(
        &legacy(
            &[("a/layer.tar", layer.clone())],
            &[good_diff.clone(), good_diff.clone()],
            &["a/layer.tar", "b/layer.tar"],
        ),
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, DaemonError::MissingLayer { layer, .. } if layer == "b/layer.tar"),
        "{err:?}"
    );
    assert!(err.to_string().contains("`b/layer.tar`"));

    // The config's diff ID does not match the layer's bytes.
    let wrong = sha(b"something else");
    let err = run(
        &legacy(
            &[("a/layer.tar", layer.clone())],
            &[wrong],
            &["a/layer.tar"],
        ),
        Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, DaemonError::DigestMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("diff ID of layer 1"), "{err}");

    // Fewer diff IDs than layers.
    let err = run(
        &legacy(&[("a/layer.tar", layer.clone())], &[], &["a/layer.tar"]),
        Limits::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("0 diff IDs for 1 layers"), "{err}");

    // A manifest that is not JSON.
    let err = run(
        &tar_of(&[("manifest.json".to_owned(), b"[{".to_vec())]),
        Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, DaemonError::ArchiveJson { .. }), "{err:?}");

    // A corrupt gzip layer.
    let mut gz = gzip(&layer);
    let mid = gz.len() / 2;
    gz[mid] ^= 0xff;
    gz[mid + 1] ^= 0xff;
    let err = run(
        &legacy(
            &[("a/layer.tar", gz)],
            std::slice::from_ref(&good_diff),
            &["a/layer.tar"],
        ),
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, DaemonError::Layer { layer, .. } if layer == "a/layer.tar"),
        "{}",
        chain(&err)
    );

    // A layer named by a manifest that is a JSON document, not a tar.
    let err = run(
        &legacy(
            &[("a/layer.tar", b"{\"not\": \"a layer\"}".to_vec())],
            std::slice::from_ref(&good_diff),
            &["a/layer.tar"],
        ),
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("not a tar, gzip or zstd stream"),
        "{err}"
    );

    // A blob whose name is not its digest.
    let mut members = oci_like(&layer);
    members[0].0 = format!("blobs/sha256/{}", "0".repeat(64));
    let err = run(&tar_of(&members), Limits::default()).unwrap_err();
    assert!(matches!(err, DaemonError::DigestMismatch { .. }), "{err:?}");
}

/// A minimal OCI archive: one layer blob, its config, manifest and index.
fn oci_like(layer: &[u8]) -> Vec<(String, Vec<u8>)> {
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(layer)]}
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha(layer), "size": layer.len()}]
    }))
    .unwrap();
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(&manifest), "size": manifest.len()}]
    }))
    .unwrap();
    let blob = |b: &[u8]| format!("blobs/sha256/{}", sha(b).trim_start_matches("sha256:"));
    vec![
        (blob(layer), layer.to_vec()),
        (blob(&config), config.clone()),
        (blob(&manifest), manifest.clone()),
        ("index.json".to_owned(), index),
        (
            "oci-layout".to_owned(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
    ]
}

/// JSON blobs (config, manifest) are never handed to the layer walker: an OCI archive whose
/// only tar is the layer analyses exactly one layer.
#[test]
fn json_blobs_are_not_layers() {
    let layer = tar_of(&[("etc/alpine-release".to_owned(), b"3.20.3\n".to_vec())]);
    let got = run(&tar_of(&oci_like(&layer)), Limits::default())
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
    assert_eq!(got.stats.layers_analysed, 1);
    assert_eq!(got.layers.len(), 1);
    assert!(got.layers[0].entries.contains_key("etc/alpine-release"));
}

/// A gzip layer that inflates past the layer limit stops with the limit error; an archive with
/// more members than the entry limit stops too.
#[test]
fn limits_apply_to_streams() {
    let big = tar_of(&[("big".to_owned(), vec![0u8; 4 << 20])]);
    let bomb = gzip(&big);
    assert!(bomb.len() < 64 << 10, "the bomb compresses well");
    let limits = Limits {
        max_layer_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = run(
        &legacy(&[("a/layer.tar", bomb)], &[sha(&big)], &["a/layer.tar"]),
        limits,
    )
    .unwrap_err();
    let text = chain(&err);
    assert!(matches!(err, DaemonError::Layer { .. }), "{text}");
    assert!(text.contains("limit") || text.contains("Limit"), "{text}");

    let members: Vec<(String, Vec<u8>)> =
        (0..50).map(|i| (format!("f{i}"), b"x".to_vec())).collect();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let err = run(&tar_of(&members), limits).unwrap_err();
    assert!(matches!(err, DaemonError::LimitExceeded { .. }), "{err:?}");
}

/// A stream cut in the middle of a layer is an error, not a partial inventory.
#[test]
fn truncated_streams_fail() {
    let path = corpus_file("docker-archive/tricky-layers.tar");
    let bytes = std::fs::read(path).unwrap();
    for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() * 2 / 3] {
        let Err(err) = run(&bytes[..cut], Limits::default()) else {
            panic!("cut at {cut} of {}: no error", bytes.len());
        };
        let text = chain(&err);
        assert!(
            matches!(
                err,
                DaemonError::Stream { .. }
                    | DaemonError::Layer { .. }
                    | DaemonError::BadArchive { .. }
                    | DaemonError::MissingLayer { .. }
            ),
            "cut at {cut}: {text}"
        );
    }
}

/// Layers named by their diff ID (`<hex>.tar`, as skopeo and Podman write them) are taken from
/// the layer cache on a second scan, with the same result; every analysed layer is stored.
#[test]
fn cached_layers_are_not_analysed_again() {
    use std::sync::atomic::Ordering;
    let path = corpus_file("docker-archive/tricky-layers.tar");
    let bytes = std::fs::read(&path).unwrap();
    let cache = std::sync::Arc::new(crate::support::MemCache::default());
    let opts = atalaia_analyze::AnalyzeOptions {
        cache: Some(cache.clone()),
        ..opts()
    };
    let scan = || {
        analyze_save_stream(
            bytes.as_slice(),
            "tricky",
            &ImageSelector::default(),
            &analyzers(&opts),
            &opts,
        )
        .unwrap_or_else(|e| panic!("{}", chain(&e)))
    };
    let first = scan();
    assert_eq!(first.stats.layers_analysed, 4);
    assert_eq!(first.stats.layers_cached, 0);
    assert_eq!(cache.puts.load(Ordering::SeqCst), 4);
    let second = scan();
    assert_eq!(second.stats.layers_analysed, 0);
    assert_eq!(second.stats.layers_cached, 4);
    assert_eq!(cache.hits.load(Ordering::SeqCst), 4);
    assert_eq!(second.metadata, first.metadata);
    assert_same(
        &second.analysis(),
        &first.analysis(),
        "tricky-layers from the cache",
    );

    // A cached name whose bytes are something else is caught.
    let layer = tar_of(&[("etc/x".to_owned(), b"x".to_vec())]);
    let other = tar_of(&[("etc/y".to_owned(), b"y".to_vec())]);
    let key = atalaia_analyze::layer_cache_key(&sha(&layer), &analyzers(&opts), &opts.limits);
    atalaia_analyze::LayerCache::put(&*cache, &key, &sha(&layer), &Default::default());
    let name = format!("{}.tar", sha(&layer).trim_start_matches("sha256:"));
    let err = analyze_save_stream(
        tar_of(&[(name, other)]).as_slice(),
        "swapped",
        &ImageSelector::default(),
        &analyzers(&opts),
        &opts,
    )
    .unwrap_err();
    assert!(matches!(err, DaemonError::DigestMismatch { .. }), "{err:?}");
}
