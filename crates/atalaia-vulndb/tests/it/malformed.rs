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
