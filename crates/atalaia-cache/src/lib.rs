//! The layer cache: finished [`LayerAnalysis`] results kept in one embedded SQLite file under
//! the cache directory, so a layer is analysed once, whatever image or process brings it back;
//! and whole images' merged results ([`ImageAnalysis`]), so a re-scan of an image decodes no
//! layer analysis at all (Trivy's artifact cache).
//!
//! ```text
//! analyze_image_layers ──get_image(key)──► SqliteLayerCache ──► <cache-dir>/layers.sqlite
//!   └ analyze_layers ────get(key)───────►  (WAL, shared by      tables `layers`, `images`
//!                  └─────put(key)───────►   processes, LRU-capped over both tables)
//! ```
//!
//! * **Key**: [`atalaia_analyze::layer_cache_key`] — the layer's diff ID plus every analyzer's
//!   name, version and settings and the limits — hashed with SHA-256. A new analyzer version or
//!   other secret rules never reuse an old result. An image's key
//!   ([`atalaia_analyze::image_cache_key`]) is its layers' keys and descriptions in order, plus
//!   the version of the merge code and what was collected, hashed the same way.
//! * **Value**: the analysis as JSON, zstd-compressed (it is what the layer held, not the
//!   layer: a few KiB for most layers); for an image, its inventory, secrets and configuration
//!   files, encoded the same way.
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

use atalaia_analyze::{ImageAnalysis, LayerAnalysis, LayerCache};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// The cache file's name inside the cache directory.
pub const FILE_NAME: &str = "layers.sqlite";

/// Bumped when the table layout or the value encoding changes; an older file is emptied.
/// 2: the `images` table.
const SCHEMA_VERSION: i64 = 2;

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
    /// Stored image analyses (merged results of whole images).
    pub image_entries: u64,
    /// Bytes of the stored (compressed) values, layers and images.
    pub bytes: u64,
}

/// What [`SqliteLayerCache::clear_all`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cleared {
    /// Layer analyses.
    pub layers: u64,
    /// Image analyses.
    pub images: u64,
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
        let conn = match open_conn_waiting(&path) {
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
            "SELECT (SELECT COUNT(*) FROM layers), (SELECT COUNT(*) FROM images),
                    (SELECT COALESCE(SUM(size), 0) FROM layers)
                    + (SELECT COALESCE(SUM(size), 0) FROM images)",
            [],
            |r| {
                Ok(CacheStats {
                    entries: r.get::<_, i64>(0)?.max(0) as u64,
                    image_entries: r.get::<_, i64>(1)?.max(0) as u64,
                    bytes: r.get::<_, i64>(2)?.max(0) as u64,
                })
            },
        )
        .map_err(|err| self.err("read statistics", err))
    }

    /// Removes every entry, layers and images; returns how many layer analyses there were
    /// (see [`SqliteLayerCache::clear_all`] for both counts).
    pub fn clear(&self) -> Result<u64, CacheError> {
        self.clear_all().map(|c| c.layers)
    }

    /// Removes every entry, layers and images (`atalaia clean --scan-cache`); says how many
    /// of each there were.
    pub fn clear_all(&self) -> Result<Cleared, CacheError> {
        let mut conn = self.lock();
        let cleared = (|| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let layers = tx.execute("DELETE FROM layers", [])? as u64;
            let images = tx.execute("DELETE FROM images", [])? as u64;
            tx.commit()?;
            Ok(Cleared { layers, images })
        })()
        .map_err(|err| self.err("clear", err))?;
        // Give the space back to the file system.
        conn.execute_batch("VACUUM")
            .map_err(|err| self.err("vacuum", err))?;
        Ok(cleared)
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

    fn try_get<T: DeserializeOwned>(
        &self,
        table: Table,
        key: &str,
    ) -> Result<Option<T>, rusqlite::Error> {
        let id = hash_key(key);
        let t = table.name();
        // Read under the lock, decode outside it: layers decoded in parallel do not queue.
        let value: Option<Vec<u8>> = self
            .lock()
            .query_row(
                &format!("SELECT value FROM {t} WHERE key = ?1"),
                [&id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(value) = value else { return Ok(None) };
        let decoded = decode(&value);
        let conn = self.lock();
        match decoded {
            Some(analysis) => {
                // Recency matters for eviction only: losing this update is harmless.
                if let Err(err) = conn.execute(
                    &format!("UPDATE {t} SET last_used = ?1 WHERE key = ?2"),
                    params![unix_now(), id],
                ) {
                    tracing::debug!("layer cache: could not record a use: {err}");
                }
                Ok(Some(analysis))
            }
            None => {
                tracing::warn!(
                    "layer cache `{}`: an entry of `{t}` does not decode; deleted it",
                    self.path.display()
                );
                conn.execute(&format!("DELETE FROM {t} WHERE key = ?1"), [&id])?;
                Ok(None)
            }
        }
    }

    fn try_put_image(&self, key: &str, image: &ImageAnalysis) -> Result<(), rusqlite::Error> {
        let Some(value) = encode(image) else {
            return Ok(());
        };
        let id = hash_key(key);
        let now = unix_now();
        let mut conn = self.lock();
        conn.execute(
            "INSERT INTO images (key, value, size, created_at, last_used)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value, size = excluded.size,
                                            last_used = excluded.last_used",
            params![id, value, value.len() as i64, now],
        )?;
        if let Some(max) = self.options.max_bytes {
            evict(&mut conn, max)?;
        }
        Ok(())
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
        match self.try_get(Table::Layers, key) {
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

    fn get_image(&self, key: &str) -> Option<ImageAnalysis> {
        match self.try_get(Table::Images, key) {
            Ok(hit) => hit,
            Err(err) => {
                tracing::warn!("layer cache `{}`: read failed: {err}", self.path.display());
                None
            }
        }
    }

    fn put_image(&self, key: &str, image: &ImageAnalysis) {
        if let Err(err) = self.try_put_image(key, image) {
            tracing::warn!(
                "layer cache `{}`: could not store an image analysis: {err}",
                self.path.display()
            );
        }
    }
}

/// The tables of the cache file.
#[derive(Debug, Clone, Copy)]
enum Table {
    /// Layer analyses.
    Layers,
    /// Images' merged results.
    Images,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Layers => "layers",
            Table::Images => "images",
        }
    }
}

/// [`open_conn`], retried while another process holds the lock it needs: switching a new file
/// to WAL and making its tables take the write lock, and SQLite answers `SQLITE_BUSY` at once
/// there instead of waiting (scans started together on a new cache directory).
fn open_conn_waiting(path: &Path) -> Result<Connection, rusqlite::Error> {
    let start = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match open_conn(path) {
            Err(err)
                if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            done => return done,
        }
    }
}

fn open_conn(path: &Path) -> Result<Connection, rusqlite::Error> {
    let mut conn = Connection::open_with_flags(
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
        // An older layout (or a new file): start over; entries are only a cache. Checked again
        // under the write lock: processes opening a new file at once all see version 0, and a
        // later one must not drop the tables (and the entries) an earlier one just made.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            tx.execute_batch(&format!(
                "DROP TABLE IF EXISTS layers;
                 DROP TABLE IF EXISTS images;
                 CREATE TABLE images (
                     key        TEXT PRIMARY KEY,
                     value      BLOB NOT NULL,
                     size       INTEGER NOT NULL,
                     created_at INTEGER NOT NULL,
                     last_used  INTEGER NOT NULL
                 );
                 CREATE INDEX images_last_used ON images (last_used);
                 CREATE TABLE layers (
                     key        TEXT PRIMARY KEY,
                     diff_id    TEXT NOT NULL,
                     value      BLOB NOT NULL,
                     size       INTEGER NOT NULL,
                     created_at INTEGER NOT NULL,
                     last_used  INTEGER NOT NULL
                 );
                 CREATE INDEX layers_last_used ON layers (last_used);
                 PRAGMA user_version = {SCHEMA_VERSION};"
            ))?;
        }
        tx.commit()?;
    }
    // Reading the table proves the file is a database (a damaged header shows up here).
    conn.query_row(
        "SELECT (SELECT COUNT(*) FROM layers) + (SELECT COUNT(*) FROM images)",
        [],
        |r| r.get::<_, i64>(0),
    )?;
    Ok(conn)
}

fn is_corruption(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// Deletes least recently used entries, layers and images alike, until the values of both
/// tables fit in `max_bytes`.
fn evict(conn: &mut Connection, max_bytes: u64) -> Result<u64, rusqlite::Error> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let total: i64 = tx.query_row(
        "SELECT (SELECT COALESCE(SUM(size), 0) FROM layers)
                + (SELECT COALESCE(SUM(size), 0) FROM images)",
        [],
        |r| r.get(0),
    )?;
    let mut over = total - i64::try_from(max_bytes).unwrap_or(i64::MAX);
    let mut evicted = 0u64;
    if over > 0 {
        let victims: Vec<(bool, String)> = {
            let mut stmt = tx.prepare(
                "SELECT 0, key, size, last_used, created_at FROM layers
                 UNION ALL
                 SELECT 1, key, size, last_used, created_at FROM images
                 ORDER BY 4 ASC, 5 ASC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)? == 1, r.get(1)?, r.get::<_, i64>(2)?))
            })?;
            let mut v = Vec::new();
            for row in rows {
                let (image, key, size): (bool, String, i64) = row?;
                if over <= 0 {
                    break;
                }
                over -= size;
                v.push((image, key));
            }
            v
        };
        for (image, key) in &victims {
            let table = if *image { Table::Images } else { Table::Layers };
            tx.execute(
                &format!("DELETE FROM {} WHERE key = ?1", table.name()),
                [key],
            )?;
            evicted += 1;
        }
    }
    tx.commit()?;
    Ok(evicted)
}

fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn encode<T: Serialize>(analysis: &T) -> Option<Vec<u8>> {
    let json = serde_json::to_vec(analysis).ok()?;
    zstd::bulk::compress(&json, ZSTD_LEVEL).ok()
}

/// Values are small; a value claiming more than this decompressed is damaged.
const MAX_DECODED_BYTES: usize = 1 << 30;

fn decode<T: DeserializeOwned>(value: &[u8]) -> Option<T> {
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
        assert_eq!(decode::<LayerAnalysis>(b"not zstd"), None);
    }

    fn image(n: usize) -> ImageAnalysis {
        let mut image = ImageAnalysis::default();
        image.analysis.inventory.warnings = (0..n)
            .map(|i| atalaia_types::ScanWarning {
                file_path: format!("f{i}"),
                layer: None,
                message: "m".to_owned(),
            })
            .collect();
        image
    }

    #[test]
    fn images_round_trip_apart_from_layers_and_clear_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        assert_eq!(cache.get_image("k"), None);
        cache.put("k", "sha256:aa", &analysis(1));
        // Same key text, other table: no confusion.
        assert_eq!(cache.get_image("k"), None);
        cache.put_image("k", &image(3));
        assert_eq!(cache.get_image("k"), Some(image(3)));
        assert_eq!(cache.get("k"), Some(analysis(1)));
        let stats = cache.stats().unwrap();
        assert_eq!((stats.entries, stats.image_entries), (1, 1));
        assert_eq!(
            cache.clear_all().unwrap(),
            Cleared {
                layers: 1,
                images: 1
            }
        );
        assert_eq!(cache.get_image("k"), None);
        assert_eq!(cache.stats().unwrap(), CacheStats::default());
    }

    #[test]
    fn an_image_value_that_does_not_decode_is_a_miss_and_is_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        for bad in [&b"\x28\xb5\x2f\xfd\x00"[..], b"plain", b""] {
            cache.put_image("k", &image(1));
            cache
                .lock()
                .execute("UPDATE images SET value = ?1", [bad])
                .unwrap();
            assert_eq!(cache.get_image("k"), None);
            assert_eq!(cache.stats().unwrap().image_entries, 0);
        }
        // Valid zstd around JSON of another shape: not an image either.
        cache.put_image("k", &image(1));
        let other = encode(&analysis(1)).unwrap();
        cache
            .lock()
            .execute("UPDATE images SET value = ?1", [other])
            .unwrap();
        assert_eq!(cache.get_image("k"), None);
        assert_eq!(cache.stats().unwrap().image_entries, 0);
    }

    #[test]
    fn handles_opening_a_new_file_at_once_keep_each_others_entries() {
        // Every opener of a new file sees schema version 0; one that takes the write lock
        // after another has made the tables and stored an entry must not start over.
        for _ in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            std::thread::scope(|scope| {
                for i in 0..6 {
                    let dir = dir.path();
                    scope.spawn(move || {
                        let cache = SqliteLayerCache::open(dir, CacheOptions::default()).unwrap();
                        cache.put_image(&format!("image-{i}"), &image(1));
                    });
                }
            });
            let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
            assert_eq!(cache.stats().unwrap().image_entries, 6);
        }
    }

    #[test]
    fn eviction_counts_and_evicts_images_too() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        cache.put_image("old-image", &image(50));
        cache.put("layer", "sha256:aa", &analysis(1));
        cache.put_image("new-image", &image(50));
        for (i, (table, key)) in [
            ("images", "old-image"),
            ("layers", "layer"),
            ("images", "new-image"),
        ]
        .iter()
        .enumerate()
        {
            cache
                .lock()
                .execute(
                    &format!("UPDATE {table} SET last_used = ?1 WHERE key = ?2"),
                    params![i as i64, hash_key(key)],
                )
                .unwrap();
        }
        let total = cache.stats().unwrap().bytes;
        // One byte too many: the least recently used entry, an image, goes.
        assert_eq!(cache.evict_to(total - 1).unwrap(), 1);
        assert_eq!(cache.get_image("old-image"), None);
        assert!(cache.get("layer").is_some());
        assert!(cache.get_image("new-image").is_some());
        // Room for nothing: everything goes.
        assert_eq!(cache.evict_to(0).unwrap(), 2);
        assert_eq!(cache.stats().unwrap(), CacheStats::default());
    }

    #[test]
    fn a_file_of_the_previous_schema_is_emptied() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE layers (key TEXT PRIMARY KEY, diff_id TEXT NOT NULL, value BLOB NOT NULL,
                    size INTEGER NOT NULL, created_at INTEGER NOT NULL, last_used INTEGER NOT NULL);
                 INSERT INTO layers VALUES ('k', 'd', x'00', 1, 0, 0);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
        assert_eq!(cache.stats().unwrap(), CacheStats::default());
        cache.put_image("k", &image(1));
        assert_eq!(cache.get_image("k"), Some(image(1)));
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
