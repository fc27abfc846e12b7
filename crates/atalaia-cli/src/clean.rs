//! `atalaia clean`: removes cached data from the cache directory.

use anyhow::Context;

use crate::args::CleanArgs;
use crate::printer;
use crate::ExitStatus;

/// The layer cache's directory under the cache directory (where scans keep it).
pub(crate) const SCAN_CACHE_DIR: &str = "scan";

pub(crate) fn run(args: &CleanArgs) -> anyhow::Result<ExitStatus> {
    if !(args.scan_cache || args.vuln_db || args.all) {
        return Err(printer::Hinted::new(
            "Nothing to clean",
            "Name what to remove: `--scan-cache`, `--vuln-db`, or `--all`",
        )
        .into());
    }
    let dir = crate::vulndb::cache_dir(args.cache_dir.as_deref())?;
    if args.scan_cache || args.all {
        let scan_dir = dir.join(SCAN_CACHE_DIR);
        let file = scan_dir.join(atalaia_cache::FILE_NAME);
        if file.is_file() {
            let cache = atalaia_cache::SqliteLayerCache::open(
                &scan_dir,
                atalaia_cache::CacheOptions::default(),
            )
            .with_context(|| format!("Failed to open the layer cache `{}`", file.display()))?;
            let removed = cache
                .clear_all()
                .with_context(|| format!("Failed to clear the layer cache `{}`", file.display()))?;
            let plural = |n: u64| if n == 1 { "analysis" } else { "analyses" };
            printer::status(&format!(
                "Removed {} cached layer {} and {} image {} from `{}`",
                removed.layers,
                plural(removed.layers),
                removed.images,
                plural(removed.images),
                file.display()
            ));
        } else {
            printer::status(&format!(
                "Removed 0 cached layer analyses: no layer cache at `{}`",
                file.display()
            ));
        }
    }
    if args.vuln_db || args.all {
        let db_dir = dir.join(crate::vulndb::DB_FILE);
        let db_dir = db_dir.parent().unwrap_or(&dir).to_owned();
        if db_dir.is_dir() {
            fs_err::remove_dir_all(&db_dir)?;
            printer::status(&format!(
                "Removed the vulnerability database `{}`",
                db_dir.display()
            ));
        } else {
            printer::status(&format!(
                "No vulnerability database at `{}`",
                db_dir.display()
            ));
        }
    }
    Ok(ExitStatus::Clean)
}
