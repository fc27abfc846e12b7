//! The database built once from all of `vulndata/`, shared by the tests of this binary.

use std::path::PathBuf;
use std::sync::OnceLock;

use atalaia_vulndb::{build, BuildOptions, BuildSummary, VulnDb};

pub(crate) struct Built {
    pub(crate) summary: BuildSummary,
    pub(crate) path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Builds the database from the whole shared `vulndata/` folder (once per test binary).
pub(crate) fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("atalaia.db");
        let summary = build(
            &[atalaia_test::vulndata_dir()],
            &path,
            &BuildOptions::new().built_at("2026-01-01T00:00:00Z"),
        )
        .expect("build over all of vulndata");
        Built {
            summary,
            path,
            _dir: dir,
        }
    })
}

/// The shared database, opened read-only.
pub(crate) fn db() -> VulnDb {
    VulnDb::open(&built().path).expect("open the built database")
}
