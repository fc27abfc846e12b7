//! The SQLite file: schema, the builder's writer and the read-only [`VulnDb`].
//!
//! Lookups read one row: `packages` holds, per `(namespace, package)`, every advisory for it as
//! one compact binary blob (see [`crate::packed`]: a string table and the advisories referring to
//! it), so a lookup is one descent of a compact index, one read of the row and one decode that
//! copies no string. Tables with large rows (`packages`, `vulnerabilities`) are rowid tables
//! with an index on their key rather than `WITHOUT ROWID` tables: those would keep up to a
//! kilobyte of every row in their interior pages, making the tree deep and each step slow. The `advisories` table has the same
//! advisories one per row, with the columns a person queries with `sqlite3` (IDs, status, fixed
//! versions); `vulnerabilities`, `aliases` and `severities` hold the details.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::details::VulnerabilityRecord;
use crate::model::{Advisory, Meta, SourceMeta, Vulnerability};
use crate::packed::PackageAdvisories;
use crate::VulnDbError;

/// Looks up the advisories of packages one after another (see [`VulnDb::package_lookup`]).
pub struct PackageLookup<'db> {
    db: &'db VulnDb,
    st: rusqlite::CachedStatement<'db>,
}

impl PackageLookup<'_> {
    /// The advisories for `package` in `namespace`, as [`VulnDb::package_advisories`] gives
    /// them.
    pub fn get(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, VulnDbError> {
        let db = self.db;
        let package = crate::normalize::normalized(namespace, package);
        let mut rows = self
            .st
            .query(params![namespace, package])
            .map_err(|e| db.query_err(e))?;
        let Some(row) = rows.next().map_err(|e| db.query_err(e))? else {
            return Ok(None);
        };
        let blob = row
            .get_ref(0)
            .and_then(|v| v.as_blob().map_err(rusqlite::Error::from))
            .map_err(|e| db.query_err(e))?;
        PackageAdvisories::decode(namespace, &package, blob)
            .map(Some)
            .map_err(|e| db.corrupt(&format!("advisories of `{package}` in `{namespace}`"), e))
    }
}

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 3;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (
    name TEXT PRIMARY KEY, format TEXT NOT NULL, revision TEXT,
    files INTEGER NOT NULL, records INTEGER NOT NULL, withdrawn INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE vulnerabilities (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, published TEXT, modified TEXT,
    kev_date_added TEXT, data BLOB NOT NULL
);
CREATE TABLE aliases (alias TEXT PRIMARY KEY, vulnerability_id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE severities (
    vulnerability_id TEXT NOT NULL, source TEXT NOT NULL, label TEXT,
    cvss_version TEXT, vector TEXT, score REAL
);
CREATE TABLE advisories (
    namespace TEXT NOT NULL, package TEXT NOT NULL,
    vulnerability_id TEXT NOT NULL, vendor_id TEXT, source TEXT NOT NULL, status TEXT NOT NULL,
    fixed_versions TEXT
);
CREATE TABLE packages (namespace TEXT NOT NULL, package TEXT NOT NULL, advisories BLOB NOT NULL);
";

const INDEXES: &str = "
CREATE INDEX severities_by_vulnerability ON severities (vulnerability_id);
CREATE INDEX advisories_by_vulnerability ON advisories (vulnerability_id);
CREATE INDEX advisories_by_package ON advisories (namespace, package);
CREATE UNIQUE INDEX packages_by_name ON packages (namespace, package);
";

/// Writes a new database file. Used by the builder on a temporary path.
pub(crate) struct Writer {
    conn: Connection,
    path: PathBuf,
    /// The `vulnerabilities.n` of each vulnerability written, for the package blobs.
    numbers: std::collections::HashMap<String, u64>,
}

impl Writer {
    pub(crate) fn create(path: &Path) -> Result<Self, VulnDbError> {
        let conn = Connection::open(path).map_err(|e| VulnDbError::sqlite(path, "create", e))?;
        // Durability comes from the final fsync + rename, not from SQLite's journal.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;",
        )
        .and_then(|()| conn.execute_batch(SCHEMA))
        .and_then(|()| conn.execute_batch("BEGIN"))
        .map_err(|e| VulnDbError::sqlite(path, "create", e))?;
        Ok(Writer {
            conn,
            path: path.to_owned(),
            numbers: std::collections::HashMap::new(),
        })
    }

    fn err(&self, e: rusqlite::Error) -> VulnDbError {
        VulnDbError::sqlite(&self.path, "write", e)
    }

    pub(crate) fn meta(&self, meta: &Meta) -> Result<(), VulnDbError> {
        let mut st = self
            .conn
            .prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2)")
            .map_err(|e| self.err(e))?;
        st.execute(params!["schema_version", meta.schema_version.to_string()])
            .map_err(|e| self.err(e))?;
        st.execute(params!["built_at", meta.built_at])
            .map_err(|e| self.err(e))?;
        let mut st = self
            .conn
            .prepare_cached("INSERT INTO sources (name, format, revision, files, records, withdrawn) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(|e| self.err(e))?;
        for s in &meta.sources {
            st.execute(params![
                s.name,
                s.format,
                s.revision,
                s.files,
                s.records,
                s.withdrawn
            ])
            .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Writes a vulnerability's details; rows are numbered in the order they are written
    /// (`n`, which the package blobs refer to).
    pub(crate) fn vulnerability(&mut self, v: &Vulnerability) -> Result<(), VulnDbError> {
        let data = crate::details::encode(v);
        let n = self.numbers.len() as u64 + 1;
        self.conn
            .prepare_cached("INSERT INTO vulnerabilities (n, id, title, published, modified, kev_date_added, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .and_then(|mut st| st.execute(params![n, v.id, v.title, v.published, v.modified, v.kev.as_ref().map(|k| &k.date_added), data]))
            .map_err(|e| self.err(e))?;
        self.numbers.insert(v.id.clone(), n);
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO aliases (alias, vulnerability_id) VALUES (?1, ?2)",
            )
            .map_err(|e| self.err(e))?;
        for a in &v.aliases {
            st.execute(params![a, v.id]).map_err(|e| self.err(e))?;
        }
        let mut st = self
            .conn
            .prepare_cached("INSERT INTO severities (vulnerability_id, source, label, cvss_version, vector, score) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(|e| self.err(e))?;
        for s in &v.severities {
            let version = s.cvss_version.map(|c| match c {
                crate::model::CvssVersion::V2 => "v2",
                crate::model::CvssVersion::V3 => "v3",
                crate::model::CvssVersion::V4 => "v4",
            });
            st.execute(params![v.id, s.source, s.label, version, s.vector, s.score])
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Writes the advisories of one `(namespace, package)`: a row each in `advisories` and
    /// together in `packages`.
    pub(crate) fn package(
        &self,
        namespace: &str,
        package: &str,
        advisories: &[Advisory],
    ) -> Result<(), VulnDbError> {
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT INTO advisories (namespace, package, vulnerability_id, vendor_id, source, status, fixed_versions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(|e| self.err(e))?;
        for a in advisories {
            let fixed = (!a.fixed_versions.is_empty()).then(|| a.fixed_versions.join(", "));
            st.execute(params![
                namespace,
                package,
                a.vulnerability_id,
                a.vendor_id,
                a.source,
                a.status.as_str(),
                fixed
            ])
            .map_err(|e| self.err(e))?;
        }
        let numbers = &self.numbers;
        let blob = crate::packed::encode(package, advisories, &|id| {
            numbers.get(id).copied().unwrap_or(0)
        });
        self.conn
            .prepare_cached(
                "INSERT INTO packages (namespace, package, advisories) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut st| st.execute(params![namespace, package, blob]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Commits, indexes, compacts and closes the file (the caller fsyncs and renames it).
    pub(crate) fn finish(self) -> Result<(), VulnDbError> {
        self.conn
            .execute_batch("COMMIT")
            .and_then(|()| self.conn.execute_batch(INDEXES))
            .and_then(|()| self.conn.execute_batch("ANALYZE; VACUUM;"))
            .map_err(|e| self.err(e))?;
        let path = self.path.clone();
        self.conn
            .close()
            .map_err(|(_, e)| VulnDbError::sqlite(path, "write", e))
    }
}

/// A built database, opened read-only.
///
/// Scans keep it open while `atalaia db update` replaces the file: the update renames a new file
/// over the path, and this handle keeps reading the old one until it is dropped.
pub struct VulnDb {
    conn: Connection,
    path: PathBuf,
    /// The file's (device, inode) when it was opened: [`VulnDb::reopen`] refuses a file that
    /// replaced it since.
    file_id: (u64, u64),
    /// Handles [`VulnDb::worker`] lent out and got back, kept warm (their memory map paged
    /// in) for the next loan.
    spare: Mutex<Vec<VulnDb>>,
}

/// A handle on the same file as a [`VulnDb`], lent to another thread by [`VulnDb::worker`];
/// it goes back to the lender when dropped.
#[derive(Debug)]
pub struct WorkerDb<'a> {
    db: Option<VulnDb>,
    home: &'a Mutex<Vec<VulnDb>>,
}

impl std::ops::Deref for WorkerDb<'_> {
    type Target = VulnDb;

    fn deref(&self) -> &VulnDb {
        self.db
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for WorkerDb<'_> {
    fn drop(&mut self) {
        if let (Some(db), Ok(mut spare)) = (self.db.take(), self.home.lock()) {
            spare.push(db);
        }
    }
}

impl std::fmt::Debug for VulnDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VulnDb")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl VulnDb {
    /// Opens `path` read-only and checks it is a database of [`SCHEMA_VERSION`].
    pub fn open(path: &Path) -> Result<Self, VulnDbError> {
        let meta = std::fs::metadata(path).map_err(|e| VulnDbError::io(path, e))?;
        let file_id = (meta.dev(), meta.ino());
        if !meta.is_file() {
            return Err(VulnDbError::BadDatabase {
                path: path.to_owned(),
                reason: "not a regular file".to_owned(),
            });
        }
        // `immutable=1`: the file never changes in place (builds and updates write beside it
        // and rename over the path), so SQLite can skip file locks and change checks on every
        // query. A rename leaves this handle on the old file until it is dropped.
        let conn = Connection::open_with_flags(
            sqlite_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| VulnDbError::sqlite(path, "open", e))?;
        // Memory-map the file: lookups then copy no pages.
        conn.execute_batch(
            "PRAGMA mmap_size = 268435456; PRAGMA query_only = ON; PRAGMA cache_size = -16384;",
        )
        .map_err(|e| VulnDbError::sqlite(path, "open", e))?;
        let db = VulnDb {
            conn,
            path: path.to_owned(),
            file_id,
            spare: Mutex::new(Vec::new()),
        };
        let has_meta: bool = db
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| VulnDbError::sqlite(path, "open", e))?;
        if !has_meta {
            return Err(VulnDbError::BadDatabase {
                path: path.to_owned(),
                reason: "it has no `meta` table".to_owned(),
            });
        }
        let version = db.meta_value("schema_version")?;
        if version.as_deref() != Some(SCHEMA_VERSION.to_string().as_str()) {
            let found = version.as_deref().unwrap_or("(none)");
            let older = version
                .as_deref()
                .and_then(|v| v.parse::<u32>().ok())
                .is_some_and(|v| v < SCHEMA_VERSION);
            let reason = if older {
                format!(
                    "schema version {found} is older than the supported {SCHEMA_VERSION}; rebuild it with `atalaia db build` or download a current one with `atalaia db update`"
                )
            } else {
                format!(
                    "schema version {found} is not the supported {SCHEMA_VERSION}; rebuild it with `atalaia db build` or use the atalaia release that wrote it"
                )
            };
            return Err(VulnDbError::BadDatabase {
                path: path.to_owned(),
                reason,
            });
        }
        Ok(db)
    }

    /// Another handle on the same file (for another thread: a handle is used by one thread at
    /// a time). An error when the path now names another file (a `db update` renamed a new
    /// one over it): the two handles would read different data.
    pub fn reopen(&self) -> Result<VulnDb, VulnDbError> {
        let replaced = || VulnDbError::BadDatabase {
            path: self.path.clone(),
            reason: "the file was replaced since it was opened".to_owned(),
        };
        let id = |path: &Path| -> Result<(u64, u64), VulnDbError> {
            let m = std::fs::metadata(path).map_err(|e| VulnDbError::io(path, e))?;
            Ok((m.dev(), m.ino()))
        };
        if id(&self.path)? != self.file_id {
            return Err(replaced());
        }
        let db = VulnDb::open(&self.path)?;
        // Replaced between the check and the open: the new handle reads the new file.
        if db.file_id != self.file_id {
            return Err(replaced());
        }
        Ok(db)
    }

    /// A handle for another thread (see [`VulnDb::reopen`]), reused from an earlier loan when
    /// one came back: a fresh handle pages its memory map in again.
    pub fn worker(&self) -> Result<WorkerDb<'_>, VulnDbError> {
        let spare = self.spare.lock().ok().and_then(|mut s| s.pop());
        let db = match spare {
            Some(db) => db,
            None => self.reopen()?,
        };
        Ok(WorkerDb {
            db: Some(db),
            home: &self.spare,
        })
    }

    /// The file this handle reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn query_err(&self, e: rusqlite::Error) -> VulnDbError {
        VulnDbError::sqlite(&self.path, "query", e)
    }

    fn corrupt(&self, what: &str, e: impl std::fmt::Display) -> VulnDbError {
        VulnDbError::BadDatabase {
            path: self.path.clone(),
            reason: format!("{what}: {e}"),
        }
    }

    fn meta_value(&self, key: &str) -> Result<Option<String>, VulnDbError> {
        self.conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")
            .and_then(|mut st| st.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.query_err(e))
    }

    /// The advisories for `package` in `namespace`. The name is normalised for the namespace
    /// first (see [`crate::normalize_package_name`]).
    pub fn advisories_for(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Vec<Advisory>, VulnDbError> {
        Ok(self
            .package_advisories(namespace, package)?
            .map(|p| p.to_advisories())
            .unwrap_or_default())
    }

    /// The advisories for `package` in `namespace` as a borrowed view (no string copied per
    /// advisory), or `None` when the package has none. The name is normalised for the namespace
    /// first (see [`crate::normalize_package_name`]).
    pub fn package_advisories(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<PackageAdvisories>, VulnDbError> {
        self.package_lookup()?.get(namespace, package)
    }

    /// A lookup for the advisories of many packages in a row ([`PackageLookup::get`] is
    /// [`VulnDb::package_advisories`]): the query is taken from the statement cache once, not
    /// once per package.
    pub fn package_lookup(&self) -> Result<PackageLookup<'_>, VulnDbError> {
        let st = self
            .conn
            .prepare_cached("SELECT advisories FROM packages WHERE namespace = ?1 AND package = ?2")
            .map_err(|e| self.query_err(e))?;
        Ok(PackageLookup { db: self, st })
    }

    /// A vulnerability by its canonical ID or any alias (`GHSA-…`, `PYSEC-…`).
    pub fn vulnerability(&self, id: &str) -> Result<Option<Vulnerability>, VulnDbError> {
        Ok(self.vulnerability_record(id)?.map(|r| r.to_vulnerability()))
    }

    /// A vulnerability's details as a [`VulnerabilityRecord`] (no copy per field), by its
    /// canonical ID or any alias.
    pub fn vulnerability_record(
        &self,
        id: &str,
    ) -> Result<Option<VulnerabilityRecord>, VulnDbError> {
        // Advisories name canonical IDs, so look the ID up directly first.
        if let Some(v) = self.vulnerability_by_id(id)? {
            return Ok(Some(v));
        }
        let canonical: Option<String> = self
            .conn
            .prepare_cached("SELECT vulnerability_id FROM aliases WHERE alias = ?1")
            .and_then(|mut st| st.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| self.query_err(e))?;
        match canonical {
            Some(c) if c != id => self.vulnerability_by_id(&c),
            _ => Ok(None),
        }
    }

    /// The details of many vulnerabilities, each named by the key of its row
    /// ([`crate::AdvisoryRef::vulnerability_keys`]; `0` looks the ID up instead) and its ID;
    /// answers in the order asked. Rows are read in key order, so the pages of the table are
    /// visited once each, front to back.
    pub fn vulnerability_records(
        &self,
        wanted: &[(u64, &str)],
    ) -> Result<Vec<Option<VulnerabilityRecord>>, VulnDbError> {
        let mut order: Vec<usize> = (0..wanted.len()).collect();
        order.sort_unstable_by_key(|&i| wanted[i].0);
        let mut out: Vec<Option<VulnerabilityRecord>> = vec![None; wanted.len()];
        // Key 0: no row number; looked up by ID (sorted first).
        let keyed = order.partition_point(|&i| wanted[i].0 == 0);
        for &i in &order[..keyed] {
            out[i] = self.vulnerability_record(wanted[i].1)?;
        }
        let order = &order[keyed..];
        // Rows are read by a scan from the first wanted row on, stepping over the rows in
        // between, and the scan starts again further on at a gap of more than `SKIP` rows:
        // stepping over a row is several times cheaper than looking one up.
        const SKIP: u64 = 8;
        let mut st = self
            .conn
            .prepare_cached("SELECT n, id, data FROM vulnerabilities WHERE n >= ?1 ORDER BY n")
            .map_err(|e| self.query_err(e))?;
        let key = |k: usize| wanted[order[k]].0;
        let mut next = 0;
        while next < order.len() {
            let start = i64::try_from(key(next))
                .map_err(|_| self.corrupt("vulnerability data", "a row number out of range"))?;
            let mut rows = st.query([start]).map_err(|e| self.query_err(e))?;
            let mut past_the_end = true;
            while let Some(row) = rows.next().map_err(|e| self.query_err(e))? {
                // Row numbers start at 1 (`INTEGER PRIMARY KEY`); a negative one is no key.
                let n = u64::try_from(row.get::<_, i64>(0).map_err(|e| self.query_err(e))?)
                    .unwrap_or(0);
                // Wanted rows that are not there (a file older than its keys) stay `None`.
                while next < order.len() && key(next) < n {
                    next += 1;
                }
                while next < order.len() && key(next) == n {
                    let (_, id) = wanted[order[next]];
                    // A key naming another vulnerability is a corrupt file, not a match.
                    let row_id = row
                        .get_ref(1)
                        .and_then(|v| v.as_bytes().map_err(rusqlite::Error::from))
                        .map_err(|e| self.query_err(e))?;
                    if row_id != id.as_bytes() {
                        return Err(
                            self.corrupt("vulnerability data", format!("row {n} is not `{id}`"))
                        );
                    }
                    let data = row
                        .get_ref(2)
                        .and_then(|v| v.as_bytes().map_err(rusqlite::Error::from))
                        .map_err(|e| self.query_err(e))?;
                    out[order[next]] = Some(
                        VulnerabilityRecord::decode(data)
                            .map_err(|e| self.corrupt(&format!("details of `{id}`"), e))?,
                    );
                    next += 1;
                }
                if next == order.len() || key(next) - n > SKIP {
                    past_the_end = false;
                    break;
                }
            }
            // The scan ran past the last row: the rest are not there.
            if past_the_end {
                break;
            }
        }
        Ok(out)
    }

    fn vulnerability_by_id(&self, id: &str) -> Result<Option<VulnerabilityRecord>, VulnDbError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT data FROM vulnerabilities WHERE id = ?1")
            .map_err(|e| self.query_err(e))?;
        let mut rows = st.query([id]).map_err(|e| self.query_err(e))?;
        let Some(row) = rows.next().map_err(|e| self.query_err(e))? else {
            return Ok(None);
        };
        let data = row
            .get_ref(0)
            .and_then(|v| v.as_bytes().map_err(rusqlite::Error::from))
            .map_err(|e| self.query_err(e))?;
        VulnerabilityRecord::decode(data)
            .map(Some)
            .map_err(|e| self.corrupt(&format!("details of `{id}`"), e))
    }

    /// The `meta` and `sources` tables.
    pub fn meta(&self) -> Result<Meta, VulnDbError> {
        let schema_version = self
            .meta_value("schema_version")?
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| self.corrupt("meta", "no schema_version"))?;
        let built_at = self.meta_value("built_at")?.unwrap_or_default();
        let mut st = self
            .conn
            .prepare_cached("SELECT name, format, revision, files, records, withdrawn FROM sources ORDER BY name")
            .map_err(|e| self.query_err(e))?;
        let sources = st
            .query_map([], |r| {
                Ok(SourceMeta {
                    name: r.get(0)?,
                    format: r.get(1)?,
                    revision: r.get(2)?,
                    files: r.get(3)?,
                    records: r.get(4)?,
                    withdrawn: r.get(5)?,
                })
            })
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| self.query_err(e))?;
        Ok(Meta {
            schema_version,
            built_at,
            sources,
        })
    }

    /// Every `(namespace, package)` key with advisories, for benchmarks and diagnostics.
    pub fn packages(&self) -> Result<Vec<(String, String)>, VulnDbError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT DISTINCT namespace, package FROM advisories ORDER BY namespace, package",
            )
            .map_err(|e| self.query_err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect::<Result<Vec<_>, _>>);
        rows.map_err(|e| self.query_err(e))
    }
}

/// A `file:` URI naming `path`, opened immutable (see [`VulnDb::open`]).
fn sqlite_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut uri = String::from("file:");
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(absolute.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = absolute.to_string_lossy().replace('\\', "/").into_bytes();
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}
