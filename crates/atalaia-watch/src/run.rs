//! One run of the watchman: scan unseen images, re-match when the database changed, diff,
//! record, notify.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use atalaia_detect::{detect, AdvisoryStore, DetectOptions, Severity};
use atalaia_host::ImageToScan;
use atalaia_types::Inventory;
use atalaia_vulndb::VulnDb;
use rayon::prelude::*;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::model::{
    ContainerEvent, ContainerInfo, ContainerRef, Events, Finding, FindingCounts, ImageFindings,
    Notification,
};
use crate::notify::{Delivery, Notifiers};
use crate::state::{now, State};
use crate::WatchError;

/// Gives the inventory of an image the store has never seen (analysis of the image exported
/// from the daemon). Called at most once per image ID: a stored inventory is never rescanned.
pub trait InventorySource {
    /// The inventory of `image`, or why it cannot be had (recorded as a warning of the run; the
    /// image is tried again next run).
    fn inventory(&mut self, image: &ImageToScan) -> Result<Inventory, String>;
}

impl<F: FnMut(&ImageToScan) -> Result<Inventory, String>> InventorySource for F {
    fn inventory(&mut self, image: &ImageToScan) -> Result<Inventory, String> {
        self(image)
    }
}

/// What a run looks at.
pub struct RunInputs<'a> {
    /// The containers the daemon lists now.
    pub containers: Vec<ContainerInfo>,
    /// The vulnerability database.
    pub store: &'a dyn AdvisoryStore,
    /// The identity of `store` (see [`database_identity`]): when it differs from the one an
    /// image was last matched with, the image's stored inventory is matched again.
    pub database: String,
    /// Detection options (`--ignore-unfixed`, …).
    pub detect: DetectOptions,
}

/// Numbers of one run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunStats {
    /// Containers listed.
    pub containers: usize,
    /// Distinct images among them.
    pub images: usize,
    /// Images scanned (never seen before).
    pub scanned: usize,
    /// Images matched (new ones, and stored ones after a database change).
    pub matched: usize,
    /// Time spent matching (decompressing stored inventories, detection, diff).
    pub match_time: Duration,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunOutcome {
    /// The run's number (see [`State::history`]).
    pub run: i64,
    /// What changed since the last run.
    pub events: Events,
    /// Numbers.
    pub stats: RunStats,
    /// Images that could not be scanned or matched (`image: reason`); tried again next run.
    pub warnings: Vec<String>,
    /// Deliveries attempted in this run: this run's notifications and earlier undelivered ones.
    pub deliveries: Vec<Delivery>,
    /// Notifications still in the outbox after this run.
    pub pending: usize,
}

/// The identity of a vulnerability database: its build time and each source's revision and
/// record count. Any rebuild or update changes it.
pub fn database_identity(db: &VulnDb) -> Result<String, WatchError> {
    let meta = db.meta().map_err(|err| WatchError::DbIdentity {
        path: db.path().to_owned(),
        err,
    })?;
    let mut id = format!("v{} {}", meta.schema_version, meta.built_at);
    for s in &meta.sources {
        id.push_str(&format!(
            " {}@{}:{}",
            s.name,
            s.revision.as_deref().unwrap_or("-"),
            s.records
        ));
    }
    Ok(id)
}

/// Findings of `inventory`, keyed for the diff.
fn findings_of(
    inventory: &Inventory,
    store: &dyn AdvisoryStore,
    opts: &DetectOptions,
) -> Result<BTreeMap<(String, String, String), Finding>, atalaia_detect::DetectError> {
    let report = detect(inventory, store, opts)?;
    let mut out = BTreeMap::new();
    for v in report.vulnerabilities() {
        let pkg_id = if v.pkg_id.is_empty() {
            format!("{}@{}", v.pkg_name, v.installed_version)
        } else {
            v.pkg_id.to_string()
        };
        let f = Finding {
            vulnerability_id: v.vulnerability_id.to_string(),
            pkg_id,
            pkg_name: v.pkg_name.to_string(),
            installed_version: v.installed_version.to_string(),
            fixed_version: v.fixed_version.clone(),
            severity: v.severity,
            kev: v.kev,
            title: v.title.to_string(),
        };
        let key = (
            f.vulnerability_id.clone(),
            f.pkg_id.clone(),
            f.installed_version.clone(),
        );
        out.entry(key).or_insert(f);
    }
    Ok(out)
}

fn sort_findings(v: &mut [Finding]) {
    v.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.severity),
            std::cmp::Reverse(a.kev),
            a.key(),
        )
            .cmp(&(
                std::cmp::Reverse(b.severity),
                std::cmp::Reverse(b.kev),
                b.key(),
            ))
    });
}

struct Tx<'s> {
    tx: Transaction<'s>,
    path: std::path::PathBuf,
}

impl Tx<'_> {
    fn sql(&self, action: &str) -> impl FnOnce(rusqlite::Error) -> WatchError {
        let path = self.path.clone();
        let action = action.to_owned();
        move |err| WatchError::Sql { path, action, err }
    }

    fn stored_findings(
        &self,
        image_id: &str,
    ) -> Result<BTreeMap<(String, String, String), Finding>, WatchError> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT vulnerability_id, pkg_id, installed_version, pkg_name, severity, fixed_version, kev, title
                 FROM findings WHERE image_id = ?1",
            )
            .map_err(self.sql("read findings"))?;
        let rows = st
            .query_map([image_id], |r| {
                Ok(Finding {
                    vulnerability_id: r.get(0)?,
                    pkg_id: r.get(1)?,
                    installed_version: r.get(2)?,
                    pkg_name: r.get(3)?,
                    severity: Severity::from_label(&r.get::<_, String>(4)?)
                        .unwrap_or(Severity::Unknown),
                    fixed_version: r.get(5)?,
                    kev: r.get(6)?,
                    title: r.get(7)?,
                })
            })
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(self.sql("read findings"))?;
        Ok(rows
            .into_iter()
            .map(|f| {
                (
                    (
                        f.vulnerability_id.clone(),
                        f.pkg_id.clone(),
                        f.installed_version.clone(),
                    ),
                    f,
                )
            })
            .collect())
    }

    fn replace_findings(
        &self,
        image_id: &str,
        findings: &BTreeMap<(String, String, String), Finding>,
        database: &str,
    ) -> Result<(), WatchError> {
        self.tx
            .prepare_cached("DELETE FROM findings WHERE image_id = ?1")
            .and_then(|mut st| st.execute([image_id]))
            .map_err(self.sql("replace findings"))?;
        let mut st = self
            .tx
            .prepare_cached(
                "INSERT INTO findings (image_id, vulnerability_id, pkg_id, installed_version, pkg_name,
                                       severity, fixed_version, kev, title)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(self.sql("replace findings"))?;
        for f in findings.values() {
            st.execute(params![
                image_id,
                f.vulnerability_id,
                f.pkg_id,
                f.installed_version,
                f.pkg_name,
                f.severity.as_str(),
                f.fixed_version,
                f.kev,
                f.title
            ])
            .map_err(self.sql("replace findings"))?;
        }
        self.mark_matched(image_id, database)
    }

    fn mark_matched(&self, image_id: &str, database: &str) -> Result<(), WatchError> {
        self.tx
            .prepare_cached("UPDATE images SET matched_db = ?2 WHERE image_id = ?1")
            .and_then(|mut st| st.execute(params![image_id, database]))
            .map_err(self.sql("record the database an image was matched with"))?;
        Ok(())
    }

    fn counts(&self, image_id: &str) -> Result<FindingCounts, WatchError> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT severity, count(*), sum(kev) FROM findings WHERE image_id = ?1 GROUP BY severity",
            )
            .map_err(self.sql("count findings"))?;
        let rows = st
            .query_map([image_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(self.sql("count findings"))?;
        let mut c = FindingCounts::default();
        for (sev, n, kev) in rows {
            c.vulnerabilities
                .insert(sev, u64::try_from(n).unwrap_or_default());
            c.kev += u64::try_from(kev).unwrap_or_default();
        }
        Ok(c)
    }
}

/// Drops what matching never reads from an inventory before it is stored: of the files each
/// OS package installed, detection only asks whether a language package's file (or its
/// application's lockfile or binary) is among them, so only those are kept. The findings of
/// the compacted inventory are the same; the stored blob, and the time to decode it at every
/// re-match, shrink by the file lists (thousands of paths in a Debian image).
pub(crate) fn compact_for_matching(inv: &mut Inventory) {
    let asked: BTreeSet<String> = inv
        .applications
        .iter()
        .flat_map(|app| {
            app.packages.iter().map(move |p| {
                if p.file_path.is_empty() {
                    app.file_path.as_str()
                } else {
                    p.file_path.as_str()
                }
            })
        })
        .filter(|path| !path.is_empty())
        .map(|path| {
            if path.starts_with('/') {
                path.to_owned()
            } else {
                format!("/{path}")
            }
        })
        .collect();
    for db in &mut inv.os_packages {
        for p in &mut db.packages {
            p.installed_files.retain(|f| asked.contains(f));
        }
    }
}

fn compress_inventory(inv: &Inventory) -> Result<Vec<u8>, WatchError> {
    let json = serde_json::to_vec(inv).map_err(|e| WatchError::Encode {
        what: "inventory".into(),
        err: Box::new(e),
    })?;
    zstd::bulk::compress(&json, 3).map_err(|e| WatchError::Encode {
        what: "inventory".into(),
        err: Box::new(e),
    })
}

/// Decodes a stored inventory.
pub(crate) fn decompress_inventory(blob: &[u8]) -> Result<Inventory, String> {
    let json = zstd::stream::decode_all(blob).map_err(|e| format!("zstd: {e}"))?;
    serde_json::from_slice(&json).map_err(|e| format!("JSON: {e}"))
}

/// One run: scans the images never seen (through `source`), matches new images and stored ones
/// whose last match used another database, diffs against the stored findings, records the
/// containers appearing and gone, commits all of it in one transaction (a crash leaves the
/// previous state), queues a notification of the events for every target, then delivers
/// everything pending in the outbox.
pub fn run_once(
    state: &mut State,
    inputs: &RunInputs<'_>,
    source: &mut dyn InventorySource,
    notifiers: &Notifiers,
) -> Result<RunOutcome, WatchError> {
    let started = now();
    let path = state.path.clone();
    let (run, events, stats, warnings) = {
        let begin_err = state.sql("begin a run");
        let tx = state
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(begin_err)?;
        let tx = Tx { tx, path };
        let mut warnings = Vec::new();
        let mut stats = RunStats {
            containers: inputs.containers.len(),
            ..RunStats::default()
        };

        // Images in use, with their containers.
        let mut images: BTreeMap<&str, (&str, Vec<&ContainerInfo>)> = BTreeMap::new();
        for c in &inputs.containers {
            images
                .entry(c.image_id.as_str())
                .or_insert((c.image.as_str(), Vec::new()))
                .1
                .push(c);
        }
        stats.images = images.len();

        // Scan the unseen; pick the stored ones matched with another database.
        let mut fresh: Vec<(&str, Inventory)> = Vec::new();
        let mut stale: Vec<&str> = Vec::new();
        for (&image_id, (name, _)) in &images {
            let stored: Option<Option<String>> = tx
                .tx
                .prepare_cached("SELECT matched_db FROM images WHERE image_id = ?1")
                .and_then(|mut st| st.query_row([image_id], |r| r.get(0)).optional())
                .map_err(tx.sql("read an image"))?;
            match stored {
                Some(matched) => {
                    tx.tx
                        .prepare_cached(
                            "UPDATE images SET last_seen = ?2, name = ?3 WHERE image_id = ?1",
                        )
                        .and_then(|mut st| st.execute(params![image_id, started, name]))
                        .map_err(tx.sql("update an image"))?;
                    if matched.as_deref() != Some(inputs.database.as_str()) {
                        stale.push(image_id);
                    }
                }
                None => {
                    let scan = ImageToScan {
                        image_id: image_id.to_owned(),
                        name: (*name).to_owned(),
                    };
                    match source.inventory(&scan) {
                        Ok(mut inv) => {
                            stats.scanned += 1;
                            compact_for_matching(&mut inv);
                            let blob = compress_inventory(&inv)?;
                            tx.tx
                                .execute(
                                    "INSERT INTO images (image_id, name, inventory, matched_db, first_seen, last_seen)
                                     VALUES (?1, ?2, ?3, NULL, ?4, ?4)",
                                    params![image_id, name, blob, started],
                                )
                                .map_err(tx.sql("store an inventory"))?;
                            fresh.push((image_id, inv));
                        }
                        Err(e) => {
                            tracing::warn!(image = %name, %image_id, error = %e, "image not scanned");
                            warnings.push(format!("{name} ({image_id}): {e}"));
                        }
                    }
                }
            }
        }

        // Re-match: stored inventories decoded in parallel, detection in order.
        let t0 = Instant::now();
        let mut blobs = Vec::with_capacity(stale.len());
        for &image_id in &stale {
            let blob: Vec<u8> = tx
                .tx
                .prepare_cached("SELECT inventory FROM images WHERE image_id = ?1")
                .and_then(|mut st| st.query_row([image_id], |r| r.get(0)))
                .map_err(tx.sql("read an inventory"))?;
            blobs.push((image_id, blob));
        }
        let decoded: Vec<(&str, Result<Inventory, String>)> = blobs
            .into_par_iter()
            .map(|(id, blob)| (id, decompress_inventory(&blob)))
            .collect();
        let mut to_match: Vec<(&str, Inventory)> = fresh;
        for (id, inv) in decoded {
            match inv {
                Ok(inv) => to_match.push((id, inv)),
                Err(e) => {
                    return Err(WatchError::Corrupt {
                        path: tx.path.clone(),
                        what: format!("inventory of image `{id}`"),
                        err: e.into(),
                    })
                }
            }
        }
        let mut events = Events::default();
        for (image_id, inv) in &to_match {
            let (name, containers) = &images[image_id];
            let current = match findings_of(inv, inputs.store, &inputs.detect) {
                Ok(f) => f,
                Err(e) => {
                    warnings.push(format!("{name} ({image_id}): matching failed: {e}"));
                    continue;
                }
            };
            stats.matched += 1;
            let before = tx.stored_findings(image_id)?;
            let mut new: Vec<Finding> = current
                .iter()
                .filter(|(k, _)| !before.contains_key(*k))
                .map(|(_, f)| f.clone())
                .collect();
            let mut fixed: Vec<Finding> = before
                .iter()
                .filter(|(k, _)| !current.contains_key(*k))
                .map(|(_, f)| f.clone())
                .collect();
            if current == before {
                tx.mark_matched(image_id, &inputs.database)?;
            } else {
                tx.replace_findings(image_id, &current, &inputs.database)?;
            }
            let mut refs: Vec<ContainerRef> = containers
                .iter()
                .map(|c| ContainerRef {
                    id: c.id.clone(),
                    name: c.name.clone(),
                })
                .collect();
            refs.sort();
            for (list, out) in [
                (&mut new, &mut events.new_findings),
                (&mut fixed, &mut events.fixed_findings),
            ] {
                if !list.is_empty() {
                    sort_findings(list);
                    out.push(ImageFindings {
                        image_id: (*image_id).to_owned(),
                        image: (*name).to_owned(),
                        containers: refs.clone(),
                        findings: std::mem::take(list),
                    });
                }
            }
        }
        stats.match_time = t0.elapsed();

        // Containers appearing and gone.
        let known: BTreeMap<String, bool> = {
            let mut st = tx
                .tx
                .prepare("SELECT id, gone_at IS NOT NULL FROM containers")
                .map_err(tx.sql("list containers"))?;
            let rows = st
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))
                .and_then(Iterator::collect::<Result<BTreeMap<_, _>, _>>)
                .map_err(tx.sql("list containers"))?;
            rows
        };
        let mut current_ids = BTreeSet::new();
        for c in &inputs.containers {
            current_ids.insert(c.id.as_str());
            let exposure = serde_json::to_string(&c.exposure).map_err(|e| WatchError::Encode {
                what: "exposure".into(),
                err: Box::new(e),
            })?;
            match known.get(&c.id) {
                Some(false) => {
                    tx.tx
                        .execute(
                            "UPDATE containers SET name = ?2, image = ?3, exposure = ?4, last_seen = ?5 WHERE id = ?1",
                            params![c.id, c.name, c.image, exposure, started],
                        )
                        .map_err(tx.sql("update a container"))?;
                }
                seen => {
                    let first_seen = seen.is_none().then(|| started.clone());
                    tx.tx
                        .execute(
                            "INSERT INTO containers (id, name, image, image_id, exposure, first_seen, last_seen, gone_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, NULL)
                             ON CONFLICT (id) DO UPDATE SET name = ?2, image = ?3, image_id = ?4, exposure = ?5,
                                 last_seen = ?6, gone_at = NULL",
                            params![c.id, c.name, c.image, c.image_id, exposure, first_seen.as_ref().unwrap_or(&started)],
                        )
                        .map_err(tx.sql("record a container"))?;
                    events.containers_appeared.push(ContainerEvent {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        image: c.image.clone(),
                        image_id: c.image_id.clone(),
                        exposed: c.exposure.network_exposed(),
                        exposure: c.exposure.clone(),
                        findings: tx.counts(&c.image_id)?,
                    });
                }
            }
        }
        for (id, gone) in &known {
            if *gone || current_ids.contains(id.as_str()) {
                continue;
            }
            let (name, image, image_id, exposure): (String, String, String, String) = tx
                .tx
                .query_row(
                    "SELECT name, image, image_id, exposure FROM containers WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .map_err(tx.sql("read a container"))?;
            tx.tx
                .execute(
                    "UPDATE containers SET gone_at = ?2 WHERE id = ?1",
                    params![id, started],
                )
                .map_err(tx.sql("record a container gone"))?;
            let exposure: atalaia_host::Exposure =
                serde_json::from_str(&exposure).unwrap_or_default();
            events.containers_gone.push(ContainerEvent {
                id: id.clone(),
                name,
                image,
                image_id,
                exposed: exposure.network_exposed(),
                exposure,
                findings: FindingCounts::default(),
            });
        }
        events
            .containers_appeared
            .sort_by(|a, b| (!a.exposed, &a.name, &a.id).cmp(&(!b.exposed, &b.name, &b.id)));
        events
            .containers_gone
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));

        tx.tx
            .execute(
                "INSERT INTO meta (key, value) VALUES ('db_identity', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = ?1",
                [&inputs.database],
            )
            .map_err(tx.sql("record the database identity"))?;
        let to_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        tx.tx
            .execute(
                "INSERT INTO runs (started_at, finished_at, db_identity, containers, images, scanned, matched,
                                   new_findings, fixed_findings, containers_appeared, containers_gone, warnings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    started,
                    now(),
                    inputs.database,
                    to_i64(stats.containers),
                    to_i64(stats.images),
                    to_i64(stats.scanned),
                    to_i64(stats.matched),
                    to_i64(events.new_finding_count()),
                    to_i64(events.fixed_finding_count()),
                    to_i64(events.containers_appeared.len()),
                    to_i64(events.containers_gone.len()),
                    serde_json::to_string(&warnings).unwrap_or_else(|_| "[]".into()),
                ],
            )
            .map_err(tx.sql("record the run"))?;
        let run = tx.tx.last_insert_rowid();
        if !events.is_empty() && !notifiers.targets.is_empty() {
            let n = Notification {
                run,
                time: started.clone(),
                database: inputs.database.clone(),
                events: events.clone(),
            };
            State::enqueue(&tx.tx, &tx.path, &notifiers.targets, &n)?;
        }
        let Tx { tx, path } = tx;
        tx.commit().map_err(|err| WatchError::Sql {
            path,
            action: "commit the run".into(),
            err,
        })?;
        (run, events, stats, warnings)
    };

    let deliveries = state.deliver_pending(notifiers)?;
    let pending = state.pending_notifications()?.len();
    Ok(RunOutcome {
        run,
        events,
        stats,
        warnings,
        deliveries,
        pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_types::{Application, Ecosystem, OsPackageDb, Package, Purl};

    #[test]
    fn compaction_keeps_only_the_installed_files_detection_asks_about() {
        let mut deb = Package::new(
            Ecosystem::Deb,
            "python3-requests",
            "2.28.1-1",
            Purl::new("deb", "debian", "python3-requests", "2.28.1-1"),
        );
        deb.installed_files = vec![
            "/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO".into(),
            "/usr/lib/python3/dist-packages/requests/__init__.py".into(),
            "/usr/share/doc/python3-requests/copyright".into(),
            "/app/bin/tool".into(),
        ];
        let mut requests = Package::new(
            Ecosystem::PyPI,
            "requests",
            "2.28.1",
            Purl::new("pypi", "", "requests", "2.28.1"),
        );
        requests.file_path =
            "usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO".into();
        let tool = Package::new(
            Ecosystem::Go,
            "example.com/tool",
            "v1.0.0",
            Purl::new("golang", "example.com", "tool", "v1.0.0"),
        );
        let mut inv = Inventory {
            os_packages: vec![OsPackageDb {
                file_path: "/var/lib/dpkg/status".into(),
                packages: vec![deb],
            }],
            applications: vec![
                Application {
                    app_type: "python-pkg".into(),
                    file_path: String::new(),
                    packages: vec![requests],
                },
                Application {
                    app_type: "gobinary".into(),
                    file_path: "/app/bin/tool".into(),
                    packages: vec![tool],
                },
            ],
            ..Inventory::default()
        };
        compact_for_matching(&mut inv);
        assert_eq!(
            inv.os_packages[0].packages[0].installed_files,
            [
                "/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO",
                "/app/bin/tool"
            ]
        );
        // Without applications nothing is asked: every list empties.
        inv.applications.clear();
        compact_for_matching(&mut inv);
        assert!(inv.os_packages[0].packages[0].installed_files.is_empty());
    }
}
