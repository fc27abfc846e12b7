//! Against a real containerd.

use std::sync::Arc;

use atalaia_analyze::{AnalyzeOptions, LayerSource};
use atalaia_cache::{CacheOptions, SqliteLayerCache};
use atalaia_containerd::{analyze_containerd_image_full, ContainerdClient, ContainerdError};

use crate::support::{
    assert_same, chain, corpus, layout_entry_digest, layout_manifest, multi_platform_archive,
    oci_archive, opts, reference, Containerd,
};

#[test]
fn docker_archive_images_equal_the_tarball() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    for (tar, name) in [
        ("docker-archive/alpine-3.20.3.tar", "corpus/alpine-3.20.3"),
        (
            "docker-archive/distroless-like.tar",
            "docker.io/corpus/distroless-like:latest",
        ),
        (
            "docker-archive/tricky-layers.tar",
            "corpus/tricky-layers:latest",
        ),
    ] {
        let path = corpus(tar);
        ctd.import("default", &path, false);
        let client = ctd.client("default");
        let image = client
            .open_image(name, None)
            .unwrap_or_else(|e| panic!("{}", chain(&e)));
        let (want_image, want) = reference(&path, None);
        assert_eq!(
            image.metadata.diff_ids, want_image.metadata.diff_ids,
            "{name}"
        );
        assert_eq!(
            image.metadata.image_id, want_image.metadata.image_id,
            "{name}"
        );
        assert_eq!(
            image.metadata.image_config, want_image.metadata.image_config,
            "{name}"
        );
        assert!(
            image.stored_name.starts_with("docker.io/corpus/"),
            "{}",
            image.stored_name
        );
        assert_eq!(
            image.metadata.repo_tags,
            std::slice::from_ref(&image.stored_name)
        );
        // `ctr import` stores docker-archive layers as they are: uncompressed.
        for l in &image.layers {
            assert_eq!(l.media_type, "application/vnd.docker.image.rootfs.diff.tar");
            assert_eq!(l.info().digest, l.info().diff_id);
        }
        let got = analyze_containerd_image_full(&image, &opts())
            .unwrap_or_else(|e| panic!("{}", chain(&e)));
        assert_same(&got, &want, name);
    }
}

#[test]
fn gzip_and_zstd_layers_equal_the_layout() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "oci",
            "tricky-layers",
            "docker.io/corpus/tricky-gz:1",
            "tar+gzip",
        ),
        (
            "oci-zstd",
            "distroless-like-zstd",
            "registry.test:5000/corpus/zstd:2",
            "tar+zstd",
        ),
    ];
    for (layout, r, name, suffix) in cases {
        let layout = corpus(layout);
        let archive = tmp.path().join(format!("{r}.tar"));
        oci_archive(&archive, &layout, r, name);
        ctd.import("ns1", &archive, false);
        let image = ctd
            .client("ns1")
            .open_image(name, Some("linux/amd64"))
            .unwrap_or_else(|e| panic!("{}", chain(&e)));
        let (want_image, want) = reference(&layout, Some(r));
        assert_eq!(image.metadata.diff_ids, want_image.metadata.diff_ids);
        assert_eq!(image.metadata.image_id, want_image.metadata.image_id);
        assert_eq!(
            image.metadata.manifest_digest,
            want_image.metadata.manifest_digest
        );
        assert_eq!(image.metadata.layers, want_image.metadata.layers);
        assert!(image.layers.iter().all(|l| l.media_type.ends_with(suffix)));
        let (registry_repo, _) = name.rsplit_once(':').unwrap();
        assert_eq!(
            image.metadata.repo_digests,
            [format!("{registry_repo}@{}", image.target.digest)]
        );
        let got = analyze_containerd_image_full(&image, &opts())
            .unwrap_or_else(|e| panic!("{}", chain(&e)));
        assert_same(&got, &want, name);
    }
}

#[test]
fn multi_platform_index_and_platform_choice() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let layout = corpus("oci");
    let archive = tmp.path().join("multi.tar");
    let index_digest = multi_platform_archive(
        &archive,
        &layout,
        &[
            (
                "alpine-3.20.3",
                serde_json::json!({"os": "linux", "architecture": "amd64"}),
            ),
            (
                "alpine-3.16.9",
                serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"}),
            ),
        ],
        "docker.io/corpus/multi:1",
    );
    ctd.import("default", &archive, true);
    let client = ctd.client("default");

    let amd = client.open_image("corpus/multi:1", None).unwrap();
    assert_eq!(amd.target.digest.as_str(), index_digest);
    let (_, want) = reference(&layout, Some("alpine-3.20.3"));
    assert_same(
        &analyze_containerd_image_full(&amd, &opts()).unwrap(),
        &want,
        "linux/amd64",
    );

    let arm = client
        .open_image("corpus/multi:1", Some("linux/arm64"))
        .unwrap();
    let (want_image, want) = reference(&layout, Some("alpine-3.16.9"));
    assert_eq!(
        arm.metadata.manifest_digest,
        want_image.metadata.manifest_digest
    );
    assert_same(
        &analyze_containerd_image_full(&arm, &opts()).unwrap(),
        &want,
        "linux/arm64",
    );

    let err = client
        .open_image("corpus/multi:1", Some("linux/s390x"))
        .unwrap_err();
    assert!(
        matches!(err, ContainerdError::NoMatchingPlatform { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("linux/amd64, linux/arm64/v8"),
        "{err}"
    );
    assert!(!err.is_unavailable());

    let err = client
        .open_image("corpus/multi:1", Some("linux"))
        .unwrap_err();
    assert!(matches!(err, ContainerdError::BadPlatform { .. }), "{err}");
}

#[test]
fn a_platform_never_imported_is_missing_content() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let layout = corpus("oci");
    let archive = tmp.path().join("multi.tar");
    multi_platform_archive(
        &archive,
        &layout,
        &[
            (
                "alpine-3.20.3",
                serde_json::json!({"os": "linux", "architecture": "amd64"}),
            ),
            (
                "alpine-3.12.12",
                serde_json::json!({"os": "linux", "architecture": "riscv64"}),
            ),
        ],
        "docker.io/corpus/partial:1",
    );
    // Without `--all-platforms`, only this machine's platform is kept: the other one's
    // manifest, config and layer are left to the garbage collector. Collect them now.
    let riscv_manifest = layout_entry_digest(&layout, "alpine-3.12.12");
    let riscv = layout_manifest(&layout, "alpine-3.12.12");
    let riscv_config = riscv["config"]["digest"].as_str().unwrap();
    let riscv_layer = riscv["layers"][0]["digest"].as_str().unwrap();
    ctd.import("default", &archive, false);
    for blob in [riscv_manifest.as_str(), riscv_config, riscv_layer] {
        let _ = ctd.ctr("default", &["content", "rm", blob]);
    }
    let client = ctd.client("default");
    let image = client.open_image("corpus/partial:1", None).unwrap();
    assert!(analyze_containerd_image_full(&image, &opts()).is_ok());
    let err = client
        .open_image("corpus/partial:1", Some("linux/riscv64"))
        .unwrap_err();
    assert!(
        matches!(err, ContainerdError::MissingContent { .. }),
        "{}",
        chain(&err)
    );
    assert!(
        err.to_string()
            .contains(&format!("`manifest` `{riscv_manifest}`")),
        "{err}"
    );
    assert!(!err.is_unavailable());
    assert!(err.hint().unwrap().contains("--all-platforms"));
}

#[test]
fn cached_layers_are_never_read_again() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    let path = corpus("docker-archive/tricky-layers.tar");
    ctd.import("default", &path, false);
    let cache_dir = tempfile::tempdir().unwrap();
    let opts = AnalyzeOptions {
        cache: Some(Arc::new(
            SqliteLayerCache::open(cache_dir.path(), CacheOptions::default()).unwrap(),
        )),
        ..AnalyzeOptions::default()
    };
    let client = ctd.client("default");
    let image = client.open_image("corpus/tricky-layers", None).unwrap();
    let first = analyze_containerd_image_full(&image, &opts).unwrap();
    // Remove the layer blobs: a second scan must not need them.
    for l in &image.layers {
        ctd.ctr_ok("default", &["content", "rm", l.info.digest.as_str()]);
    }
    let fresh = ContainerdClient::new(&ctd.socket, "default").unwrap();
    let again = fresh.open_image("corpus/tricky-layers", None).unwrap();
    let second = analyze_containerd_image_full(&again, &opts).unwrap();
    assert_eq!(first.inventory, second.inventory);
    assert!(!second.inventory.os_packages.is_empty());
    // Without the cache, reading a removed layer is an error naming it.
    let err = analyze_containerd_image_full(&again, &AnalyzeOptions::default()).unwrap_err();
    let text = chain(&err);
    assert!(
        text.contains(image.layers[0].info.digest.as_str()) || text.contains("sha256:"),
        "{text}"
    );
    assert!(text.contains("not found"), "{text}");
}

#[test]
fn unknown_images_and_namespaces_are_unavailable() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    ctd.import(
        "default",
        &corpus("docker-archive/alpine-3.20.3.tar"),
        false,
    );
    let client = ctd.client("default");
    let err = client.open_image("corpus/nope:1", None).unwrap_err();
    assert!(matches!(err, ContainerdError::NoSuchImage { .. }), "{err}");
    assert!(err.is_unavailable());
    let text = err.to_string();
    assert!(text.contains("`docker.io/corpus/nope:1`"), "{text}");
    assert!(text.contains("namespace `default`"), "{text}");
    assert!(err.hint().unwrap().contains("CONTAINERD_NAMESPACE"));

    let other = ctd.client("k8s.io");
    let err = other.open_image("corpus/alpine-3.20.3", None).unwrap_err();
    assert!(
        matches!(err, ContainerdError::EmptyNamespace { .. }),
        "{err}"
    );
    assert!(err.is_unavailable());
    assert!(err.to_string().contains("`default`"), "{err}");
    assert!(err.hint().unwrap().contains("`default`"));

    // An empty namespace name is the default one, as in Trivy.
    let dflt = ctd.client("");
    assert_eq!(dflt.namespace(), "default");
    assert!(dflt.open_image("corpus/alpine-3.20.3:latest", None).is_ok());
    assert_eq!(
        dflt.list_images().unwrap(),
        ["docker.io/corpus/alpine-3.20.3:latest"]
    );
    assert_eq!(dflt.namespaces().unwrap(), ["default"]);
}

#[test]
fn blobs_read_from_an_offset() {
    use std::io::Read;
    let Some(ctd) = Containerd::start() else {
        return;
    };
    let path = corpus("docker-archive/distroless-like.tar");
    ctd.import("default", &path, false);
    let client = ctd.client("default");
    let image = client.open_image("corpus/distroless-like", None).unwrap();
    let layer = image.layers.last().unwrap();
    let mut all = Vec::new();
    client
        .read_blob(layer.info.digest.as_str(), 0)
        .unwrap()
        .read_to_end(&mut all)
        .unwrap();
    assert_eq!(all.len() as u64, layer.info.size);
    let offset = all.len() as u64 - 100_000;
    let mut reader = client
        .read_blob(layer.info.digest.as_str(), offset)
        .unwrap();
    let mut tail = Vec::new();
    reader.read_to_end(&mut tail).unwrap();
    assert_eq!(tail, all[offset as usize..]);
    assert_eq!(reader.position(), layer.info.size);
}

#[test]
fn images_by_target_digest_as_trivy_finds_them() {
    let Some(ctd) = Containerd::start() else {
        return;
    };
    ctd.import(
        "default",
        &corpus("docker-archive/alpine-3.20.3.tar"),
        false,
    );
    ctd.import(
        "default",
        &corpus("docker-archive/tricky-layers.tar"),
        false,
    );
    let client = ctd.client("default");
    let stored = "docker.io/corpus/alpine-3.20.3:latest";
    let record = client.get_image(stored).unwrap().unwrap();
    let digest = record.target.digest.to_string();

    // A bare digest: the image whose target it is.
    let image = client.open_image(&digest, None).unwrap();
    assert_eq!(image.stored_name, stored);
    // `repo@digest` of an image stored under a tag only.
    let image = client
        .open_image(&format!("corpus/alpine-3.20.3@{digest}"), None)
        .unwrap();
    assert_eq!(image.stored_name, stored);
    let (_, want) = reference(&corpus("docker-archive/alpine-3.20.3.tar"), None);
    assert_same(
        &analyze_containerd_image_full(&image, &opts()).unwrap(),
        &want,
        "by digest",
    );
    // The digest of another repository's image, or of nothing.
    let err = client
        .open_image(&format!("corpus/tricky-layers@{digest}"), None)
        .unwrap_err();
    assert!(matches!(err, ContainerdError::NoSuchImage { .. }), "{err}");
    assert!(err.to_string().contains("whose target is"), "{err}");
    let zeros = format!("sha256:{}", "0".repeat(64));
    let err = client.open_image(&zeros, None).unwrap_err();
    assert!(matches!(err, ContainerdError::NoSuchImage { .. }), "{err}");
    assert!(err.is_unavailable());
    let all = client.list_image_records(&[]).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], record);
}
