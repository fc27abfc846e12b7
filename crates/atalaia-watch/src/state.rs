//! The state store: one SQLite file (WAL) holding images with their zstd-compressed inventories,
//! containers, each image's findings from its last match and the database identity they were
//! matched with, runs, and the outbox of notifications not yet delivered. The schema version is
//! SQLite's `user_version`.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::model::{Notification, RunRecord};
use crate::notify::{self, Delivery, Notifiers, Target};
use crate::WatchError;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

/// The file name of the state store under the cache directory.
pub const STATE_FILE: &str = "watch.db";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE images (
    image_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    inventory BLOB NOT NULL,
    matched_db TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE containers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    image TEXT NOT NULL,
    image_id TEXT NOT NULL,
    exposure TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    gone_at TEXT
);
CREATE TABLE findings (
    image_id TEXT NOT NULL,
    vulnerability_id TEXT NOT NULL,
    pkg_id TEXT NOT NULL,
    installed_version TEXT NOT NULL,
    pkg_name TEXT NOT NULL,
    severity TEXT NOT NULL,
    fixed_version TEXT NOT NULL,
    kev INTEGER NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (image_id, vulnerability_id, pkg_id, installed_version)
) WITHOUT ROWID;
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    db_identity TEXT NOT NULL,
    containers INTEGER NOT NULL,
    images INTEGER NOT NULL,
    scanned INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    new_findings INTEGER NOT NULL,
    fixed_findings INTEGER NOT NULL,
    containers_appeared INTEGER NOT NULL,
    containers_gone INTEGER NOT NULL,
    warnings TEXT NOT NULL
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    delivered_at TEXT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, id);
";

/// A notification waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingNotification {
    /// The outbox entry.
    pub id: i64,
    /// The run whose events it carries.
    pub run: i64,
    /// Where it goes.
    pub target: Target,
    /// Attempts so far, over every run.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// The watch state store.
#[derive(Debug)]
pub struct State {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
}

/// Now, RFC 3339 UTC.
pub(crate) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl State {
    /// Opens (creating it and its directory when missing) the state store at `path`.
    pub fn open(path: &Path) -> Result<State, WatchError> {
        let open_err = |err| WatchError::Open {
            path: path.to_owned(),
            err,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing directory shows up as SQLite's "unable to open" below, naming the file.
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        if version > SCHEMA_VERSION {
            return Err(WatchError::NewerSchema {
                path: path.to_owned(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(open_err)?;
        }
        Ok(State {
            conn,
            path: path.to_owned(),
        })
    }

    /// The state store under a cache directory: `<cache_dir>/watch.db`.
    pub fn open_in(cache_dir: &Path) -> Result<State, WatchError> {
        State::open(&cache_dir.join(STATE_FILE))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sql(
        &self,
        action: impl Into<String>,
    ) -> impl FnOnce(rusqlite::Error) -> WatchError {
        let path = self.path.clone();
        let action = action.into();
        move |err| WatchError::Sql { path, action, err }
    }

    /// The database identity of the last run, if any.
    pub fn last_database(&self) -> Result<Option<String>, WatchError> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'db_identity'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql("read the database identity"))
    }

    /// A value of the state's `meta` table (what the caller keeps between runs, such as when
    /// the vulnerability database was last updated).
    pub fn meta_value(&self, key: &str) -> Result<Option<String>, WatchError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(self.sql(format!("read `{key}`")))
    }

    /// Sets a value of the state's `meta` table.
    pub fn set_meta_value(&self, key: &str, value: &str) -> Result<(), WatchError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
                params![key, value],
            )
            .map_err(self.sql(format!("record `{key}`")))?;
        Ok(())
    }

    /// The number of images stored.
    pub fn image_count(&self) -> Result<i64, WatchError> {
        self.conn
            .query_row("SELECT count(*) FROM images", [], |r| r.get(0))
            .map_err(self.sql("count images"))
    }

    /// The last `limit` runs, newest first.
    pub fn history(&self, limit: usize) -> Result<Vec<RunRecord>, WatchError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, started_at, finished_at, db_identity, containers, images, scanned, matched,
                        new_findings, fixed_findings, containers_appeared, containers_gone, warnings,
                        (SELECT count(*) FROM outbox o WHERE o.run_id = runs.id AND o.delivered_at IS NOT NULL),
                        (SELECT count(*) FROM outbox o WHERE o.run_id = runs.id AND o.delivered_at IS NULL)
                 FROM runs ORDER BY id DESC LIMIT ?1",
            )
            .map_err(self.sql("list runs"))?;
        let rows = st
            .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                let warnings: String = r.get(12)?;
                Ok(RunRecord {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    database: r.get(3)?,
                    containers: r.get(4)?,
                    images: r.get(5)?,
                    scanned: r.get(6)?,
                    matched: r.get(7)?,
                    new_findings: r.get(8)?,
                    fixed_findings: r.get(9)?,
                    containers_appeared: r.get(10)?,
                    containers_gone: r.get(11)?,
                    warnings: serde_json::from_str(&warnings).unwrap_or_default(),
                    notifications_sent: r.get(13)?,
                    notifications_pending: r.get(14)?,
                })
            })
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(self.sql("list runs"))?;
        Ok(rows)
    }

    /// Every notification not yet delivered, oldest first.
    pub fn pending_notifications(&self) -> Result<Vec<PendingNotification>, WatchError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, run_id, kind, url, attempts, last_error FROM outbox
                 WHERE delivered_at IS NULL ORDER BY id",
            )
            .map_err(self.sql("list the outbox"))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(self.sql("list the outbox"))?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, run, kind, url, attempts, last_error)| {
                Some(PendingNotification {
                    id,
                    run,
                    target: Target::from_parts(&kind, url)?,
                    attempts,
                    last_error,
                })
            })
            .collect())
    }

    /// Queues `n` for every target, in the current transaction.
    pub(crate) fn enqueue(
        tx: &rusqlite::Transaction<'_>,
        path: &Path,
        targets: &[Target],
        n: &Notification,
    ) -> Result<(), WatchError> {
        let body = serde_json::to_string(n).map_err(|e| WatchError::Encode {
            what: "notification".into(),
            err: Box::new(e),
        })?;
        let created = now();
        for t in targets {
            tx.execute(
                "INSERT INTO outbox (run_id, kind, url, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![n.run, t.kind(), t.url(), body, created],
            )
            .map_err(|err| WatchError::Sql {
                path: path.to_owned(),
                action: "queue a notification".into(),
                err,
            })?;
        }
        Ok(())
    }

    /// Delivers every pending notification whose target is among `notifiers.targets` (entries
    /// for targets no longer configured stay queued), oldest first. What fails stays in the
    /// outbox with its error, to be sent again next time.
    pub fn deliver_pending(&mut self, notifiers: &Notifiers) -> Result<Vec<Delivery>, WatchError> {
        let pending = self.pending_notifications()?;
        if pending.is_empty() || notifiers.targets.is_empty() {
            return Ok(Vec::new());
        }
        let agent = notify::agent(&notifiers.delivery);
        let mut out = Vec::new();
        for p in pending {
            if !notifiers.targets.contains(&p.target) {
                continue;
            }
            let body: String = self
                .conn
                .query_row("SELECT body FROM outbox WHERE id = ?1", [p.id], |r| {
                    r.get(0)
                })
                .map_err(self.sql("read a notification"))?;
            let n: Notification = serde_json::from_str(&body).map_err(|e| WatchError::Corrupt {
                path: self.path.clone(),
                what: format!("notification {}", p.id),
                err: Box::new(e),
            })?;
            let req = notify::request(&p.target, &n).map_err(|e| WatchError::Encode {
                what: "notification".into(),
                err: Box::new(e),
            })?;
            let (attempts, error) = notify::send(&agent, &p.target, &req, &notifiers.delivery);
            match &error {
                None => self.conn.execute(
                    "UPDATE outbox SET attempts = attempts + ?2, delivered_at = ?3, last_error = NULL WHERE id = ?1",
                    params![p.id, attempts, now()],
                ),
                Some(e) => {
                    tracing::warn!(target = %p.target, error = %e, "notification not delivered; kept for the next run");
                    self.conn.execute(
                        "UPDATE outbox SET attempts = attempts + ?2, last_error = ?3 WHERE id = ?1",
                        params![p.id, attempts, e],
                    )
                }
            }
            .map_err(self.sql("record a delivery"))?;
            out.push(Delivery {
                outbox_id: p.id,
                run: p.run,
                target: p.target,
                attempts,
                error,
            });
        }
        Ok(out)
    }
}
