//! Where the vulnerability database is: `--db`, else `<cache-dir>/db/atalaia.db`.
//!
//! [`resolve`] is the one place a scan asks for the database. Today it finds an existing file;
//! it is where downloading a missing or stale one (`--skip-db-update`, `--offline-scan`) will go.

use std::path::{Path, PathBuf};

use crate::printer::Hinted;

/// The database file under the cache directory.
pub(crate) const DB_FILE: &str = "db/atalaia.db";

/// How the user asked for the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DbOptions {
    /// `--db FILE`: this file and no other.
    pub(crate) db: Option<PathBuf>,
    /// `--cache-dir DIR`: where the default database lives.
    pub(crate) cache_dir: Option<PathBuf>,
    /// `--skip-db-update`: use the database as it is.
    pub(crate) skip_update: bool,
    /// `--offline-scan`: no network at all.
    pub(crate) offline: bool,
}

/// The cache directory: `--cache-dir`, else `$XDG_CACHE_HOME/atalaia`, else
/// `~/.cache/atalaia`.
pub(crate) fn cache_dir(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    cache_dir_from(
        explicit,
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
        std::env::var_os("HOME").map(PathBuf::from),
    )
}

fn cache_dir_from(
    explicit: Option<&Path>,
    xdg_cache_home: Option<PathBuf>,
    home: Option<PathBuf>,
) -> anyhow::Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_owned());
    }
    // The XDG spec says relative values are to be ignored.
    if let Some(xdg) = xdg_cache_home.filter(|p| p.is_absolute()) {
        return Ok(xdg.join("atalaia"));
    }
    match home.filter(|p| !p.as_os_str().is_empty()) {
        Some(home) => Ok(home.join(".cache").join("atalaia")),
        None => Err(Hinted::new(
            "No cache directory: neither `XDG_CACHE_HOME` nor `HOME` is set",
            "Pass `--cache-dir DIR` (or set `ATALAIA_CACHE_DIR`)",
        )
        .into()),
    }
}

/// The database a scan will read: `--db` when given, else the cache directory's. Errors (exit
/// 2) when the file does not exist, naming the path and how to get one.
pub(crate) fn resolve(opts: &DbOptions) -> anyhow::Result<PathBuf> {
    let (path, explicit) = match &opts.db {
        Some(path) => (path.clone(), true),
        None => (cache_dir(opts.cache_dir.as_deref())?.join(DB_FILE), false),
    };
    // Not downloading yet: `skip_update` and `offline` change nothing until `resolve` learns to
    // fetch a database, but they are accepted so Trivy users' command lines keep working.
    let mut message = format!("No vulnerability database at `{}`", path.display());
    if !explicit && !opts.skip_update && !opts.offline {
        // The cache directory's database: brought up to date first (a HEAD request at most
        // once an hour); a failed update keeps a local copy, with a warning naming its age.
        let dir = cache_dir(opts.cache_dir.as_deref())?;
        let registry = crate::db::RegistryArgs {
            username: None,
            password: None,
            password_stdin: false,
            registry_ca: Vec::new(),
            insecure: false,
        };
        match crate::db::ensure_db(&dir, None, &registry, false, false, None, true) {
            Ok((ensured, warning)) => {
                if let Some(w) = warning {
                    crate::printer::warn(&w);
                }
                return Ok(ensured);
            }
            Err(err) => message = format!("{message}, and the download failed: {err:#}"),
        }
    }
    if path.is_file() {
        return Ok(path);
    }
    let hint = if explicit {
        "Check the `--db` path, or run `atalaia db update` and drop `--db` to use the default database"
            .to_owned()
    } else {
        "Run `atalaia db update` to download one, or pass `--db FILE`".to_owned()
    };
    Err(Hinted::new(message, hint).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_dir_precedence() {
        let home = Some(PathBuf::from("/home/u"));
        assert_eq!(
            cache_dir_from(Some(Path::new("/c")), Some("/x".into()), home.clone()).unwrap(),
            PathBuf::from("/c")
        );
        assert_eq!(
            cache_dir_from(None, Some("/x".into()), home.clone()).unwrap(),
            PathBuf::from("/x/atalaia")
        );
        assert_eq!(
            cache_dir_from(None, Some("relative".into()), home.clone()).unwrap(),
            PathBuf::from("/home/u/.cache/atalaia")
        );
        assert_eq!(
            cache_dir_from(None, None, home).unwrap(),
            PathBuf::from("/home/u/.cache/atalaia")
        );
        let err = cache_dir_from(None, None, None).unwrap_err();
        assert!(err.to_string().contains("HOME"), "{err}");
    }

    #[test]
    fn missing_database_names_the_path_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let opts = DbOptions {
            cache_dir: Some(dir.path().to_owned()),
            ..DbOptions::default()
        };
        let err = resolve(&opts).unwrap_err();
        let hinted = err.downcast_ref::<Hinted>().unwrap();
        assert!(hinted.to_string().contains("db/atalaia.db"), "{hinted}");
        assert!(hinted.hint.contains("atalaia db update"));
        std::fs::create_dir_all(dir.path().join("db")).unwrap();
        std::fs::write(dir.path().join(DB_FILE), b"x").unwrap();
        assert_eq!(resolve(&opts).unwrap(), dir.path().join(DB_FILE));
        let explicit = DbOptions {
            db: Some(dir.path().join("other.db")),
            ..opts
        };
        let err = resolve(&explicit).unwrap_err();
        assert!(err.to_string().contains("other.db"), "{err}");
    }
}
