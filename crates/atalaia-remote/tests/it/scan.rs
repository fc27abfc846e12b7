//! Scans by name against the registry: same answers as the OCI layout, auth and transport
//! failures, the layer cache, concurrency, and no credentials in logs or errors.

use std::io::Write;
use std::sync::{Arc, Mutex};

use atalaia_analyze::{analyze_image, AnalyzeError, AnalyzeOptions};
use atalaia_artifact::{open_image, ArtifactError, ImageSelector, ImageSource};
use atalaia_cache::{CacheOptions, SqliteLayerCache};
use atalaia_registry::{Descriptor, ImageIndex, Platform, Reference, OCI_INDEX};
use atalaia_remote::{analyze_remote_image, open_remote_image, RemoteImage};
use atalaia_types::Inventory;

use crate::support::{oci, oci_zstd, Env};

fn layout(dir: &std::path::Path, r: &str) -> ImageSource {
    open_image(&format!("{}:{r}", dir.display()), &ImageSelector::default()).unwrap()
}

fn local_inventory(img: &ImageSource) -> Inventory {
    analyze_image(img, &AnalyzeOptions::default()).unwrap()
}

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

/// Access-log `GET`s of blob `digest`.
fn blob_gets(log: &str, digest: &str) -> usize {
    log.lines()
        .filter(|l| l.contains("\"GET /v2/") && l.contains(&format!("/blobs/{digest}")))
        .count()
}

fn assert_same_metadata(remote: &RemoteImage, local: &ImageSource) {
    let (r, l) = (&remote.metadata, &local.metadata);
    assert_eq!(r.image_id, l.image_id);
    assert_eq!(r.diff_ids, l.diff_ids);
    assert_eq!(r.layers, l.layers);
    assert_eq!(r.size, l.size);
    assert_eq!(r.image_config, l.image_config);
    assert_eq!(r.manifest_digest, l.manifest_digest);
}

#[test]
fn same_metadata_and_inventory_as_the_oci_layout() {
    let Some(env) = Env::start() else { return };
    let client = env.client();
    for (dir, oci_ref, repo_tag) in [
        (oci(), "alpine-3.20.3", "corpus/alpine:3.20.3"),
        (oci(), "python-app", "corpus/python-app:1"),
        (oci(), "tricky-layers", "corpus/tricky:1"),
        (
            oci_zstd(),
            "distroless-like-zstd",
            "corpus/distroless-zstd:1",
        ),
    ] {
        let name = env.push(&dir, oci_ref, repo_tag);
        let remote = open_remote_image(client.clone(), &name, None).unwrap();
        let local = layout(&dir, oci_ref);
        assert_same_metadata(&remote, &local);
        assert_eq!(remote.metadata.repo_tags, vec![name.clone()]);
        let repo = repo_tag.split(':').next().unwrap();
        assert_eq!(
            remote.metadata.repo_digests,
            vec![format!(
                "{}/{repo}@{}",
                env.reg.host,
                local.metadata.manifest_digest.clone().unwrap()
            )]
        );
        let inv = analyze_remote_image(&remote, &AnalyzeOptions::default()).unwrap();
        assert!(
            inv.packages().next().is_some() || inv.os.is_some(),
            "{oci_ref}"
        );
        assert_eq!(inv, local_inventory(&local), "{oci_ref}");
    }
}

#[test]
fn multi_platform_index_by_platform() {
    let Some(env) = Env::start() else { return };
    let client = env.client();
    let amd = env.push(&oci(), "alpine-3.20.3", "corpus/multi:amd64");
    let arm = env.push(&oci(), "alpine-3.16.9", "corpus/multi:arm64");
    let entry = |name: &str, platform: &str| {
        let r: Reference = name.parse().unwrap();
        let m = client.manifest(&r).unwrap();
        let mut d = Descriptor::of(m.media_type.clone(), &m.bytes);
        d.platform = Platform::parse(platform);
        d
    };
    let index = ImageIndex {
        schema_version: 2,
        media_type: Some(OCI_INDEX.to_owned()),
        manifests: vec![entry(&arm, "linux/arm64/v8"), entry(&amd, "linux/amd64")],
        annotations: Default::default(),
    };
    let name = format!("{}/corpus/multi:1", env.reg.host);
    let index_digest = client
        .push_manifest(
            &name.parse().unwrap(),
            OCI_INDEX,
            &serde_json::to_vec(&index).unwrap(),
        )
        .unwrap();

    let default = open_remote_image(client.clone(), &name, None).unwrap();
    let amd_local = layout(&oci(), "alpine-3.20.3");
    assert_same_metadata(&default, &amd_local);
    assert_eq!(default.pulled_digest, index_digest);
    assert_eq!(
        default.metadata.repo_digests,
        vec![format!("{}/corpus/multi@{index_digest}", env.reg.host)]
    );

    let arm64 = open_remote_image(client.clone(), &name, Some("linux/arm64")).unwrap();
    let arm_local = layout(&oci(), "alpine-3.16.9");
    assert_same_metadata(&arm64, &arm_local);
    assert_eq!(
        analyze_remote_image(&arm64, &AnalyzeOptions::default()).unwrap(),
        local_inventory(&arm_local)
    );

    let err = open_remote_image(client, &name, Some("windows/amd64")).unwrap_err();
    let msg = chain(&err);
    assert!(
        msg.contains("windows/amd64") && msg.contains("linux/arm64/v8"),
        "{msg}"
    );
}

#[test]
fn wrong_credentials_are_a_clear_401() {
    let Some(env) = Env::start() else { return };
    let name = env.push(&oci(), "alpine-3.20.3", "corpus/alpine:1");
    let err = open_remote_image(env.client_with("not-the-password"), &name, None).unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    let msg = chain(&err);
    assert!(
        msg.contains(&format!("authentication failed for {}", env.reg.host)),
        "{msg}"
    );
    assert!(!format!("{msg} {err:?}").contains("not-the-password"));
    // The access log shows the 401s.
    assert!(env.reg.log_text().contains("\" 401 "), "no 401 in the log");
}

#[test]
fn stopped_registry_is_a_clear_error() {
    let Some(env) = Env::start() else { return };
    let name = env.push(&oci(), "alpine-3.20.3", "corpus/alpine:1");
    let client = env.client();
    let remote = open_remote_image(client.clone(), &name, None).unwrap();
    let host = env.reg.host.clone();
    drop(env);

    // Layers are fetched when analysed: the error names the layer and the registry.
    let err = analyze_remote_image(&remote, &AnalyzeOptions::default()).unwrap_err();
    let msg = chain(&err);
    assert!(matches!(err, AnalyzeError::Layer { .. }), "{msg}");
    assert!(msg.contains(remote.layers[0].info.digest.as_str()), "{msg}");
    assert!(
        msg.contains(&format!("cannot reach registry {host}")),
        "{msg}"
    );

    let err = open_remote_image(client, &name, None).unwrap_err();
    assert!(!err.is_auth());
    let msg = chain(&err);
    assert!(
        msg.contains(&format!(
            "cannot pull `{name}`: cannot reach registry {host}"
        )),
        "{msg}"
    );
}

#[test]
fn cached_rescan_fetches_no_layer_blob() {
    let Some(env) = Env::start() else { return };
    let name = env.push(&oci(), "python-app", "corpus/python-app:1");
    let cache_dir = tempfile::tempdir().unwrap();
    let scan = || {
        let opts = AnalyzeOptions {
            cache: Some(Arc::new(
                SqliteLayerCache::open(cache_dir.path(), CacheOptions::default()).unwrap(),
            )),
            ..AnalyzeOptions::default()
        };
        let remote = open_remote_image(env.client(), &name, None).unwrap();
        let inv = analyze_remote_image(&remote, &opts).unwrap();
        (remote, inv)
    };
    let (remote, first) = scan();
    let log1 = env.reg.log_text();
    for l in &remote.layers {
        assert_eq!(
            blob_gets(&log1, l.info.digest.as_str()),
            1,
            "{}",
            l.info.digest
        );
    }
    let (_, second) = scan();
    assert_eq!(first, second);
    let log2 = env.reg.log_text();
    let new = &log2[log1.len()..];
    for l in &remote.layers {
        assert_eq!(
            blob_gets(new, l.info.digest.as_str()),
            0,
            "{}",
            l.info.digest
        );
    }
    // Only the manifest and the config were fetched again.
    let config = remote.metadata.image_id.clone().unwrap();
    assert_eq!(blob_gets(new, config.as_str()), 1);
    assert!(
        new.contains("\"GET /v2/corpus/python-app/manifests/1"),
        "{new}"
    );
}

#[test]
fn four_scans_at_once_share_one_cache() {
    let Some(env) = Env::start() else { return };
    let refs = [
        "alpine-3.20.3",
        "alpine-3.16.9",
        "debian-bookworm-minbase",
        "node-app",
    ];
    let jobs: Vec<(String, Inventory)> = refs
        .iter()
        .map(|r| {
            let name = env.push(&oci(), r, &format!("corpus/{r}:1"));
            (name, local_inventory(&layout(&oci(), r)))
        })
        .collect();
    let cache_dir = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|(name, expected)| {
                let client = env.client();
                let dir = cache_dir.path();
                s.spawn(move || {
                    let opts = AnalyzeOptions {
                        cache: Some(Arc::new(
                            SqliteLayerCache::open(dir, CacheOptions::default()).unwrap(),
                        )),
                        ..AnalyzeOptions::default()
                    };
                    let remote = open_remote_image(client, name, None).unwrap();
                    let inv = analyze_remote_image(&remote, &opts).unwrap();
                    assert_eq!(&inv, expected, "{name}");
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let stats = SqliteLayerCache::open(cache_dir.path(), CacheOptions::default())
        .unwrap()
        .stats()
        .unwrap();
    assert!(stats.entries >= 4, "{stats:?}");
}

#[test]
fn tampered_layer_fails_naming_it() {
    let Some(env) = Env::start() else { return };
    let name = env.push(&oci(), "alpine-3.20.3", "corpus/tamper:1");
    let remote = open_remote_image(env.client(), &name, None).unwrap();
    let layer = &remote.layers[0].info.digest;
    let path = env.reg.blob_path(layer.as_str());
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();
    let err = analyze_remote_image(&remote, &AnalyzeOptions::default()).unwrap_err();
    let AnalyzeError::Layer { err: inner, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(**inner, ArtifactError::BlobDigestMismatch { .. }),
        "{inner:?}"
    );
    assert!(chain(&err).contains(layer.as_str()), "{}", chain(&err));
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn debug_logs_and_errors_never_hold_credentials() {
    let Some(env) = Env::start() else { return };
    let name = env.push(&oci(), "alpine-3.20.3", "corpus/alpine:1");
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let cache_dir = tempfile::tempdir().unwrap();
    let errors = tracing::subscriber::with_default(subscriber, || {
        let opts = AnalyzeOptions {
            parallelism: 1,
            cache: Some(Arc::new(
                SqliteLayerCache::open(cache_dir.path(), CacheOptions::default()).unwrap(),
            )),
            ..AnalyzeOptions::default()
        };
        let remote = open_remote_image(env.client(), &name, None).unwrap();
        analyze_remote_image(&remote, &opts).unwrap();
        let wrong = open_remote_image(env.client_with("wrong-pw"), &name, None).unwrap_err();
        let missing =
            open_remote_image(env.client(), &format!("{}/nope:1", env.reg.host), None).unwrap_err();
        format!(
            "{} {wrong:?} {} {missing:?}",
            chain(&wrong),
            chain(&missing)
        )
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("registry request"), "{log}");
    assert!(log.contains("streaming layer"), "{log}");
    let basic = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", env.reg.username, env.reg.password))
    };
    let cache = std::fs::read(cache_dir.path().join(atalaia_cache::FILE_NAME)).unwrap();
    let cache = String::from_utf8_lossy(&cache);
    for (what, text) in [
        ("log", &log),
        ("errors", &errors),
        ("cache", &cache.into_owned()),
    ] {
        assert!(!text.contains(&env.reg.password), "password in the {what}");
        assert!(!text.contains("wrong-pw"), "wrong password in the {what}");
        assert!(!text.contains(&basic), "basic auth header in the {what}");
    }
}
