//! Bad inputs: corrupt databases, malformed feed files, missing sources. Errors name the file.

use std::path::PathBuf;

use atalaia_vulndb::{build, BuildOptions, VulnDb, VulnDbError};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn corrupt_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("atalaia.db");
    std::fs::write(
        &path,
        b"this is not a database, just some bytes that are long enough to be read".repeat(100),
    )
    .unwrap();
    let err = VulnDb::open(&path).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(matches!(err, VulnDbError::Sqlite { .. }), "{err:?}");
}

#[test]
fn truncated_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small.db");
    build(&[data("feeds")], &out, &BuildOptions::new()).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    std::fs::write(&out, &bytes[..bytes.len() / 3]).unwrap();
    let result = VulnDb::open(&out).and_then(|db| {
        db.advisories_for("PyPI", "demo-pkg")
            .map(|_| db)
            .and_then(|db| db.meta())
    });
    let err = result.expect_err("a truncated file must not read as a valid database");
    assert!(err.to_string().contains("small.db"), "{err}");
}

#[test]
fn other_sqlite_file_is_not_a_vulnerability_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    // SQLite reads a zero-length file as an empty database (no tables).
    std::fs::File::create(&path).unwrap();
    let err = VulnDb::open(&path).unwrap_err();
    assert!(matches!(err, VulnDbError::BadDatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("other.db"));
}

#[test]
fn missing_database_names_the_file() {
    let err = VulnDb::open(std::path::Path::new("/nonexistent/dir/atalaia.db")).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/dir/atalaia.db"),
        "{err}"
    );
}

#[test]
fn missing_or_no_sources() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.db");
    assert!(matches!(
        build(&[], &out, &BuildOptions::new()),
        Err(VulnDbError::NoSources)
    ));
    let err = build(
        &[PathBuf::from("/nonexistent/feeds")],
        &out,
        &BuildOptions::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VulnDbError::MissingSource { .. }), "{err:?}");
    assert!(!out.exists());
}

#[test]
fn malformed_feed_files_are_recorded_or_fatal_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.db");
    let summary = build(&[data("malformed")], &out, &BuildOptions::new()).unwrap();
    let mut failed: Vec<_> = summary
        .failed_files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        [
            "bad-composer.yaml",
            "bad-dsa-list",
            "bad-kev.json",
            "bad-npm.json",
            "bad-osv.json",
            "bad-oval.xml",
            "bad-rubysec.yaml",
            "bad-secdb.yaml"
        ]
    );
    for f in &summary.failed_files {
        assert!(
            f.reason.contains(&f.path.display().to_string()),
            "{}",
            f.reason
        );
    }
    assert!(VulnDb::open(&out).is_ok());
    // Strict: the first failure aborts and the old output is left alone.
    std::fs::write(&out, b"old").unwrap();
    let err = build(
        &[data("malformed")],
        &out,
        &BuildOptions::new().strict(true),
    )
    .unwrap_err();
    assert!(matches!(err, VulnDbError::Feed { .. }), "{err:?}");
    assert_eq!(std::fs::read(&out).unwrap(), b"old");
}

#[test]
fn small_fixture_build_and_atomic_replace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("db.sqlite");
    let first = build(
        &[data("feeds")],
        &out,
        &BuildOptions::new().built_at("2026-01-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(first.sources.len(), 1);
    assert_eq!(first.sources[0].name, "feeds");
    let reader = VulnDb::open(&out).unwrap();
    let before = reader.advisories_for("PyPI", "Demo_Pkg").unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].package_as_written, "demo_pkg");
    // Rebuilding replaces the file by rename; the open handle keeps answering from the old one.
    build(
        &[data("feeds")],
        &out,
        &BuildOptions::new().built_at("2026-02-02T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(reader.advisories_for("PyPI", "demo-pkg").unwrap(), before);
    assert_eq!(reader.meta().unwrap().built_at, "2026-01-01T00:00:00Z");
    assert_eq!(
        VulnDb::open(&out).unwrap().meta().unwrap().built_at,
        "2026-02-02T00:00:00Z"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn inspect_recognises_and_rejects() {
    let p = data("feeds/PYSEC-0000-1.yaml");
    let bytes = std::fs::read(&p).unwrap();
    assert_eq!(
        atalaia_vulndb::inspect_feed_file(&p, &bytes).unwrap(),
        Some((atalaia_vulndb::Format::Osv, 1))
    );
    assert_eq!(
        atalaia_vulndb::inspect_feed_file(&p, b"plain text\n").unwrap(),
        None
    );
    // Truncated prefixes of every malformed fixture never panic.
    for entry in std::fs::read_dir(data("malformed")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for n in 0..bytes.len() {
            let _ = atalaia_vulndb::inspect_feed_file(&path, &bytes[..n]);
        }
    }
}

#[test]
fn truncated_real_feed_files_never_panic() {
    let v = atalaia_test::vulndata_dir();
    let files = [
        "osv/go/GO-2020-0001.json",
        "osv/pypa/jinja2/PYSEC-2019-217.yaml",
        "osv/rustsec/RUSTSEC-2021-0078.json",
        "rubysec/gems/Arabic-Prawn/CVE-2014-2322.yml",
        "composer/cakephp/cakephp/2015-08-06.yaml",
        "npm/vuln/npm/1.json",
        "npm/vuln/core/1.json",
        "alpine-secdb/v3.4/community.yaml",
        "wolfi-secdb/vuln-list-update-fixture/security.json",
        "samples/photon/cve_data_photon3.0.json",
        "samples/nvd-api-2.0/single-entry.json",
        "samples/debian-tracker-json/debian.json",
        "debian-tracker/CVE-list-excerpt/vuln-list-update/data/CVE/list",
        "debian-tracker/CVE-list-excerpt/vuln-list-update/data/DSA/list",
    ];
    for f in files {
        let path = v.join(f);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let full = atalaia_vulndb::inspect_feed_file(&path, &bytes).unwrap();
        assert!(
            full.is_some_and(|(_, n)| n > 0),
            "{f} not recognised: {full:?}"
        );
        let step = (bytes.len() / 64).max(1);
        for n in (0..bytes.len()).step_by(step) {
            if let Err(e) = atalaia_vulndb::inspect_feed_file(&path, &bytes[..n]) {
                assert!(e.to_string().contains(f), "{e}");
            }
        }
    }
}

#[test]
fn concurrent_builds_of_one_output_leave_a_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("db.sqlite");
    std::thread::scope(|s| {
        for i in 0..4 {
            let out = &out;
            s.spawn(move || {
                build(
                    &[data("feeds")],
                    out,
                    &BuildOptions::new().built_at(format!("2026-01-0{}T00:00:00Z", i + 1)),
                )
                .unwrap()
            });
        }
    });
    let db = VulnDb::open(&out).unwrap();
    assert_eq!(db.advisories_for("PyPI", "demo-pkg").unwrap().len(), 1);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// A corrupt `packages` blob (a tampered file, a half-written row) is a `BadDatabase` error
/// naming the package, never a panic; an older schema version is refused at open.
#[test]
fn corrupt_package_blob_and_old_schema_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.db");
    std::fs::copy(&crate::common::built().path, &path).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let n = conn
            .execute(
                "UPDATE packages SET advisories = X'02FFFFFF' WHERE namespace = 'PyPI' AND package = 'django'",
                [],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let db = VulnDb::open(&path).unwrap();
    let err = db.advisories_for("PyPI", "Django").unwrap_err();
    assert!(matches!(err, VulnDbError::BadDatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("django"), "{err}");
    assert!(db.package_advisories("PyPI", "django").is_err());
    // Other packages still answer.
    assert!(!db.advisories_for("PyPI", "flask").unwrap().is_empty());
    drop(db);
    // Corrupt vulnerability details: an error naming the vulnerability, by ID and by key.
    let (n, id): (i64, String) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let row = conn
            .query_row("SELECT n, id FROM vulnerabilities LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        conn.execute(
            "UPDATE vulnerabilities SET data = X'03FFFF' WHERE n = ?1",
            [row.0],
        )
        .unwrap();
        row
    };
    let db = VulnDb::open(&path).unwrap();
    let err = db.vulnerability(&id).unwrap_err();
    assert!(err.to_string().contains(&id), "{err}");
    let err = db
        .vulnerability_records(&[(n as u64, id.as_str())])
        .unwrap_err();
    assert!(err.to_string().contains(&id), "{err}");
    // A key that names another row is corruption too, not another vulnerability's details.
    assert!(db
        .vulnerability_records(&[(n as u64, "CVE-0000-0000")])
        .is_err());
    drop(db);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    }
    let err = VulnDb::open(&path).unwrap_err();
    assert!(err.to_string().contains("schema version 1"), "{err}");
    // An older schema says how to get a current database.
    assert!(
        err.to_string().contains("older than the supported")
            && err.to_string().contains("atalaia db build")
            && err.to_string().contains("atalaia db update"),
        "{err}"
    );
}

/// Paths that need escaping in a `file:` URI open like any other.
#[test]
fn database_path_with_uri_characters_opens() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a b?c#d%e");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("db ?.db");
    std::fs::copy(&crate::common::built().path, &path).unwrap();
    let db = VulnDb::open(&path).unwrap();
    assert!(!db.advisories_for("PyPI", "django").unwrap().is_empty());
}
