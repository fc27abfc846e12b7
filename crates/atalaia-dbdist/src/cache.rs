//! The database cache directory: `<cache-dir>/db/{atalaia.db, metadata.json, .lock}`, the
//! cross-process lock, and the write-beside/fsync/rename helpers.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use atalaia_types::Digest;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::DbDistError;

/// The database file name inside `<cache-dir>/db`.
pub const DB_FILE: &str = "atalaia.db";
/// The metadata file name inside `<cache-dir>/db`.
pub const METADATA_FILE: &str = "metadata.json";
const LOCK_FILE: &str = ".lock";
/// Prefix of the temporary files an update writes beside the database.
pub(crate) const TEMP_PREFIX: &str = ".atalaia-update-";

/// The files of a cache directory.
#[derive(Debug, Clone)]
pub struct DbCache {
    dir: PathBuf,
}

/// What `metadata.json` records about the installed database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The reference it was downloaded from.
    pub repository: String,
    /// The digest of the artifact's manifest.
    pub digest: Digest,
    /// The digest of the compressed layer.
    pub layer_digest: Digest,
    /// The schema version of the database.
    pub schema_version: u32,
    /// When it was built (the database's `meta.built_at`).
    pub built_at: String,
    /// When it was downloaded (RFC 3339).
    pub downloaded_at: String,
    /// When the registry was last asked for a newer one (RFC 3339).
    pub checked_at: String,
    /// Until when no check is made (RFC 3339): `checked_at` plus the freshness window.
    pub next_check: String,
}

/// Now, in RFC 3339 (UTC, whole seconds).
pub(crate) fn now_rfc3339() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// How long ago an RFC 3339 time was (zero when in the future or unreadable → `None`).
pub(crate) fn age_of(rfc: &str) -> Option<Duration> {
    let t = OffsetDateTime::parse(rfc, &Rfc3339).ok()?;
    let d = OffsetDateTime::now_utc() - t;
    Some(Duration::from_secs(
        u64::try_from(d.whole_seconds()).unwrap_or(0),
    ))
}

/// A held exclusive lock on the cache; released when dropped.
#[derive(Debug)]
pub struct CacheLock {
    _file: File,
}

impl DbCache {
    /// The cache under `cache_dir` (the database lives in `cache_dir/db`).
    pub fn new(cache_dir: &Path) -> Self {
        DbCache {
            dir: cache_dir.join("db"),
        }
    }

    /// `<cache-dir>/db`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `<cache-dir>/db/atalaia.db`.
    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    /// `<cache-dir>/db/metadata.json`.
    pub fn metadata_path(&self) -> PathBuf {
        self.dir.join(METADATA_FILE)
    }

    /// The metadata, or `None` when missing or unreadable (an unreadable file is treated as
    /// absent: the next update rewrites it).
    pub fn metadata(&self) -> Option<Metadata> {
        let bytes = std::fs::read(self.metadata_path()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Creates the directory and takes the exclusive lock, waiting for another update to end.
    pub fn lock(&self) -> Result<CacheLock, DbDistError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| DbDistError::io("create", &self.dir, e))?;
        let path = self.dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| DbDistError::io("open", &path, e))?;
        fs4::fs_std::FileExt::lock_exclusive(&file)
            .map_err(|e| DbDistError::io("lock", &path, e))?;
        Ok(CacheLock { _file: file })
    }

    /// A temporary path beside the database (removed by the next update if left behind).
    pub(crate) fn temp_path(&self, what: &str) -> PathBuf {
        self.dir
            .join(format!("{TEMP_PREFIX}{}-{what}", std::process::id()))
    }

    /// Removes temporary files left by killed updates. Call with the lock held.
    pub(crate) fn remove_stale_temps(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                tracing::debug!(path = %e.path().display(), "removing a leftover temporary file");
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// Writes the metadata atomically.
    pub(crate) fn write_metadata(&self, m: &Metadata) -> Result<(), DbDistError> {
        let json = serde_json::to_vec_pretty(m).map_err(|e| {
            DbDistError::io("serialize", self.metadata_path(), std::io::Error::other(e))
        })?;
        let tmp = self.temp_path("metadata");
        write_file_synced(&tmp, &json)?;
        rename_synced(&tmp, &self.metadata_path(), &self.dir)
    }
}

/// Writes `bytes` to `path` and fsyncs it.
pub(crate) fn write_file_synced(path: &Path, bytes: &[u8]) -> Result<(), DbDistError> {
    let mut f = File::create(path).map_err(|e| DbDistError::io("create", path, e))?;
    f.write_all(bytes)
        .map_err(|e| DbDistError::io("write", path, e))?;
    f.sync_all().map_err(|e| DbDistError::io("fsync", path, e))
}

/// Renames `from` over `to` and fsyncs the directory so the rename is durable.
pub(crate) fn rename_synced(from: &Path, to: &Path, dir: &Path) -> Result<(), DbDistError> {
    std::fs::rename(from, to).map_err(|e| DbDistError::io("rename", to, e))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| DbDistError::io("fsync", dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_metadata_is_absent() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DbCache::new(dir.path());
        assert!(cache.metadata().is_none());
        std::fs::create_dir_all(cache.dir()).unwrap();
        std::fs::write(cache.metadata_path(), b"{ not json").unwrap();
        assert!(cache.metadata().is_none());
        std::fs::write(cache.metadata_path(), br#"{"digest":"sha256:zz"}"#).unwrap();
        assert!(cache.metadata().is_none());
    }

    #[test]
    fn times() {
        let now = now_rfc3339();
        assert!(age_of(&now).unwrap() < Duration::from_secs(5));
        assert!(age_of("yesterday").is_none());
        assert_eq!(age_of("2999-01-01T00:00:00Z"), Some(Duration::ZERO));
    }

    #[test]
    fn lock_is_exclusive_across_handles() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DbCache::new(dir.path());
        let held = cache.lock().unwrap();
        let other = File::options()
            .write(true)
            .open(cache.dir().join(LOCK_FILE))
            .unwrap();
        assert!(!fs4::fs_std::FileExt::try_lock_exclusive(&other).unwrap());
        drop(held);
        assert!(fs4::fs_std::FileExt::try_lock_exclusive(&other).unwrap());
    }
}
