//! `atalaia db push` / `db update` against a real registry (Debian `docker-registry`, TLS from a
//! test CA, htpasswd auth): acceptance 3 of issue #5.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use atalaia_dbdist::DbCache;
use atalaia_test::registry::TestRegistry;
use atalaia_vulndb::VulnDb;

use crate::stderr;

fn db_cmd(reg: &TestRegistry, password: &str, args: &[&str]) -> Command {
    let mut c = plain_cmd();
    c.arg("db")
        .args(args)
        .arg("--registry-ca")
        .arg(&reg.ca_file)
        .env("ATALAIA_USERNAME", &reg.username)
        .env("ATALAIA_PASSWORD", password);
    c
}

/// The binary with none of the `ATALAIA_*` variables of the test environment, and no Docker
/// config.
fn plain_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_atalaia"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ATALAIA_") {
            c.env_remove(key);
        }
    }
    c.env("DOCKER_CONFIG", "/nonexistent").stdin(Stdio::null());
    c
}

fn run(reg: &TestRegistry, args: &[&str]) -> Output {
    db_cmd(reg, &reg.password, args).output().unwrap()
}

fn update_args<'a>(reference: &'a str, cache: &'a Path) -> Vec<&'a str> {
    vec![
        "update",
        "--force",
        "--db-repository",
        reference,
        "--cache-dir",
        cache.to_str().unwrap(),
    ]
}

fn blob_gets(reg: &TestRegistry) -> usize {
    reg.log_text()
        .matches("\"GET /v2/atalaia/db/blobs/")
        .count()
}

fn build_small(dir: &Path, feed: &str, name: &str) -> std::path::PathBuf {
    let out = dir.join(name);
    atalaia_vulndb::build(
        &[atalaia_test::vulndata_dir().join(feed)],
        &out,
        &atalaia_vulndb::BuildOptions::new(),
    )
    .unwrap();
    out
}

/// The database answers a query: the advisories of its first package.
fn answers(path: &Path) -> Result<usize, String> {
    let db = VulnDb::open(path).map_err(|e| e.to_string())?;
    let packages = db.packages().map_err(|e| e.to_string())?;
    let (ns, name) = packages.first().ok_or("no package")?;
    db.advisories_for(ns, name)
        .map(|a| a.len())
        .map_err(|e| e.to_string())
}

#[test]
fn push_update_no_download_wrong_password_tamper_concurrent() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let old = build_small(work.path(), "alpine-secdb/v3.10", "old.db");
    let new = build_small(work.path(), "alpine-secdb/v3.11", "new.db");
    let reference = format!("{}/atalaia/db", reg.host);
    let cache = work.path().join("cache");

    // push prints the pinned reference on stdout.
    let out = run(&reg, &["push", old.to_str().unwrap(), &reference]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pinned = String::from_utf8(out.stdout).unwrap();
    assert!(
        pinned.starts_with(&format!(
            "{reference}:{}@sha256:",
            atalaia_vulndb::SCHEMA_VERSION
        )),
        "{pinned}"
    );

    // update into an empty cache: one download, not a TTY so no progress bar.
    let out = run(&reg, &update_args(&reference, &cache));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Downloaded the vulnerability database"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains('\r'));
    assert_eq!(blob_gets(&reg), 1);
    let db_path = DbCache::new(&cache).db_path();
    assert_eq!(
        std::fs::read(&db_path).unwrap(),
        std::fs::read(&old).unwrap()
    );

    // update again: no download.
    let out = run(&reg, &update_args(&reference, &cache));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("up to date"), "{}", stderr(&out));
    assert_eq!(blob_gets(&reg), 1);
    // And without --force, within the hour: not even a request.
    let log = reg.log_text().len();
    let mut args = update_args(&reference, &cache);
    args.retain(|a| *a != "--force");
    let out = run(&reg, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("fresh"), "{}", stderr(&out));
    assert_eq!(reg.log_text().len(), log);

    // The info of the cached database shows where it came from.
    let out = plain_cmd()
        .args(["db", "info", "--cache-dir", cache.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&reference), "{text}");

    // Wrong password: a clear error, exit 2, the password nowhere.
    let bad = db_cmd(
        &reg,
        "hunter2-wrong",
        &update_args(&reference, &work.path().join("c2")),
    )
    .output()
    .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains(&format!("authentication failed for {}", reg.host)),
        "{}",
        stderr(&bad)
    );
    assert!(!stderr(&bad).contains("hunter2"));

    // A tampered blob: rejected, exit 2, the old database kept and answering.
    let out = run(
        &reg,
        &[
            "push",
            new.to_str().unwrap(),
            &reference,
            "--compression-level",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pinned = String::from_utf8(out.stdout).unwrap();
    let manifest_digest = pinned.trim().rsplit('@').next().unwrap().to_owned();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(reg.blob_path(&manifest_digest)).unwrap()).unwrap();
    assert_eq!(
        manifest["artifactType"],
        "application/vnd.atalaia.db.config.v1+json"
    );
    let new_layer = manifest["layers"][0]["digest"].as_str().unwrap().to_owned();
    assert_eq!(
        manifest["layers"][0]["mediaType"],
        "application/vnd.atalaia.db.layer.v1.sqlite+zstd"
    );
    let blob = reg.blob_path(&new_layer);
    let mut bytes = std::fs::read(&blob).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&blob, &bytes).unwrap();
    let out = run(&reg, &update_args(&reference, &cache));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("does not match its digest"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(&new_layer), "{}", stderr(&out));
    assert!(stderr(&out).contains("is kept"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&db_path).unwrap(),
        std::fs::read(&old).unwrap()
    );
    assert!(answers(&db_path).unwrap() > 0);
    // With --max-db-age the same failure is a warning naming the age.
    let mut args = update_args(&reference, &cache);
    args.extend(["--max-db-age", "30d"]);
    let out = run(&reg, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("using the local copy built"),
        "{}",
        stderr(&out)
    );

    // Restore the blob.
    std::fs::write(&blob, {
        bytes[last] ^= 0xff;
        &bytes
    })
    .unwrap();
    // The password from stdin works too (and the environment's is not used).
    let mut child = db_cmd(
        &reg,
        "not-this-one",
        &update_args(&reference, &work.path().join("c4")),
    )
    .arg("--password-stdin")
    .env_remove("ATALAIA_PASSWORD")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{}", reg.password).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Two concurrent updates into an empty cache: both succeed, one database.
    let fresh_cache = work.path().join("c3");
    let children: Vec<_> = (0..2)
        .map(|_| {
            db_cmd(&reg, &reg.password, &update_args(&reference, &fresh_cache))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let p = DbCache::new(&fresh_cache).db_path();
    assert_eq!(std::fs::read(&p).unwrap(), std::fs::read(&new).unwrap());
    assert!(answers(&p).unwrap() > 0);
}

/// A small deterministic generator (xorshift64*), seeded from the clock; the seed is printed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
#[allow(clippy::print_stdout)] // the seed and counts, for reproducing a failure
fn update_killed_at_random_points_keeps_a_working_database() {
    let Some(reg) = TestRegistry::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let old = build_small(work.path(), "alpine-secdb/v3.10", "old.db");
    let new = crate::db::full_db();
    let reference = format!("{}/atalaia/db", reg.host);
    let cache = work.path().join("cache");
    let db_path = DbCache::new(&cache).db_path();
    let meta_path = DbCache::new(&cache).metadata_path();

    assert_eq!(
        run(&reg, &["push", old.to_str().unwrap(), &reference])
            .status
            .code(),
        Some(0)
    );
    let out = run(&reg, &update_args(&reference, &cache));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let old_meta = std::fs::read(&meta_path).unwrap();
    let out = run(
        &reg,
        &[
            "push",
            new.to_str().unwrap(),
            &reference,
            "--compression-level",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let old_bytes = std::fs::read(&old).unwrap();
    let new_bytes = std::fs::read(new).unwrap();

    let restore = || {
        std::fs::copy(&old, &db_path).unwrap();
        std::fs::write(&meta_path, &old_meta).unwrap();
    };
    // How long one whole update takes (the fastest of three), to spread the kills over it.
    let mut whole = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let out = run(&reg, &update_args(&reference, &cache));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        whole = whole.min(start.elapsed());
        assert_eq!(std::fs::read(&db_path).unwrap(), new_bytes);
        restore();
    }

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("kill test: seed {seed}, one update takes {whole:?}");
    let mut rng = Rng(seed);
    let span = u64::try_from(whole.as_micros()).unwrap().max(1000);
    let (mut interrupted, mut completed) = (0, 0);
    // At least 20 kills inside an update (a kill that comes after the end counts apart).
    for round in 0..80 {
        if interrupted >= 24 {
            break;
        }
        let delay = Duration::from_micros(rng.next() % span);
        let mut child = db_cmd(&reg, &reg.password, &update_args(&reference, &cache))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let installed = std::fs::read(&db_path).unwrap();
        assert!(
            installed == old_bytes || installed == new_bytes,
            "round {round} (seed {seed}, {delay:?}): the database is neither the old nor the new"
        );
        let n = answers(&db_path).unwrap_or_else(|e| {
            panic!("round {round} (seed {seed}, {delay:?}): database does not answer: {e}")
        });
        assert!(n > 0);
        if status.success() || installed == new_bytes {
            completed += 1;
            restore();
        } else {
            interrupted += 1;
        }
    }
    println!("kill test: {interrupted} interrupted, {completed} completed before the kill");
    assert!(
        interrupted >= 20,
        "only {interrupted} kills landed inside an update"
    );

    // A last, uninterrupted update cleans up what the killed ones left.
    let out = run(&reg, &update_args(&reference, &cache));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db_path).unwrap(), new_bytes);
    let leftovers: Vec<_> = std::fs::read_dir(DbCache::new(&cache).dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".atalaia-update-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
