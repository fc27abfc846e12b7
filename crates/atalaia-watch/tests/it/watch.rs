//! Runs of the watchman: first run, nothing changed, database rebuilt, container removed,
//! receiver down, crash mid-run, corrupt state, history.

use std::cell::Cell;
use std::path::PathBuf;
use std::time::Duration;

use atalaia_host::{Exposure, ImageToScan, Port};
use atalaia_types::{Application, Ecosystem, Inventory, Package, Purl};
use atalaia_vulndb::{build, BuildOptions, VulnDb};
use atalaia_watch::{
    database_identity, run_once, ContainerInfo, DeliveryOptions, Notifiers, RunInputs, RunOutcome,
    State, Target, WatchError,
};

use crate::receiver::{free_port, Receiver};

fn osv(id: &str, cve: &str, package: &str, fixed: &str) -> String {
    serde_json::json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2026-01-01T00:00:00Z",
        "published": "2026-01-01T00:00:00Z",
        "aliases": [cve],
        "summary": format!("{package} is vulnerable"),
        "affected": [{
            "package": {"ecosystem": "PyPI", "name": package},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]
        }],
        "database_specific": {"severity": "HIGH"}
    })
    .to_string()
}

/// A database built from the OSV records `records` (`(id, cve, package, fixed)`).
struct Db {
    dir: tempfile::TempDir,
    generation: Cell<u32>,
}

impl Db {
    fn new() -> Db {
        Db {
            dir: tempfile::tempdir().unwrap(),
            generation: Cell::new(0),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("atalaia.db")
    }

    /// (Re)builds the database from `records`, as `atalaia db build` does.
    fn build(&self, records: &[(&str, &str, &str, &str)]) -> VulnDb {
        let g = self.generation.get() + 1;
        self.generation.set(g);
        let feed = self.dir.path().join(format!("feed-{g}")).join("pypa");
        std::fs::create_dir_all(&feed).unwrap();
        for (id, cve, pkg, fixed) in records {
            std::fs::write(feed.join(format!("{id}.json")), osv(id, cve, pkg, fixed)).unwrap();
        }
        let summary = build(
            &[feed],
            &self.path(),
            &BuildOptions::new().built_at(format!("2026-01-0{g}T00:00:00Z")),
        )
        .expect("build the test database");
        assert_eq!(summary.advisories, records.len() as u64, "{summary:?}");
        VulnDb::open(&self.path()).unwrap()
    }
}

fn pypi(name: &str, version: &str) -> Package {
    Package::new(
        Ecosystem::PyPI,
        name,
        version,
        Purl::new("pypi", "", name, version),
    )
}

fn inventory(pkgs: &[(&str, &str)]) -> Inventory {
    Inventory {
        applications: vec![Application {
            app_type: "python-pkg".into(),
            file_path: String::new(),
            packages: pkgs.iter().map(|(n, v)| pypi(n, v)).collect(),
        }],
        ..Inventory::default()
    }
}

/// The images of the test host: `sha256:aa` (django 3.2 + requests 2.0), `sha256:bb` (flask 1.0).
fn image_inventory(image: &ImageToScan) -> Result<Inventory, String> {
    match image.image_id.as_str() {
        "sha256:aa" => Ok(inventory(&[("django", "3.2"), ("requests", "2.0")])),
        "sha256:bb" => Ok(inventory(&[("flask", "1.0")])),
        other => Err(format!("no such image `{other}`")),
    }
}

fn container(id: &str, name: &str, image_id: &str, exposed: bool) -> ContainerInfo {
    ContainerInfo {
        id: id.into(),
        name: name.into(),
        image: format!("img-{image_id}"),
        image_id: image_id.into(),
        exposure: Exposure {
            ports: if exposed {
                vec![Port {
                    host_ip: "0.0.0.0".into(),
                    host_port: "8080".into(),
                    container_port: 80,
                    protocol: "tcp".into(),
                }]
            } else {
                Vec::new()
            },
            ..Exposure::default()
        },
    }
}

fn fast(targets: Vec<Target>) -> Notifiers {
    Notifiers {
        targets,
        delivery: DeliveryOptions {
            attempts: 2,
            initial_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(5),
        },
    }
}

/// Runs once; returns the outcome and how many images were scanned through the callback.
fn run(
    state: &mut State,
    db: &VulnDb,
    containers: &[ContainerInfo],
    n: &Notifiers,
) -> (RunOutcome, usize) {
    let scans = Cell::new(0);
    let mut source = |i: &ImageToScan| {
        scans.set(scans.get() + 1);
        image_inventory(i)
    };
    let inputs = RunInputs {
        containers: containers.to_vec(),
        store: db,
        database: database_identity(db).unwrap(),
        detect: atalaia_detect::DetectOptions::default(),
    };
    let out = run_once(state, &inputs, &mut source, n).expect("run");
    (out, scans.get())
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for img in v.as_array().unwrap() {
        for f in img["Findings"].as_array().unwrap() {
            out.push(format!(
                "{} {} {}",
                img["ImageID"].as_str().unwrap(),
                f["VulnerabilityID"].as_str().unwrap(),
                f["PkgName"].as_str().unwrap()
            ));
        }
    }
    out
}

#[test]
fn r10_new_then_nothing_then_db_change_then_container_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::new();
    let v1 = db.build(&[("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1")]);
    let rx = Receiver::start(0);
    let n = fast(vec![Target::Webhook(rx.url("/hook"))]);
    let mut state = State::open_in(tmp.path()).unwrap();
    let web = container("c1", "web", "sha256:aa", true);
    let worker = container("c2", "worker", "sha256:bb", false);
    let all = [web.clone(), worker.clone()];

    // First run: everything is new.
    let (out, scanned) = run(&mut state, &v1, &all, &n);
    assert_eq!(scanned, 2);
    assert_eq!(out.stats.matched, 2);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let got = rx.take();
    assert_eq!(got.len(), 1, "one notification per run");
    assert_eq!(got[0].path, "/hook");
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let body = got[0].json();
    assert_eq!(
        ids(&body["NewFindings"]),
        ["sha256:aa CVE-2099-0001 django"]
    );
    let f = &body["NewFindings"][0];
    assert_eq!(f["Containers"][0]["Name"], "web");
    assert_eq!(f["Findings"][0]["FixedVersion"], "3.2.1");
    assert_eq!(f["Findings"][0]["Severity"], "HIGH");
    let appeared: Vec<(&str, bool)> = body["ContainersAppeared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["Name"].as_str().unwrap(), c["Exposed"].as_bool().unwrap()))
        .collect();
    assert_eq!(appeared, [("web", true), ("worker", false)]);
    assert_eq!(
        body["ContainersAppeared"][0]["Findings"]["Vulnerabilities"]["HIGH"],
        1
    );
    assert_eq!(out.deliveries.len(), 1);
    assert!(out.deliveries[0].delivered());
    assert_eq!(out.pending, 0);

    // Second run, nothing changed: no scan, no match, no notification.
    let (out, scanned) = run(&mut state, &v1, &all, &n);
    assert_eq!((scanned, out.stats.matched), (0, 0));
    assert!(out.events.is_empty(), "{:?}", out.events);
    assert!(rx.take().is_empty());

    // The database is rebuilt with one more advisory, on flask: stored inventories are matched
    // again (no rescan) and exactly that finding is notified.
    drop(v1);
    let v2 = db.build(&[
        ("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1"),
        ("PYSEC-2099-2", "CVE-2099-0002", "flask", "2.0"),
    ]);
    let (out, scanned) = run(&mut state, &v2, &all, &n);
    assert_eq!(scanned, 0, "a stored inventory is never rescanned");
    assert_eq!(out.stats.matched, 2);
    let got = rx.take();
    assert_eq!(got.len(), 1);
    let body = got[0].json();
    assert_eq!(ids(&body["NewFindings"]), ["sha256:bb CVE-2099-0002 flask"]);
    assert_eq!(body["NewFindings"][0]["Containers"][0]["Name"], "worker");
    assert_eq!(body["FixedFindings"], serde_json::json!([]));
    assert_eq!(body["ContainersAppeared"], serde_json::json!([]));

    // A container is removed: reported once.
    let (out, _) = run(&mut state, &v2, std::slice::from_ref(&web), &n);
    assert_eq!(out.events.containers_gone.len(), 1);
    let got = rx.take();
    assert_eq!(got.len(), 1);
    let body = got[0].json();
    assert_eq!(body["ContainersGone"][0]["Name"], "worker");
    assert_eq!(body["NewFindings"], serde_json::json!([]));
    let (out, _) = run(&mut state, &v2, std::slice::from_ref(&web), &n);
    assert!(out.events.is_empty());
    assert!(rx.take().is_empty());

    // The fix is out: a database where django's advisory is withdrawn reports it fixed.
    drop(v2);
    let v3 = db.build(&[("PYSEC-2099-2", "CVE-2099-0002", "flask", "2.0")]);
    let (out, _) = run(&mut state, &v3, &[web], &n);
    assert_eq!(out.events.fixed_finding_count(), 1);
    assert_eq!(out.events.new_finding_count(), 0);
    assert_eq!(rx.take().len(), 1);

    // History, newest first.
    let h = state.history(10).unwrap();
    assert_eq!(h.len(), 6);
    assert_eq!(h[0].fixed_findings, 1);
    assert_eq!(h[3].new_findings, 1);
    assert_eq!(h[5].new_findings, 1);
    assert_eq!(h[5].containers_appeared, 2);
    assert_eq!(h[5].scanned, 2);
    assert_eq!(h[5].notifications_sent, 1);
    assert_eq!(h[4].notifications_sent, 0);
    assert!(h.iter().all(|r| r.notifications_pending == 0));
}

#[test]
fn r10_receiver_down_then_delivered_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::new();
    let v1 = db.build(&[("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1")]);
    let port = free_port();
    let n = fast(vec![Target::Webhook(format!(
        "http://127.0.0.1:{port}/hook"
    ))]);
    let mut state = State::open_in(tmp.path()).unwrap();
    let all = [container("c1", "web", "sha256:aa", true)];

    // Nothing listens: the notification stays in the outbox.
    let (out, _) = run(&mut state, &v1, &all, &n);
    assert_eq!(out.deliveries.len(), 1);
    assert_eq!(out.deliveries[0].attempts, 2, "retried");
    assert!(out.deliveries[0].error.is_some());
    assert_eq!(out.pending, 1);
    let pending = state.pending_notifications().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 2);
    assert_eq!(state.history(1).unwrap()[0].notifications_pending, 1);

    // The receiver is back; nothing new happened, but the kept notification is delivered.
    let rx = Receiver::start(port);
    let (out, _) = run(&mut state, &v1, &all, &n);
    assert!(out.events.is_empty());
    assert_eq!(out.deliveries.len(), 1);
    assert!(out.deliveries[0].delivered());
    assert_eq!(out.pending, 0);
    let got = rx.take();
    assert_eq!(got.len(), 1);
    let body = got[0].json();
    assert_eq!(body["Run"], 1);
    assert_eq!(
        ids(&body["NewFindings"]),
        ["sha256:aa CVE-2099-0001 django"]
    );
    let h = state.history(10).unwrap();
    assert_eq!(
        (h[1].notifications_sent, h[1].notifications_pending),
        (1, 0)
    );

    // Delivered once only.
    let (out, _) = run(&mut state, &v1, &all, &n);
    assert!(out.deliveries.is_empty());
    assert!(rx.take().is_empty());
}

#[test]
fn slack_and_ntfy_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::new();
    let v1 = db.build(&[("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1")]);
    let rx = Receiver::start(0);
    let n = fast(vec![
        Target::Slack(rx.url("/slack")),
        Target::Ntfy(rx.url("/atalaia-topic")),
    ]);
    let mut state = State::open_in(tmp.path()).unwrap();
    run(
        &mut state,
        &v1,
        &[container("c1", "web", "sha256:aa", true)],
        &n,
    );
    let mut got = rx.take();
    got.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(got.len(), 2);
    let ntfy = &got[0];
    assert_eq!(ntfy.path, "/atalaia-topic");
    assert_eq!(
        ntfy.header("title"),
        Some("atalaia watch: 1 new finding, 0 fixed, 1 container appeared (1 exposed), 0 gone")
    );
    assert_eq!(ntfy.header("priority"), Some("high"));
    assert_eq!(ntfy.header("tags"), Some("rotating_light,whale"));
    assert!(
        ntfy.body
            .contains("- img-sha256:aa (in web): CVE-2099-0001 HIGH django 3.2 -> 3.2.1"),
        "{}",
        ntfy.body
    );
    assert!(
        ntfy.body
            .contains("- web (img-sha256:aa) EXPOSED: 8080->80/tcp [HIGH 1]"),
        "{}",
        ntfy.body
    );
    let slack = &got[1];
    assert_eq!(slack.path, "/slack");
    let text = slack.json()["text"].as_str().unwrap().to_owned();
    assert!(text.starts_with("atalaia watch: 1 new finding"), "{text}");
    assert!(
        text.contains("*CVE-2099-0001* HIGH django 3.2 -> 3.2.1"),
        "{text}"
    );
}

#[test]
fn a_run_that_dies_midway_leaves_the_previous_state() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::new();
    let v1 = db.build(&[("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1")]);
    let mut state = State::open_in(tmp.path()).unwrap();
    let all = [
        container("c1", "web", "sha256:aa", true),
        container("c2", "worker", "sha256:bb", false),
    ];
    let inputs = RunInputs {
        containers: all.to_vec(),
        store: &v1,
        database: database_identity(&v1).unwrap(),
        detect: atalaia_detect::DetectOptions::default(),
    };
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut source = |i: &ImageToScan| {
            if i.image_id == "sha256:bb" {
                panic!("killed while scanning");
            }
            image_inventory(i)
        };
        run_once(&mut state, &inputs, &mut source, &Notifiers::default())
    }));
    assert!(crashed.is_err());
    assert_eq!(state.image_count().unwrap(), 0);
    assert!(state.history(10).unwrap().is_empty());
    // The next run starts from the previous (empty) state: everything is new.
    let (out, scanned) = run(&mut state, &v1, &all, &Notifiers::default());
    assert_eq!(scanned, 2);
    assert_eq!(out.events.new_finding_count(), 1);
    assert_eq!(out.events.containers_appeared.len(), 2);
}

#[test]
fn an_image_that_cannot_be_scanned_is_a_warning_and_is_tried_again() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::new();
    let v1 = db.build(&[("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1")]);
    let mut state = State::open_in(tmp.path()).unwrap();
    let all = [container("c9", "odd", "sha256:zz", false)];
    let (out, scanned) = run(&mut state, &v1, &all, &Notifiers::default());
    assert_eq!(scanned, 1);
    assert_eq!(out.warnings.len(), 1);
    assert!(
        out.warnings[0].contains("no such image `sha256:zz`"),
        "{:?}",
        out.warnings
    );
    assert_eq!(out.events.containers_appeared.len(), 1);
    let (out, scanned) = run(&mut state, &v1, &all, &Notifiers::default());
    assert_eq!(scanned, 1, "tried again");
    assert_eq!(state.history(1).unwrap()[0].warnings, out.warnings);
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!("\n  Caused by: {c}"));
        cur = c.source();
    }
    s
}

#[test]
fn corrupt_state_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    // Not a database.
    let bad = tmp.path().join("bad.db");
    std::fs::write(&bad, b"this is not an SQLite file, not at all, no header").unwrap();
    let e = State::open(&bad).unwrap_err();
    assert!(matches!(e, WatchError::Open { .. }), "{e:?}");
    assert!(chain(&e).contains("bad.db"), "{}", chain(&e));

    // A newer schema.
    let newer = tmp.path().join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(
        State::open(&newer).unwrap_err(),
        WatchError::NewerSchema { found: 99, .. }
    ));

    // A stored inventory damaged: the re-match after a database change says which.
    let db = Db::new();
    let v1 = db.build(&[("PYSEC-2099-1", "CVE-2099-0001", "django", "3.2.1")]);
    let path = tmp.path().join("watch.db");
    let mut state = State::open(&path).unwrap();
    let all = [container("c1", "web", "sha256:aa", true)];
    run(&mut state, &v1, &all, &Notifiers::default());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE images SET inventory = x'28b52ffd00' ", [])
        .unwrap();
    drop(v1);
    let v2 = db.build(&[("PYSEC-2099-2", "CVE-2099-0002", "flask", "2.0")]);
    let inputs = RunInputs {
        containers: all.to_vec(),
        store: &v2,
        database: database_identity(&v2).unwrap(),
        detect: atalaia_detect::DetectOptions::default(),
    };
    let e = run_once(
        &mut state,
        &inputs,
        &mut image_inventory,
        &Notifiers::default(),
    )
    .unwrap_err();
    let text = chain(&e);
    assert!(text.contains("inventory of image `sha256:aa`"), "{text}");
    assert!(text.contains("watch.db"), "{text}");
    // Nothing of the failed run was kept.
    assert_eq!(state.history(10).unwrap().len(), 1);
}
