//! Bad images, generated in temporary directories: each must give its own clear error, never a
//! panic, and name the image or file.

use std::io::Write;
use std::path::{Path, PathBuf};

use atalaia_artifact::{
    open_image, ArtifactError, Compression, ImageSelector, ImageSource, Limits,
};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::support::{chain, hex, read_all, RawTar};

fn sha(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A small tar with a few files.
fn small_tar(tag: &str) -> Vec<u8> {
    RawTar::new()
        .entry("etc/", tar::EntryType::Directory, None, b"")
        .file("etc/os-release", format!("ID={tag}\n").as_bytes())
        .file("app/data.bin", &vec![42u8; 3000])
        .finish()
}

/// A layer as it goes into a test image.
struct TestLayer {
    blob: Vec<u8>,
    media_type: &'static str,
    diff_id: String,
}

impl TestLayer {
    fn gzip(tar: &[u8]) -> Self {
        TestLayer {
            blob: gzip(tar),
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
            diff_id: sha(tar),
        }
    }
    fn plain(tar: &[u8]) -> Self {
        TestLayer {
            blob: tar.to_vec(),
            media_type: "application/vnd.oci.image.layer.v1.tar",
            diff_id: sha(tar),
        }
    }
}

/// Writes an OCI image layout.
struct Layout {
    root: PathBuf,
}

impl Layout {
    fn new(root: &Path) -> Self {
        std::fs::create_dir_all(root.join("blobs/sha256")).unwrap();
        std::fs::write(
            root.join("oci-layout"),
            br#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .unwrap();
        Layout {
            root: root.to_owned(),
        }
    }

    fn blob(&self, bytes: &[u8]) -> String {
        let d = sha(bytes);
        std::fs::write(self.blob_path(&d), bytes).unwrap();
        d
    }

    fn blob_path(&self, digest: &str) -> PathBuf {
        self.root
            .join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:"))
    }

    /// Writes config + manifest; returns the manifest descriptor.
    fn image(&self, layers: &[TestLayer]) -> serde_json::Value {
        let config = json!({
            "architecture": "amd64", "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| l.diff_id.clone()).collect::<Vec<_>>()},
            "history": layers.iter().enumerate().map(|(i, _)| json!({"created_by": format!("step {i}")})).collect::<Vec<_>>(),
        });
        let config = serde_json::to_vec(&config).unwrap();
        let config_digest = self.blob(&config);
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": layers.iter().map(|l| json!({"mediaType": l.media_type, "digest": self.blob(&l.blob), "size": l.blob.len()})).collect::<Vec<_>>(),
        });
        let manifest = serde_json::to_vec(&manifest).unwrap();
        json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": self.blob(&manifest), "size": manifest.len()})
    }

    fn index(&self, manifests: Vec<serde_json::Value>) {
        let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests});
        std::fs::write(
            self.root.join("index.json"),
            serde_json::to_vec(&index).unwrap(),
        )
        .unwrap();
    }

    fn input(&self) -> String {
        self.root.display().to_string()
    }
}

fn with_ref(mut desc: serde_json::Value, r: &str) -> serde_json::Value {
    desc["annotations"] = json!({"org.opencontainers.image.ref.name": r});
    desc
}

fn with_platform(mut desc: serde_json::Value, os: &str, arch: &str) -> serde_json::Value {
    desc["platform"] = json!({"os": os, "architecture": arch});
    desc
}

fn open(input: &str) -> Result<ImageSource, ArtifactError> {
    open_image(input, &ImageSelector::default())
}

/// Walks every layer to the end; the first error.
fn walk_all(img: &ImageSource) -> Result<(), ArtifactError> {
    for l in &img.layers {
        l.walk(&Limits::default(), &mut |e| {
            std::io::copy(e.reader, &mut std::io::sink())
                .map(drop)
                .map_err(|err| ArtifactError::Visit {
                    path: e.path.to_owned(),
                    err: Box::new(err),
                })
        })?;
    }
    Ok(())
}

#[test]
fn a_good_generated_image_opens_and_walks() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let m = l.image(&[
        TestLayer::gzip(&small_tar("a")),
        TestLayer::plain(&small_tar("b")),
    ]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    assert_eq!(img.layers.len(), 2);
    assert_eq!(img.metadata.layers[1].created_by.as_deref(), Some("step 1"));
    assert!(img.metadata.repo_tags.is_empty());
    walk_all(&img).unwrap();
}

#[test]
fn truncated_gzip_layer() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let tar = small_tar("a");
    let mut layer = TestLayer::gzip(&tar);
    layer.blob.truncate(layer.blob.len() / 2);
    let m = l.image(&[layer]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    let err = walk_all(&img).expect_err("truncated");
    assert!(
        matches!(
            err,
            ArtifactError::Truncated {
                format: Compression::Gzip,
                ..
            }
        ),
        "{}",
        chain(&err)
    );
    assert!(
        err.to_string().contains(img.layers[0].info.digest.as_str()),
        "{err}"
    );
}

#[test]
fn truncated_zstd_layer() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let tar = small_tar("z");
    let mut blob = zstd::encode_all(&tar[..], 3).unwrap();
    blob.truncate(blob.len() - 10);
    let m = l.image(&[TestLayer {
        blob,
        media_type: "application/vnd.oci.image.layer.v1.tar+zstd",
        diff_id: sha(&tar),
    }]);
    l.index(vec![m]);
    let err = walk_all(&open(&l.input()).unwrap()).expect_err("truncated");
    assert!(
        matches!(
            err,
            ArtifactError::Truncated {
                format: Compression::Zstd,
                ..
            }
        ),
        "{}",
        chain(&err)
    );
}

#[test]
fn zstd_and_mislabelled_layers_are_recognised_by_magic() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let tar = small_tar("z");
    let zst = TestLayer {
        blob: zstd::encode_all(&tar[..], 3).unwrap(),
        media_type: "application/vnd.oci.image.layer.v1.tar+zstd",
        diff_id: sha(&tar),
    };
    // Labelled gzip, stored plain.
    let mislabelled = TestLayer {
        media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
        ..TestLayer::plain(&tar)
    };
    let m = l.image(&[zst, mislabelled]);
    l.index(vec![m]);
    walk_all(&open(&l.input()).unwrap()).unwrap();
}

#[test]
fn corrupt_gzip_layer() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let mut layer = TestLayer::gzip(&small_tar("a"));
    let n = layer.blob.len();
    for b in &mut layer.blob[10..n - 8] {
        *b = 0xff;
    }
    let m = l.image(&[layer]);
    l.index(vec![m]);
    let err = walk_all(&open(&l.input()).unwrap()).expect_err("corrupt");
    assert!(
        matches!(
            err,
            ArtifactError::Decompress {
                format: Compression::Gzip,
                ..
            }
        ),
        "{}",
        chain(&err)
    );
}

#[test]
fn layer_that_is_not_a_tar() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let junk: Vec<u8> = (0..5000u32).map(|i| (i * 13 % 251) as u8).collect();
    let m = l.image(&[TestLayer::gzip(&junk)]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    let err = walk_all(&img).expect_err("not a tar");
    assert!(
        matches!(err, ArtifactError::BadTar { .. }),
        "{}",
        chain(&err)
    );
    assert!(
        err.to_string().contains(img.layers[0].info.digest.as_str()),
        "{err}"
    );
}

#[test]
fn input_file_that_is_not_a_tar() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("notes.txt");
    std::fs::write(
        &p,
        "just some text, long enough to fill a header block? no.\n".repeat(20),
    )
    .unwrap();
    let err = open(&p.display().to_string()).err().unwrap();
    assert!(matches!(err, ArtifactError::NotATar { .. }), "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    // A gzip-compressed tarball is refused with a cause saying so.
    let gz = d.path().join("image.tar.gz");
    std::fs::write(&gz, gzip(&small_tar("x"))).unwrap();
    let err = open(&gz.display().to_string()).err().unwrap();
    assert!(matches!(err, ArtifactError::NotATar { .. }), "{err}");
    // A tar with no image in it.
    let t = d.path().join("plain.tar");
    std::fs::write(&t, small_tar("x")).unwrap();
    let err = open(&t.display().to_string()).err().unwrap();
    assert!(matches!(err, ArtifactError::NotAnImage { .. }), "{err}");
    // A directory with no image in it.
    let err = open(&d.path().display().to_string()).err().unwrap();
    assert!(matches!(err, ArtifactError::NotAnImage { .. }), "{err}");
}

#[test]
fn input_not_found() {
    let err = open("/nonexistent/image.tar:latest").err().unwrap();
    assert!(matches!(err, ArtifactError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/image.tar:latest"));
}

#[test]
fn manifest_naming_a_missing_blob() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let layer = TestLayer::gzip(&small_tar("a"));
    let m = l.image(&[layer]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    std::fs::remove_file(l.blob_path(img.layers[0].info.digest.as_str())).unwrap();
    let err = open(&l.input()).err().unwrap();
    assert!(matches!(err, ArtifactError::MissingBlob { .. }), "{err}");
    assert!(
        err.to_string().contains(img.layers[0].info.digest.as_str()),
        "{err}"
    );
    // The layer was opened before the blob went away: opening it now is an error, not a panic.
    assert!(matches!(
        img.layers[0].open().err().unwrap(),
        ArtifactError::LayerIo { .. }
    ));
}

#[test]
fn tampered_layer_blob() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let m = l.image(&[TestLayer::plain(&small_tar("a"))]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    let p = l.blob_path(img.layers[0].info.digest.as_str());
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[1024 + 1] ^= 1; // a content byte of etc/os-release
    std::fs::write(&p, bytes).unwrap();
    let err = walk_all(&img).expect_err("tampered");
    assert!(
        matches!(err, ArtifactError::BlobDigestMismatch { .. }),
        "{}",
        chain(&err)
    );
    // Reading the stream directly gives the same error inside the io::Error.
    let io_err = read_all(img.layers[0].open().unwrap()).err().unwrap();
    assert!(matches!(
        ArtifactError::from_io(io_err),
        Ok(ArtifactError::BlobDigestMismatch { .. })
    ));
    // Tampering that also breaks the tar structure is still reported as tampering.
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[512 + 1] ^= 1; // a header byte of etc/os-release
    std::fs::write(&p, bytes).unwrap();
    let err = walk_all(&img).expect_err("tampered");
    assert!(
        matches!(err, ArtifactError::BlobDigestMismatch { .. }),
        "{}",
        chain(&err)
    );
}

#[test]
fn tampered_gzip_layer_blob() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let m = l.image(&[TestLayer::gzip(&small_tar("a"))]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    let p = l.blob_path(img.layers[0].info.digest.as_str());
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[4] ^= 0x55; // the gzip header's mtime: decompresses fine, hashes differently
    std::fs::write(&p, bytes).unwrap();
    let err = walk_all(&img).expect_err("tampered");
    assert!(
        matches!(err, ArtifactError::BlobDigestMismatch { .. }),
        "{}",
        chain(&err)
    );
}

#[test]
fn tampered_config_blob() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let m = l.image(&[TestLayer::plain(&small_tar("a"))]);
    l.index(vec![m]);
    let img = open(&l.input()).unwrap();
    let p = l.blob_path(img.metadata.image_id.as_ref().unwrap().as_str());
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[0] = b' ';
    std::fs::write(&p, bytes).unwrap();
    let err = open(&l.input()).err().unwrap();
    assert!(
        matches!(err, ArtifactError::BlobDigestMismatch { .. }),
        "{err}"
    );
}

#[test]
fn wrong_diff_id() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let mut layer = TestLayer::gzip(&small_tar("a"));
    layer.diff_id = sha(b"something else");
    let m = l.image(&[layer]);
    l.index(vec![m]);
    let err = walk_all(&open(&l.input()).unwrap()).err().unwrap();
    assert!(
        matches!(err, ArtifactError::DiffIdMismatch { .. }),
        "{}",
        chain(&err)
    );
}

#[test]
fn unsupported_layer_media_type() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let mut layer = TestLayer::gzip(&small_tar("a"));
    layer.media_type = "application/vnd.oci.image.layer.v1.tar+bzip2";
    let m = l.image(&[layer]);
    l.index(vec![m]);
    let err = open(&l.input()).err().unwrap();
    assert!(
        matches!(err, ArtifactError::UnsupportedMediaType { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("tar+bzip2"), "{err}");
}

/// An index with amd64 and arm64 manifests, nested under the layout's index.json.
fn multi_platform(l: &Layout, platforms: &[(&str, &str)]) -> serde_json::Value {
    let manifests: Vec<_> = platforms
        .iter()
        .map(|(os, arch)| with_platform(l.image(&[TestLayer::gzip(&small_tar(arch))]), os, arch))
        .collect();
    let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests});
    let bytes = serde_json::to_vec(&index).unwrap();
    json!({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": l.blob(&bytes), "size": bytes.len()})
}

#[test]
fn nested_index_picks_the_platform() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let idx = multi_platform(&l, &[("linux", "arm64"), ("linux", "amd64")]);
    l.index(vec![with_ref(idx, "multi")]);
    let amd = open(&format!("{}:multi", l.input())).unwrap();
    let sel = ImageSelector {
        platform: Some("linux/arm64".into()),
        ..Default::default()
    };
    let arm = open_image(&l.input(), &sel).unwrap();
    assert_ne!(amd.metadata.manifest_digest, arm.metadata.manifest_digest);
    assert_eq!(amd.metadata.image_config["architecture"], "amd64");
    assert_eq!(amd.metadata.repo_tags, ["multi"]);
    // The platform manifest can be chosen by its own digest too.
    let by_digest = open(&format!(
        "{}@{}",
        l.input(),
        arm.metadata.manifest_digest.as_ref().unwrap()
    ))
    .unwrap();
    assert_eq!(by_digest.metadata.image_id, arm.metadata.image_id);
}

#[test]
fn index_with_no_matching_platform() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let idx = multi_platform(&l, &[("linux", "arm64"), ("linux", "s390x")]);
    l.index(vec![idx]);
    let err = open(&l.input()).err().unwrap();
    assert!(
        matches!(err, ArtifactError::NoMatchingPlatform { .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("linux/amd64") && msg.contains("linux/arm64") && msg.contains("linux/s390x"),
        "{msg}"
    );
    let sel = ImageSelector {
        platform: Some("amd64".into()),
        ..Default::default()
    };
    assert!(matches!(
        open_image(&l.input(), &sel).err().unwrap(),
        ArtifactError::BadPlatform { .. }
    ));
}

#[test]
fn bad_json_documents() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    std::fs::write(d.path().join("index.json"), b"{not json").unwrap();
    let err = open(&l.input()).err().unwrap();
    assert!(matches!(err, ArtifactError::BadJson { .. }), "{err}");
    // A config whose diff IDs do not match the layer count.
    let config = serde_json::to_vec(&json!({"rootfs": {"diff_ids": []}})).unwrap();
    let cd = l.blob(&config);
    let layer = TestLayer::gzip(&small_tar("a"));
    let ld = l.blob(&layer.blob);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
        "layers": [{"mediaType": layer.media_type, "digest": ld, "size": layer.blob.len()}],
    }))
    .unwrap();
    let md = l.blob(&manifest);
    l.index(vec![json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": manifest.len()})]);
    let err = open(&l.input()).err().unwrap();
    assert!(matches!(err, ArtifactError::BadDocument { .. }), "{err}");
    // A descriptor size that lies.
    l.index(vec![
        json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": 3}),
    ]);
    let err = open(&l.input()).err().unwrap();
    assert!(
        matches!(err, ArtifactError::BlobSizeMismatch { .. }),
        "{err}"
    );
}

#[test]
fn layout_path_containing_a_colon() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(&d.path().join("lay:out"));
    let m = l.image(&[TestLayer::gzip(&small_tar("a"))]);
    l.index(vec![with_ref(m, "v1")]);
    assert_eq!(open(&l.input()).unwrap().layers.len(), 1);
    assert_eq!(
        open(&format!("{}:v1", l.input()))
            .unwrap()
            .metadata
            .repo_tags,
        ["v1"]
    );
}

/// Tars a directory tree (sorted), with `links` added as symlinks.
fn tar_dir(root: &Path, links: &[(&str, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut files = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        b.append_path_with_name(&f, f.strip_prefix(root).unwrap())
            .unwrap();
    }
    for (name, target) in links {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, name, target).unwrap();
    }
    b.into_inner().unwrap()
}

#[test]
fn oci_layout_inside_a_tarball() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(&d.path().join("layout"));
    let layer = TestLayer::gzip(&small_tar("a"));
    let m = l.image(&[layer]);
    let manifest_digest = m["digest"].as_str().unwrap().to_owned();
    l.index(vec![with_ref(m, "latest")]);
    let from_dir = open(&l.input()).unwrap();
    let config_digest = from_dir.metadata.image_id.clone().unwrap();
    // Docker 25+ writes manifest.json next to index.json; its RepoTags are the tags.
    let docker_manifest = json!([{
        "Config": format!("blobs/sha256/{}", config_digest.hex()),
        "RepoTags": ["example.com/app:1.0"],
        "Layers": [format!("blobs/sha256/{}", from_dir.layers[0].info.digest.hex())],
    }]);
    std::fs::write(
        l.root.join("manifest.json"),
        serde_json::to_vec(&docker_manifest).unwrap(),
    )
    .unwrap();
    let tarball = d.path().join("image.tar");
    std::fs::write(&tarball, tar_dir(&l.root, &[])).unwrap();
    let img = open(&tarball.display().to_string()).unwrap();
    assert_eq!(
        img.metadata.manifest_digest.as_ref().unwrap().as_str(),
        manifest_digest
    );
    assert_eq!(img.metadata.repo_tags, ["example.com/app:1.0"]);
    assert_eq!(img.metadata.diff_ids, from_dir.metadata.diff_ids);
    walk_all(&img).unwrap();
}

/// A legacy `docker save` tarball: `<id>/layer.tar` symlinks to `<diff>.tar`.
fn legacy_archive(dir: &Path, layers: &[&[u8]], drop_layer: bool) -> PathBuf {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let mut names = Vec::new();
    let mut links = Vec::new();
    let mut diff_ids = Vec::new();
    for (i, tar) in layers.iter().enumerate() {
        let diff = sha(tar);
        let file = format!("{}.tar", diff.trim_start_matches("sha256:"));
        if !(drop_layer && i == 0) {
            std::fs::write(src.join(&file), tar).unwrap();
        }
        links.push((format!("layer{i}/layer.tar"), format!("../{file}")));
        names.push(format!("layer{i}/layer.tar"));
        diff_ids.push(diff);
    }
    let config =
        serde_json::to_vec(&json!({"rootfs": {"type": "layers", "diff_ids": diff_ids}})).unwrap();
    let config_name = format!("{}.json", sha(&config).trim_start_matches("sha256:"));
    std::fs::write(src.join(&config_name), &config).unwrap();
    let manifest =
        json!([{"Config": config_name, "RepoTags": ["corpus/legacy:1"], "Layers": names}]);
    std::fs::write(
        src.join("manifest.json"),
        serde_json::to_vec(&manifest).unwrap(),
    )
    .unwrap();
    let links: Vec<(&str, &str)> = links
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let out = dir.join("legacy.tar");
    std::fs::write(&out, tar_dir(&src, &links)).unwrap();
    out
}

#[test]
fn legacy_docker_archive_generated() {
    let d = tempfile::tempdir().unwrap();
    let a = small_tar("a");
    let b = gzip(&small_tar("b"));
    let p = legacy_archive(d.path(), &[&a, &b], false);
    let img = open(&format!("{}:corpus/legacy:1", p.display())).unwrap();
    assert_eq!(img.layers[0].info.digest, img.layers[0].info.diff_id);
    // A compressed layer in a legacy archive: its digest is the hash of the stored file.
    assert_eq!(img.layers[1].info.digest.as_str(), sha(&b));
    assert_eq!(
        img.layers[1].media_type,
        "application/vnd.docker.image.rootfs.diff.tar.gzip"
    );
    // diff IDs in the config were of the uncompressed tars: b's is wrong, a's is right.
    let err = walk_all(&img).err().unwrap();
    assert!(
        matches!(err, ArtifactError::DiffIdMismatch { .. }),
        "{}",
        chain(&err)
    );
}

#[test]
fn legacy_docker_archive_missing_layer() {
    let d = tempfile::tempdir().unwrap();
    let a = small_tar("a");
    let p = legacy_archive(d.path(), &[&a], true);
    let err = open(&p.display().to_string()).err().unwrap();
    assert!(matches!(err, ArtifactError::MissingBlob { .. }), "{err}");
    assert!(err.to_string().contains("layer0/layer.tar"), "{err}");
}

#[test]
fn many_images_without_selector_is_ambiguous() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let a = with_ref(l.image(&[TestLayer::gzip(&small_tar("a"))]), "a");
    let b = with_ref(l.image(&[TestLayer::gzip(&small_tar("b"))]), "b");
    l.index(vec![a, b]);
    let err = open(&l.input()).err().unwrap();
    assert!(matches!(err, ArtifactError::Ambiguous { .. }), "{err}");
    assert!(err.to_string().contains("`a`") && err.to_string().contains("`b`"));
    let err = open_image(
        &format!("{}@sha256:zz", l.input()),
        &ImageSelector::default(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, ArtifactError::BadDigest { .. }), "{err}");
}

#[test]
fn containerd_names_give_tags_digests_and_match_short_refs() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let mut m = l.image(&[TestLayer::gzip(&small_tar("a"))]);
    let digest = m["digest"].as_str().unwrap().to_owned();
    m["annotations"] = json!({
        "io.containerd.image.name": "docker.io/library/app:1.0",
        "org.opencontainers.image.ref.name": "1.0",
    });
    let other = with_ref(l.image(&[TestLayer::gzip(&small_tar("b"))]), "other");
    l.index(vec![m, other]);
    let img = open(&format!("{}:app:1.0", l.input())).unwrap();
    assert_eq!(img.metadata.repo_tags, ["docker.io/library/app:1.0"]);
    assert_eq!(
        img.metadata.repo_digests,
        [format!("docker.io/library/app@{digest}")]
    );
    assert_eq!(
        open(&format!("{}:1.0", l.input()))
            .unwrap()
            .metadata
            .image_id,
        img.metadata.image_id
    );
}

#[test]
fn same_ref_for_several_platforms_none_matching() {
    let d = tempfile::tempdir().unwrap();
    let l = Layout::new(d.path());
    let a = with_platform(
        with_ref(l.image(&[TestLayer::gzip(&small_tar("a"))]), "app"),
        "linux",
        "arm64",
    );
    let b = with_platform(
        with_ref(l.image(&[TestLayer::gzip(&small_tar("b"))]), "app"),
        "linux",
        "ppc64le",
    );
    l.index(vec![a, b]);
    let err = open(&format!("{}:app", l.input())).unwrap_err();
    assert!(
        matches!(err, ArtifactError::NoMatchingPlatform { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("linux/ppc64le"), "{err}");
    let sel = ImageSelector {
        platform: Some("linux/ppc64le".into()),
        ..Default::default()
    };
    assert!(open_image(&format!("{}:app", l.input()), &sel).is_ok());
}
