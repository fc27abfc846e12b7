//! Every image of the shared corpus, in every format it comes in.

use std::collections::HashMap;

use atalaia_artifact::{open_image, ArtifactError, EntryKind, ImageSelector, ImageSource};
use atalaia_test::{corpus_dir, corpus_image_refs};
use atalaia_types::Digest;

use crate::support::{chain, walk_image, Seen};

fn oci() -> String {
    corpus_dir().join("oci").display().to_string()
}

fn open(input: &str) -> ImageSource {
    open_image(input, &ImageSelector::default())
        .unwrap_or_else(|e| panic!("open {input}: {}", chain(&e)))
}

/// ref → manifest digest, from index.json.
fn index_digests() -> HashMap<String, String> {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus_dir().join("oci/index.json")).unwrap())
            .unwrap();
    index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["annotations"]["org.opencontainers.image.ref.name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                m["digest"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn corpus_has_thirteen_images() {
    assert_eq!(corpus_image_refs().len(), 13);
}

#[test]
fn every_oci_image_opens_by_ref_and_digest_and_verifies() {
    let digests = index_digests();
    for r in corpus_image_refs() {
        let img = open(&format!("{}:{r}", oci()));
        let md = &img.metadata;
        assert_eq!(
            md.manifest_digest.as_ref().map(Digest::as_str),
            Some(digests[&r].as_str()),
            "{r}"
        );
        assert_eq!(md.repo_tags, vec![r.clone()]);
        assert!(!img.layers.is_empty(), "{r}");
        assert_eq!(md.diff_ids.len(), img.layers.len(), "{r}");
        assert_eq!(md.layers.len(), img.layers.len(), "{r}");
        assert_eq!(md.size, img.layers.iter().map(|l| l.info.size).sum::<u64>());
        let config_diff_ids: Vec<String> = md.image_config["rootfs"]["diff_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let ours: Vec<String> = md.diff_ids.iter().map(|d| d.to_string()).collect();
        assert_eq!(ours, config_diff_ids, "{r}");
        for l in &img.layers {
            assert!(l.media_type.ends_with("tar+gzip"), "{}", l.media_type);
            assert!(
                l.info.created_by.is_some(),
                "{r}: layer without history line"
            );
        }
        let layers = walk_image(&img);
        assert!(layers.iter().all(|l| !l.is_empty()), "{r}: an empty layer");

        // By digest, the same image.
        let by_digest = open(&format!("{}@{}", oci(), digests[&r]));
        assert_eq!(by_digest.metadata.image_id, md.image_id);
        assert_eq!(by_digest.metadata.diff_ids, md.diff_ids);
        assert_eq!(by_digest.name, format!("{}@{}", oci(), digests[&r]));
    }
}

#[test]
fn selector_wins_over_input_suffix() {
    let sel = ImageSelector {
        reference: Some("alpine-3.10.9".into()),
        ..Default::default()
    };
    let img = open_image(&format!("{}:alpine-3.20.3", oci()), &sel).unwrap();
    assert_eq!(img.metadata.repo_tags, vec!["alpine-3.10.9".to_owned()]);
    assert_eq!(
        img.metadata.manifest_digest.unwrap().as_str(),
        "sha256:5c14174f8bb2cb7622ec1610a0ed2ab59ea8296c7cbf6ff2beb7f57e6dd216dd"
    );
}

#[test]
fn manifest_md_numbers_hold() {
    let img = open(&format!("{}:alpine-3.20.3", oci()));
    let l = &img.metadata.layers[0];
    assert_eq!(
        l.digest.as_str(),
        "sha256:73eeb3ffcdcc21dd72ffbb99dfb3a71144e537df68e630ae2c09fe4abe1c3c8f"
    );
    assert_eq!(
        l.diff_id.as_str(),
        "sha256:a0497aa3a54b9b0bdd5e46c918992075852d28677d44685bf7de06601ab1f223"
    );
    assert_eq!(l.size, 6022);
    assert_eq!(
        img.metadata.image_id.as_ref().unwrap().as_str(),
        "sha256:2a0577cfe62814671cba4ccaff8ad5e8653aefca2c251e9900567af43a63413e"
    );
    let tricky = open(&format!("{}:tricky-layers", oci()));
    let diff_ids: Vec<&str> = tricky
        .metadata
        .diff_ids
        .iter()
        .map(Digest::as_str)
        .collect();
    assert_eq!(
        diff_ids,
        [
            "sha256:cee4dd85478247c69b12093103d6818cb213cd29a9274f61708e48ac9dbd9437",
            "sha256:d067c1d457fc9fd6a978ed0963f6e3e3e7fc9879e98370423907685a7cc2452f",
            "sha256:d3b3646378401f6b8926a7c8e50e4f769c0859257bdcbb56e2710e9b790507ee",
            "sha256:50d7a33812cea2acb5ddafaa32bbf62ebc3ccc06084e4daa02efa18569b96656",
        ]
    );
}

#[test]
fn no_selector_on_a_layout_with_many_images_is_ambiguous() {
    let err = open_image(&oci(), &ImageSelector::default()).expect_err("ambiguous");
    assert!(matches!(err, ArtifactError::Ambiguous { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("`alpine-3.20.3`") && msg.contains("`tricky-layers`"),
        "{msg}"
    );
}

#[test]
fn unknown_ref_and_digest_list_what_is_available() {
    let err = open_image(
        &format!("{}:no-such-image", oci()),
        &ImageSelector::default(),
    )
    .err()
    .unwrap();
    assert!(
        matches!(err, ArtifactError::NoMatchingImage { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("`no-such-image`") && err.to_string().contains("`go-fzf`"),
        "{err}"
    );
    let d = format!("sha256:{}", "0".repeat(64));
    let err = open_image(&format!("{}@{d}", oci()), &ImageSelector::default())
        .err()
        .unwrap();
    assert!(
        matches!(err, ArtifactError::NoMatchingImage { .. }),
        "{err}"
    );
}

#[test]
fn tricky_layers_whiteouts_links_and_opaque_dirs() {
    let img = open(&format!("{}:tricky-layers", oci()));
    let layers = walk_image(&img);
    let find = |layer: usize, path: &str| -> Vec<&Seen> {
        layers[layer].iter().filter(|s| s.path == path).collect()
    };
    assert_eq!(
        find(1, "root/.aws/credentials")[0].kind,
        EntryKind::Whiteout
    );
    assert_eq!(
        find(1, "root/.git-credentials")[0].kind,
        EntryKind::Whiteout
    );
    assert_eq!(
        find(1, "usr/local/lib/python3.11/site-packages/urllib3")[0].kind,
        EntryKind::Whiteout
    );
    assert!(find(2, "opt/data")
        .iter()
        .any(|s| s.kind == EntryKind::OpaqueDir));
    assert_eq!(
        find(3, "app/.env.bak")[0].kind,
        EntryKind::Hardlink {
            target: "app/.env".into()
        }
    );
    assert!(matches!(
        find(3, "app/config/tls.key")[0].kind,
        EntryKind::Symlink { .. }
    ));
    // Nothing escapes, nothing keeps a `.wh.` prefix.
    for l in &layers {
        for s in l {
            assert!(
                !s.path.starts_with('/') && !s.path.split('/').any(|c| c == ".." || c == "."),
                "{}",
                s.path
            );
            assert!(
                !s.path.rsplit('/').next().unwrap().starts_with(".wh."),
                "{}",
                s.path
            );
        }
    }
    // The secret file of layer 1 is read with its bytes.
    let env = find(0, "app/.env");
    assert_eq!(env[0].kind, EntryKind::File);
    assert!(env[0].size > 0 && env[0].content.is_some());
}

fn docker_archive(name: &str) -> String {
    corpus_dir()
        .join("docker-archive")
        .join(format!("{name}.tar"))
        .display()
        .to_string()
}

#[test]
fn docker_archives_match_their_oci_copies() {
    for name in ["alpine-3.20.3", "distroless-like", "tricky-layers"] {
        let docker = open(&docker_archive(name));
        let oci_img = open(&format!("{}:{name}", oci()));
        assert_eq!(
            docker.metadata.repo_tags,
            vec![format!("docker.io/corpus/{name}:latest")]
        );
        assert_eq!(
            docker.metadata.diff_ids, oci_img.metadata.diff_ids,
            "{name}"
        );
        assert_eq!(
            docker.metadata.image_id, oci_img.metadata.image_id,
            "{name}"
        );
        assert_eq!(docker.metadata.manifest_digest, None);
        for l in &docker.layers {
            // Uncompressed layers: the stored file's digest is the diff ID.
            assert_eq!(l.info.digest, l.info.diff_id);
            assert_eq!(l.media_type, "application/vnd.docker.image.rootfs.diff.tar");
        }
        let created: Vec<_> = docker
            .metadata
            .layers
            .iter()
            .map(|l| l.created_by.clone())
            .collect();
        let created_oci: Vec<_> = oci_img
            .metadata
            .layers
            .iter()
            .map(|l| l.created_by.clone())
            .collect();
        assert_eq!(created, created_oci);
        assert_eq!(
            walk_image(&docker),
            walk_image(&oci_img),
            "{name}: entry lists differ"
        );
    }
}

#[test]
fn docker_archive_selection() {
    let a = docker_archive("alpine-3.20.3");
    let img = open(&format!("{a}:docker.io/corpus/alpine-3.20.3:latest"));
    assert_eq!(img.layers.len(), 1);
    let sel = ImageSelector {
        reference: Some("corpus/alpine-3.20.3".into()),
        ..Default::default()
    };
    assert!(open_image(&a, &sel).is_ok());
    let by_id = open(&format!(
        "{a}@sha256:2a0577cfe62814671cba4ccaff8ad5e8653aefca2c251e9900567af43a63413e"
    ));
    assert_eq!(by_id.metadata.diff_ids, img.metadata.diff_ids);
    let sel = ImageSelector {
        reference: Some("other:1".into()),
        ..Default::default()
    };
    let err = open_image(&a, &sel).err().unwrap();
    assert!(
        matches!(err, ArtifactError::NoMatchingImage { .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("docker.io/corpus/alpine-3.20.3:latest"),
        "{err}"
    );
}

#[test]
fn zstd_layout_matches_gzip_copy() {
    let zstd_dir = corpus_dir().join("oci-zstd").display().to_string();
    // The only image: no selector needed.
    let z = open(&zstd_dir);
    let z_by_ref = open(&format!("{zstd_dir}:distroless-like-zstd"));
    assert_eq!(
        z.metadata.manifest_digest,
        z_by_ref.metadata.manifest_digest
    );
    assert_eq!(
        z.metadata.manifest_digest.as_ref().unwrap().as_str(),
        "sha256:452e230370c90701f26ea05f0e6a4780128d48db42581ceee53c19e72c3b02ef"
    );
    let digests: Vec<&str> = z
        .metadata
        .layers
        .iter()
        .map(|l| l.digest.as_str())
        .collect();
    assert_eq!(
        digests,
        [
            "sha256:e63b0ce40d765ed75ff041ace50c4158bf75ac7d1727e1ad6b6d7b4f1c314bc5",
            "sha256:ba141339371d0b4195fe1d8fd1e01d1c2429e0f56f2946cef55f45a4edd7011c"
        ]
    );
    assert!(z.layers.iter().all(|l| l.media_type.ends_with("tar+zstd")));
    let g = open(&format!("{}:distroless-like", oci()));
    assert_eq!(z.metadata.diff_ids, g.metadata.diff_ids);
    assert_eq!(walk_image(&z), walk_image(&g));
}

#[test]
fn layers_open_concurrently() {
    let img = open(&format!("{}:python-app", oci()));
    let layers = &img.layers;
    let counts: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = layers
            .iter()
            .chain(layers.iter())
            .map(|l| s.spawn(move || crate::support::read_all(l.open().unwrap()).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let n = layers.len();
    assert_eq!(counts[..n], counts[n..]);
    assert!(counts.iter().all(|c| *c > 0 && c % 512 == 0));
}
