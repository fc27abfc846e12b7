//! The layer cache: finished [`LayerAnalysis`] results kept in one embedded SQLite file under
//! the cache directory, so a layer is analysed once, whatever image or process brings it back.
//!
//! ```text
//! analyze_layers ──get(key)──► SqliteLayerCache ──► <cache-dir>/layers.sqlite
//!        └────────put(key)──►      (WAL, shared by processes, LRU-capped)
//! ```
//!
//! * **Key**: [`atalaia_analyze::layer_cache_key`] — the layer's diff ID plus every analyzer's
//!   name, version and settings and the limits — hashed with SHA-256. A new analyzer version or
//!   other secret rules never reuse an old result.
//! * **Value**: the analysis as JSON, zstd-compressed (it is what the layer held, not the
//!   layer: a few KiB for most layers).
//! * **Many processes at once**: WAL journal and a generous busy timeout, so concurrent scans
//!   wait for each other's short writes instead of failing.
//! * **Size cap**: with [`CacheOptions::max_bytes`], every write evicts the least recently used
//!   entries until the stored values fit.
//! * **Never fails a scan**: [`LayerCache::get`] and [`LayerCache::put`] log errors and carry
//!   on (a miss, or a result not kept); a value that does not decode is deleted. A cache file
//!   that is not a SQLite database is moved aside and a new one is made
//!   ([`SqliteLayerCache::open`]).
#![deny(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use atalaia_analyze::{LayerAnalysis, LayerCache};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sha2::{Digest as _, Sha256};

/// The cache file's name inside the cache directory.
pub const FILE_NAME: &str = "layers.sqlite";

/// Bumped when the table layout or the value encoding changes; an older file is emptied.
const SCHEMA_VERSION: i64 = 1;

/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// zstd level of stored values: fast, and JSON compresses well at any level.
const ZSTD_LEVEL: i32 = 3;

/// Errors opening or maintaining the cache.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The cache directory could not be created.
    #[error("Failed to create the cache directory `{}`", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        err: std::io::Error,
    },
    /// A SQLite operation failed.
    #[error("Layer cache `{}`: {what}", path.display())]
    Sqlite {
        /// The cache file.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// Why it failed.
        #[source]
        err: rusqlite::Error,
    },
}

/// How to open the cache.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheOptions {
    /// Evict least recently used entries once the stored values exceed this many bytes
    /// (`--cache-max-size`); `None` keeps everything.
    pub max_bytes: Option<u64>,
}

/// What the cache holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Stored layer analyses.
    pub entries: u64,
    /// Bytes of the stored (compressed) values.
    pub bytes: u64,
}

/// The SQLite layer cache. One connection per instance, used under a mutex (layers analysed in
/// parallel share it); processes share the file.
#[derive(Debug)]
pub struct SqliteLayerCache {
    path: PathBuf,
    conn: Mutex<Connection>,
    options: CacheOptions,
}

impl SqliteLayerCache {
    /// Opens (creating it when missing) the cache file [`FILE_NAME`] in `cache_dir`. A file that
    /// is not a usable SQLite database is renamed `layers.sqlite.corrupt-<unix time>` and
    /// replaced by an empty cache, with a warning: a cache is never worth failing a scan for.
    pub fn open(cache_dir: &Path, options: CacheOptions) -> Result<Self, CacheError> {
        std::fs::create_dir_all(cache_dir).map_err(|err| CacheError::CreateDir {
            path: cache_dir.to_owned(),
            err,
        })?;
        let path = cache_dir.join(FILE_NAME);
        let conn = match open_conn(&path) {
            Ok(conn) => conn,
            Err(err) if is_corruption(&err) => {
                let aside = path.with_extension(format!("sqlite.corrupt-{}", unix_now()));
                tracing::warn!(
                    "the layer cache `{}` is damaged ({err}); moved it to `{}` and starting an empty one",
                    path.display(),
                    aside.display()
                );
                // Its WAL and shared-memory files belong to the damaged file: drop them too.
                let _ = std::fs::rename(&path, &aside);
                for suffix in ["-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                open_conn(&path).map_err(|err| CacheError::Sqlite {
                    path: path.clone(),
                    what: "create",
                    err,
                })?
            }
            Err(err) => {
                return Err(CacheError::Sqlite {
                    path,
                    what: "open",
                    err,
                })
            }
        };
        Ok(SqliteLayerCache {
            path,
            conn: Mutex::new(conn),
            options,
        })
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Entries and bytes stored.
    pub fn stats(&self) -> Result<CacheStats, CacheError> {
        let conn = self.lock();
        conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM layers",
            [],
            |r| {
                Ok(CacheStats {
                    entries: r.get::<_, i64>(0)?.max(0) as u64,
                    bytes: r.get::<_, i64>(1)?.max(0) as u64,
                })
            },
        )
        .map_err(|err| self.err("read statistics", err))
    }

    /// Removes every entry (`atalaia clean --scan-cache`); returns how many there were.
    pub fn clear(&self) -> Result<u64, CacheError> {
        let conn = self.lock();
        let n = conn
            .execute("DELETE FROM layers", [])
            .map_err(|err| self.err("clear", err))?;
        // Give the space back to the file system.
        conn.execute_batch("VACUUM")
            .map_err(|err| self.err("vacuum", err))?;
        Ok(n as u64)
    }

    /// Evicts least recently used entries until the stored values take at most `max_bytes`;
    /// returns how many were evicted.
    pub fn evict_to(&self, max_bytes: u64) -> Result<u64, CacheError> {
        let mut conn = self.lock();
        evict(&mut conn, max_bytes).map_err(|err| self.err("evict", err))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable (SQLite rolls back).
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn err(&self, what: &'static str, err: rusqlite::Error) -> CacheError {
        CacheError::Sqlite {
            path: self.path.clone(),
            what,
            err,
        }
    }

    fn try_get(&self, key: &str) -> Result<Option<LayerAnalysis>, rusqlite::Error> {
        let id = hash_key(key);
        let conn = self.lock();
        let value: Option<Vec<u8>> = conn
            .query_row("SELECT value FROM layers WHERE key = ?1", [&id], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(value) = value else { return Ok(None) };
        match decode(&value) {
            Some(analysis) => {
                // Recency matters for eviction only: losing this update is harmless.
                if let Err(err) = conn.execute(
                    "UPDATE layers SET last_used = ?1 WHERE key = ?2",
                    params![unix_now(), id],
                ) {
                    tracing::debug!("layer cache: could not record a use: {err}");
                }
                Ok(Some(analysis))
            }
            None => {
                tracing::warn!(
                    "layer cache `{}`: an entry does not decode; deleted it",
                    self.path.display()
                );
                conn.execute("DELETE FROM layers WHERE key = ?1", [&id])?;
                Ok(None)
            }
        }
    }

    fn try_put(
        &self,
        key: &str,
        diff_id: &str,
        analysis: &LayerAnalysis,
    ) -> Result<(), rusqlite::Error> {
        let Some(value) = encode(analysis) else {
            return Ok(());
        };
        let id = hash_key(key);
        let now = unix_now();
        let mut conn = self.lock();
        conn.execute(
            "INSERT INTO layers (key, diff_id, value, size, created_at, last_used)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value, size = excluded.size,
                                            last_used = excluded.last_used",
            params![id, diff_id, value, value.len() as i64, now],
        )?;
        if let Some(max) = self.options.max_bytes {
            evict(&mut conn, max)?;
        }
        Ok(())
    }
}

impl LayerCache for SqliteLayerCache {
    fn get(&self, key: &str) -> Option<LayerAnalysis> {
        match self.try_get(key) {
            Ok(hit) => hit,
            Err(err) => {
                tracing::warn!("layer cache `{}`: read failed: {err}", self.path.display());
                None
            }
        }
    }

    fn put(&self, key: &str, diff_id: &str, analysis: &LayerAnalysis) {
        if let Err(err) = self.try_put(key, diff_id, analysis) {
            tracing::warn!(
                "layer cache `{}`: could not store the analysis of {diff_id}: {err}",
                self.path.display()
            );
        }
    }
}

fn open_conn(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets readers go on while one process writes; NORMAL sync is safe with WAL (a crash
    // loses at most the last writes, never the file).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != SCHEMA_VERSION {
        // An older layout (or a new file): start over; entries are only a cache.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;
             DROP TABLE IF EXISTS layers;
             CREATE TABLE layers (
                 key        TEXT PRIMARY KEY,
                 diff_id    TEXT NOT NULL,
                 value      BLOB NOT NULL,
                 size       INTEGER NOT NULL,
                 created_at INTEGER NOT NULL,
                 last_used  INTEGER NOT NULL
             );
             CREATE INDEX layers_last_used ON layers (last_used);
             PRAGMA user_version = {SCHEMA_VERSION};
             COMMIT;"
        ))?;
    }
    // Reading the table proves the file is a database (a damaged header shows up here).
    conn.query_row("SELECT COUNT(*) FROM layers", [], |r| r.get::<_, i64>(0))?;
    Ok(conn)
}

fn is_corruption(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// Deletes least recently used entries until the values fit in `max_bytes`.
fn evict(conn: &mut Connection, max_bytes: u64) -> Result<u64, rusqlite::Error> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let total: i64 = tx.query_row("SELECT COALESCE(SUM(size), 0) FROM layers", [], |r| {
        r.get(0)
    })?;
    let mut over = total - i64::try_from(max_bytes).unwrap_or(i64::MAX);
    let mut evicted = 0u64;
    if over > 0 {
        let victims: Vec<(String, i64)> = {
            let mut stmt =
                tx.prepare("SELECT key, size FROM layers ORDER BY last_used ASC, created_at ASC")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut v = Vec::new();
            for row in rows {
                let (key, size): (String, i64) = row?;
                if over <= 0 {
                    break;
                }
                over -= size;
                v.push((key, size));
            }
            v
        };
        for (key, _) in &victims {
            tx.execute("DELETE FROM layers WHERE key = ?1", [key])?;
            evicted += 1;
        }
    }
    tx.commit()?;
    Ok(evicted)
}

fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn encode(analysis: &LayerAnalysis) -> Option<Vec<u8>> {
    let json = serde_json::to_vec(analysis).ok()?;
    zstd::bulk::compress(&json, ZSTD_LEVEL).ok()
}

/// Values are small; a value claiming more than this decompressed is damaged.
const MAX_DECODED_BYTES: usize = 1 << 30;

fn decode(value: &[u8]) -> Option<LayerAnalysis> {
    let mut json = Vec::new();
    let mut decoder = zstd::stream::read::Decoder::new(value).ok()?;
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut decoder, MAX_DECODED_BYTES as u64 + 1),
        &mut json,
    )
    .ok()?;
    if json.len() > MAX_DECODED_BYTES {
        return None;
    }
    serde_json::from_slice(&json).ok()
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(n: u64) -> LayerAnalysis {
        LayerAnalysis {
            entry_count: n,
            files_read: n,
            ..LayerAnalysis::default()
        }
    }

    #[test]
    fn round_trips_and_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        assert_eq!(cache.get("k1"), None);
        cache.put("k1", "sha256:aa", &analysis(7));
        assert_eq!(cache.get("k1"), Some(analysis(7)));
        assert_eq!(cache.get("k2"), None);
        assert_eq!(cache.stats().unwrap().entries, 1);
        assert_eq!(cache.clear().unwrap(), 1);
        assert_eq!(cache.get("k1"), None);
    }

    #[test]
    fn a_value_that_does_not_decode_is_a_miss_and_is_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        cache.put("k", "sha256:aa", &analysis(1));
        cache
            .lock()
            .execute("UPDATE layers SET value = x'28b52ffd00'", [])
            .unwrap();
        assert_eq!(cache.get("k"), None);
        assert_eq!(cache.stats().unwrap().entries, 0);
        assert_eq!(decode(b"not zstd"), None);
    }

    #[test]
    fn least_recently_used_entries_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        for (i, key) in ["a", "b", "c"].iter().enumerate() {
            cache.put(key, "sha256:aa", &analysis(i as u64));
            // Distinct recency without sleeping: set it by hand.
            cache
                .lock()
                .execute(
                    "UPDATE layers SET last_used = ?1 WHERE key = ?2",
                    params![i as i64, hash_key(key)],
                )
                .unwrap();
        }
        let one = cache.stats().unwrap().bytes / 3;
        // Room for about two: the oldest (`a`) goes.
        assert_eq!(cache.evict_to(one * 2 + one / 2).unwrap(), 1);
        assert_eq!(cache.get("a"), None);
        assert!(cache.get("b").is_some() && cache.get("c").is_some());
    }
}
