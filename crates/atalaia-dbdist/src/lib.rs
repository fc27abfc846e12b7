//! The local vulnerability database cache, published to and updated from an OCI registry.
//!
//! ```text
//! db push:   atalaia.db ──zstd──► layer (application/vnd.atalaia.db.layer.v1.sqlite+zstd)
//!                                 + config (the `meta` table) + manifest ──► registry
//! db update: registry ──► manifest (same digest as metadata.json? done) ──► layer blob
//!            ──► <cache>/db/.atalaia-update-PID-layer.zst (sha256 checked) ──► inflate beside
//!            ──► fsync ──► VulnDb::open check ──► rename over atalaia.db ──► fsync dir
//!            ──► metadata.json (write beside, fsync, rename)
//! ```
//!
//! One update at a time per cache directory (an exclusive file lock); scans never take the lock:
//! they open the file read-only, and a rename leaves an open handle on the old file. A killed
//! update leaves at worst temporary files, removed by the next one.
//!
//! [`ensure_db`] is what a scan calls: update unless told not to, and when the update fails but a
//! local copy exists, go on with a [`StaleDatabase`] warning naming its age (an error past
//! `max_age`).
#![deny(missing_docs)]

mod cache;
mod duration;
mod error;
mod push;
mod update;

use std::path::{Path, PathBuf};
use std::time::Duration;

use atalaia_registry::{Client, Reference};
use atalaia_vulndb::VulnDb;

pub use cache::{CacheLock, DbCache, Metadata, DB_FILE, METADATA_FILE};
pub use duration::{format_age, parse_duration};
pub use error::DbDistError;
pub use push::{push, PushOutcome, DEFAULT_LEVEL};
pub use update::{update, Progress, UpdateOptions, UpdateOutcome, MAX_DB_BYTES};

/// The artifact type and config media type of a published database.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.atalaia.db.config.v1+json";
/// The media type of the database layer (a zstd-compressed SQLite file).
pub const LAYER_MEDIA_TYPE: &str = "application/vnd.atalaia.db.layer.v1.sqlite+zstd";
/// Where `db update` pulls from by default (the tag is the schema version).
pub const DEFAULT_REPOSITORY: &str = "ghcr.io/atalaia/atalaia-db";

/// The default repository as a reference, tagged with the schema version.
pub fn default_reference() -> Reference {
    db_reference(
        &DEFAULT_REPOSITORY
            .parse()
            .unwrap_or_else(|_| Reference::new("ghcr.io", "atalaia/atalaia-db", None, None)),
    )
}

/// `reference` with the schema version as tag when it names neither a tag nor a digest.
pub fn db_reference(reference: &Reference) -> Reference {
    if reference.tag().is_none() && reference.digest().is_none() {
        reference.with_tag(atalaia_vulndb::SCHEMA_VERSION.to_string())
    } else {
        reference.clone()
    }
}

/// How [`ensure_db`] behaves (the scan flags).
#[derive(Debug, Clone, Default)]
pub struct EnsureOptions {
    /// `--skip-db-update`: use the local copy as it is.
    pub skip_update: bool,
    /// `--offline-scan`: no network at all.
    pub offline: bool,
    /// `--max-db-age`: when the update fails, a local copy older than this is an error.
    pub max_age: Option<Duration>,
    /// The update's own options.
    pub update: UpdateOptions,
}

/// The update failed; the scan goes on with the local copy.
#[derive(Debug)]
pub struct StaleDatabase {
    /// The local file.
    pub path: PathBuf,
    /// How old its content is (since it was built), when known.
    pub age: Option<Duration>,
    /// Why the update failed.
    pub cause: DbDistError,
}

impl std::fmt::Display for StaleDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not update the vulnerability database: {}",
            chain(&self.cause)
        )?;
        match self.age {
            Some(age) => write!(f, "; using the local copy built {} ago", format_age(age)),
            None => write!(f, "; using the local copy of unknown age"),
        }
    }
}

/// An error and its causes on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// What [`ensure_db`] settled on.
#[derive(Debug)]
pub struct EnsuredDb {
    /// The database file to open.
    pub path: PathBuf,
    /// Set when the update failed and the local copy is used.
    pub warning: Option<StaleDatabase>,
    /// What the update did, when one ran.
    pub outcome: Option<UpdateOutcome>,
}

/// The age of the database at `path` since it was built (from its `meta` table, else the
/// metadata file, else the file's modification time).
pub fn database_age(cache: &DbCache, path: &Path) -> Option<Duration> {
    let built = VulnDb::open(path)
        .and_then(|db| db.meta())
        .ok()
        .map(|m| m.built_at)
        .or_else(|| cache.metadata().map(|m| m.built_at));
    built.and_then(|b| cache::age_of(&b)).or_else(|| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
    })
}

/// Makes sure a database is in `cache_dir` for a scan: updates it from `reference` unless
/// `skip_update` or `offline`; if the update fails and a local copy opens, returns it with a
/// warning (an error when older than `max_age`).
pub fn ensure_db(
    cache_dir: &Path,
    reference: &Reference,
    client: &Client,
    options: &EnsureOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<EnsuredDb, DbDistError> {
    let cache = DbCache::new(cache_dir);
    let path = cache.db_path();
    if options.skip_update || options.offline {
        if !path.is_file() {
            return Err(DbDistError::NoDatabase { path });
        }
        return Ok(EnsuredDb {
            path,
            warning: None,
            outcome: None,
        });
    }
    match update(cache_dir, reference, client, &options.update, progress) {
        Ok(outcome) => Ok(EnsuredDb {
            path,
            warning: None,
            outcome: Some(outcome),
        }),
        Err(cause) => {
            if VulnDb::open(&path).is_err() {
                return Err(cause);
            }
            let age = database_age(&cache, &path);
            if let (Some(max), Some(age)) = (options.max_age, age) {
                if age > max {
                    return Err(DbDistError::TooOld {
                        path,
                        age: format_age(age),
                        max_age: format_age(max),
                        source: Box::new(cause),
                    });
                }
            }
            Ok(EnsuredDb {
                path: path.clone(),
                warning: Some(StaleDatabase { path, age, cause }),
                outcome: None,
            })
        }
    }
}
