//! The database built once from all of `vulndata/`, and corpus inventories.

use std::path::PathBuf;
use std::sync::OnceLock;

use atalaia_analyze::AnalyzeOptions;
use atalaia_artifact::ImageSelector;
use atalaia_detect::{detect, DetectOptions, DetectReport};
use atalaia_types::Inventory;
use atalaia_vulndb::{build, BuildOptions, VulnDb};

struct Built {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("atalaia.db");
        build(
            &[atalaia_test::vulndata_dir()],
            &path,
            &BuildOptions::new().built_at("2026-01-01T00:00:00Z"),
        )
        .expect("build over all of vulndata");
        Built { path, _dir: dir }
    })
}

/// The shared database's file.
pub(crate) fn path() -> &'static std::path::Path {
    &built().path
}

/// The shared database, opened read-only (a handle per caller: `VulnDb` is not `Sync`).
pub(crate) fn db() -> VulnDb {
    VulnDb::open(&built().path).expect("open the built database")
}

/// The inventory of the corpus image `reference`.
pub(crate) fn inventory(reference: &str) -> Inventory {
    let input = format!(
        "{}:{reference}",
        atalaia_test::corpus_dir().join("oci").display()
    );
    let image = atalaia_artifact::open_image(&input, &ImageSelector::default())
        .unwrap_or_else(|e| panic!("open `{input}`: {e:?}"));
    atalaia_analyze::analyze_image(&image, &AnalyzeOptions::default())
        .unwrap_or_else(|e| panic!("analyze `{input}`: {e:?}"))
}

/// Detects over `inv` with the shared database.
pub(crate) fn scan(inv: &Inventory) -> DetectReport {
    detect(inv, &db(), &DetectOptions::default()).expect("detect")
}
