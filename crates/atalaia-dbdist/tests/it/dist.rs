//! push, update, freshness, failures, concurrency.

use std::time::Duration;

use atalaia_dbdist::{
    ensure_db, push, update, DbCache, DbDistError, EnsureOptions, Progress, UpdateOptions,
    UpdateOutcome, DEFAULT_LEVEL,
};
use atalaia_registry::{Client, RegistryError};
use atalaia_test::registry::TestRegistry;
use atalaia_vulndb::VulnDb;

use crate::{blob_gets, build_db, client, client_with, reference};

fn always_check() -> UpdateOptions {
    UpdateOptions {
        freshness: Duration::ZERO,
        force: false,
    }
}

/// A query the database must answer: the advisories of its first package.
fn answers(db: &VulnDb) -> usize {
    let packages = db.packages().expect("packages");
    let (ns, name) = packages.first().expect("a package");
    db.advisories_for(ns, name).expect("advisories").len()
}

fn leftover_temps(cache: &DbCache) -> Vec<String> {
    std::fs::read_dir(cache.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".atalaia-update-"))
        .collect()
}

#[test]
fn push_update_then_no_download() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let db = build_db(work.path(), "alpine-secdb/v3.10", "a.db");
    let c = client(&reg);
    let r = reference(&reg, "atalaia/db");
    let pushed = push(&db, &r, &c, DEFAULT_LEVEL).unwrap();
    assert_eq!(
        pushed.reference.tag(),
        Some(atalaia_vulndb::SCHEMA_VERSION.to_string().as_str())
    );
    assert!(pushed.layer.size < pushed.uncompressed);

    let cache_dir = work.path().join("cache");
    let mut events = Vec::new();
    let out = update(&cache_dir, &r, &c, &always_check(), &mut |p| events.push(p)).unwrap();
    let UpdateOutcome::Downloaded { metadata, bytes } = &out else {
        panic!("expected a download: {out:?}")
    };
    assert_eq!(*bytes, pushed.layer.size);
    assert_eq!(metadata.digest, pushed.manifest_digest);
    assert_eq!(metadata.built_at, "2026-01-02T03:04:05Z");
    assert!(events.contains(&Progress::Decompressing));
    assert!(events.contains(&Progress::Downloading {
        done: pushed.layer.size,
        total: pushed.layer.size
    }));
    let cache = DbCache::new(&cache_dir);
    let installed = VulnDb::open(&cache.db_path()).unwrap();
    assert_eq!(
        std::fs::read(cache.db_path()).unwrap(),
        std::fs::read(&db).unwrap()
    );
    assert!(answers(&installed) > 0);
    assert_eq!(cache.metadata().unwrap(), *metadata);
    let gets = blob_gets(&reg, "atalaia/db");
    assert_eq!(gets, 1, "{}", reg.log_text());

    // Again, asking the registry: unchanged, no blob downloaded.
    let again = update(&cache_dir, &r, &c, &always_check(), &mut |_| {}).unwrap();
    assert!(matches!(again, UpdateOutcome::Unchanged(_)), "{again:?}");
    assert_eq!(blob_gets(&reg, "atalaia/db"), gets);

    // Again within the freshness window: the registry is not even asked.
    let log_len = reg.log_text().len();
    let fresh = update(&cache_dir, &r, &c, &UpdateOptions::default(), &mut |_| {}).unwrap();
    assert!(matches!(fresh, UpdateOutcome::Fresh(_)), "{fresh:?}");
    assert_eq!(reg.log_text().len(), log_len);
    assert!(leftover_temps(&cache).is_empty());
}

#[test]
fn wrong_password_is_a_clear_error() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let c = client_with(&reg, "not-the-password");
    let err = update(
        &work.path().join("cache"),
        &reference(&reg, "atalaia/db"),
        &c,
        &always_check(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    let DbDistError::Registry { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        source.to_string(),
        format!("authentication failed for {}", reg.host)
    );
    assert!(!format!("{err:?}").contains("not-the-password"));
}

#[test]
fn tampered_blob_is_rejected_and_old_db_kept() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let old = build_db(work.path(), "alpine-secdb/v3.10", "old.db");
    let new = build_db(work.path(), "alpine-secdb/v3.11", "new.db");
    let c = client(&reg);
    let r = reference(&reg, "atalaia/db");
    let cache_dir = work.path().join("cache");
    push(&old, &r, &c, 3).unwrap();
    update(&cache_dir, &r, &c, &always_check(), &mut |_| {}).unwrap();

    let pushed = push(&new, &r, &c, 3).unwrap();
    let blob = reg.blob_path(pushed.layer.digest.as_str());
    let mut bytes = std::fs::read(&blob).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&blob, &bytes).unwrap();

    let err = update(&cache_dir, &r, &c, &always_check(), &mut |_| {}).unwrap_err();
    let DbDistError::Registry { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(**source, RegistryError::DigestMismatch { .. }),
        "{source:?}"
    );
    assert!(
        source.to_string().contains(pushed.layer.digest.as_str()),
        "{source}"
    );

    let cache = DbCache::new(&cache_dir);
    assert_eq!(
        std::fs::read(cache.db_path()).unwrap(),
        std::fs::read(&old).unwrap()
    );
    assert!(answers(&VulnDb::open(&cache.db_path()).unwrap()) > 0);
    assert!(
        leftover_temps(&cache).is_empty(),
        "{:?}",
        leftover_temps(&cache)
    );
}

#[test]
fn open_reader_survives_an_update() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let old = build_db(work.path(), "alpine-secdb/v3.10", "old.db");
    let new = build_db(work.path(), "alpine-secdb/v3.11", "new.db");
    let c = client(&reg);
    let r = reference(&reg, "atalaia/db");
    let cache_dir = work.path().join("cache");
    push(&old, &r, &c, 3).unwrap();
    update(&cache_dir, &r, &c, &always_check(), &mut |_| {}).unwrap();
    let cache = DbCache::new(&cache_dir);

    let reader = VulnDb::open(&cache.db_path()).unwrap();
    let before_sources = reader.meta().unwrap().sources;
    let before = answers(&reader);
    push(&new, &r, &c, 3).unwrap();
    let out = update(&cache_dir, &r, &c, &always_check(), &mut |_| {}).unwrap();
    assert!(out.downloaded());

    // The open handle still reads the old file, fully.
    assert_eq!(reader.meta().unwrap().sources, before_sources);
    assert_eq!(answers(&reader), before);
    for (ns, name) in reader.packages().unwrap() {
        reader.advisories_for(&ns, &name).unwrap();
    }
    // A new handle reads the new file.
    let fresh = VulnDb::open(&cache.db_path()).unwrap();
    assert_ne!(fresh.meta().unwrap().sources, before_sources);
}

#[test]
fn concurrent_updates_install_one_database() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let db = build_db(work.path(), "alpine-secdb/v3.10", "a.db");
    let c = client(&reg);
    let r = reference(&reg, "atalaia/db");
    push(&db, &r, &c, 3).unwrap();
    let cache_dir = work.path().join("cache");
    let outcomes: Vec<UpdateOutcome> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let c: Client = client(&reg);
                    update(&cache_dir, &r, &c, &UpdateOptions::default(), &mut |_| {})
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect()
    });
    assert_eq!(outcomes.iter().filter(|o| o.downloaded()).count(), 1);
    assert_eq!(blob_gets(&reg, "atalaia/db"), 1);
    let cache = DbCache::new(&cache_dir);
    assert_eq!(
        std::fs::read(cache.db_path()).unwrap(),
        std::fs::read(&db).unwrap()
    );
    assert!(answers(&VulnDb::open(&cache.db_path()).unwrap()) > 0);
}

#[test]
fn not_a_database_artifact_is_refused() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let c = client(&reg);
    let r = reference(&reg, "other/thing:1");
    let config = c
        .push_blob_bytes(&r, atalaia_registry::OCI_EMPTY, b"{}")
        .unwrap();
    let manifest = atalaia_registry::ImageManifest {
        schema_version: 2,
        media_type: Some(atalaia_registry::OCI_MANIFEST.to_owned()),
        artifact_type: None,
        config,
        layers: vec![],
        annotations: Default::default(),
    };
    c.push_manifest(
        &r,
        atalaia_registry::OCI_MANIFEST,
        &serde_json::to_vec(&manifest).unwrap(),
    )
    .unwrap();
    let err = update(&work.path().join("c"), &r, &c, &always_check(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, DbDistError::NotADatabase { .. }), "{err:?}");
}

#[test]
fn ensure_db_falls_back_to_the_local_copy() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let db = build_db(work.path(), "alpine-secdb/v3.10", "a.db");
    let c = client(&reg);
    let r = reference(&reg, "atalaia/db");
    push(&db, &r, &c, 3).unwrap();
    let cache_dir = work.path().join("cache");
    let opts = EnsureOptions {
        update: always_check(),
        ..EnsureOptions::default()
    };
    let ok = ensure_db(&cache_dir, &r, &c, &opts, &mut |_| {}).unwrap();
    assert!(ok.warning.is_none());
    assert!(ok.outcome.unwrap().downloaded());

    // The registry goes away: the local copy is used, with its age.
    let host = reg.host.clone();
    drop(reg);
    let c = Client::builder()
        .use_docker_config(false)
        .retries(1)
        .build()
        .unwrap();
    let gone: atalaia_registry::Reference = format!("{host}/atalaia/db").parse().unwrap();
    let fallback = ensure_db(&cache_dir, &gone, &c, &opts, &mut |_| {}).unwrap();
    let warning = fallback.warning.expect("a warning");
    let text = warning.to_string();
    assert!(text.contains("using the local copy built"), "{text}");
    assert!(text.contains("days ago"), "{text}");
    assert_eq!(fallback.path, DbCache::new(&cache_dir).db_path());

    // Past --max-db-age it is an error.
    let strict = EnsureOptions {
        max_age: Some(Duration::from_secs(3600)),
        ..opts.clone()
    };
    let err = ensure_db(&cache_dir, &gone, &c, &strict, &mut |_| {}).unwrap_err();
    assert!(matches!(err, DbDistError::TooOld { .. }), "{err:?}");

    // Offline: no network, the local copy as it is; nothing local is an error.
    let offline = EnsureOptions {
        offline: true,
        ..opts
    };
    assert!(ensure_db(&cache_dir, &gone, &c, &offline, &mut |_| {})
        .unwrap()
        .warning
        .is_none());
    let err = ensure_db(&work.path().join("empty"), &gone, &c, &offline, &mut |_| {}).unwrap_err();
    assert!(matches!(err, DbDistError::NoDatabase { .. }), "{err:?}");
}
