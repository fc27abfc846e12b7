//! `atalaia watch` end to end (issue #10): a `dockerd` of its own (so other tests' containers do
//! not come and go under it), a database built with `atalaia db build` from a small feed the
//! test writes, and a webhook receiver on 127.0.0.1. Skipped with a note when `dockerd` cannot
//! run here; failing under `CI`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use atalaia_daemon::testing::{Engine, TestDaemon};
use serde_json::Value;

use crate::{command, stderr};

/// A `dockerd` for the watch tests only (see the module doc).
#[allow(clippy::print_stderr)] // the skip note goes to the test log
fn daemon() -> Option<&'static TestDaemon> {
    static CELL: OnceLock<Option<TestDaemon>> = OnceLock::new();
    CELL.get_or_init(|| match TestDaemon::start(Engine::Docker) {
        Ok(d) => Some(d),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but dockerd cannot start here: {e} (run .ci/deps/daemon.sh as root)"
            );
            eprintln!("note: skipping, dockerd cannot start here: {e}");
            None
        }
    })
    .as_ref()
}

fn docker(d: &TestDaemon, args: &[&str]) -> String {
    d.docker(args)
        .unwrap_or_else(|e| panic!("{e}\n{}", d.log()))
}

/// One request received by [`Receiver`].
#[derive(Debug, Clone)]
struct Received {
    path: String,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A webhook receiver on 127.0.0.1 that records each request and answers 200.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Listens on `port` (0: any free port).
    fn start(port: u16) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the receiver");
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&got);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                handle(stream, &sink);
            }
        });
        Receiver { port, got }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Takes what was received so far.
    fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.got.lock().unwrap())
    }
}

/// Reads one request, records it, then answers 200: recorded before the sender sees the answer,
/// so a test that takes after its command returned never misses it.
fn handle(stream: TcpStream, sink: &Mutex<Vec<Received>>) -> Option<()> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':')?;
        if n.eq_ignore_ascii_case("content-length") {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    sink.lock().unwrap().push(Received {
        path,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let mut stream = stream;
    stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .ok()
}

/// A port nothing listens on (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The feed of the test database: Debian tracker JSON for bookworm and an Alpine secdb for
/// 3.20, with advisories on packages of the corpus images `debian-bookworm-minbase` (bash
/// 5.2.15-2, coreutils 9.1-1) and `alpine-3.20.3` (zlib 1.3.1-r1). `extra` adds one on coreutils.
fn write_feed(dir: &Path, extra: bool) -> Vec<PathBuf> {
    let debian = dir.join("debian");
    let alpine = dir.join("alpine");
    std::fs::create_dir_all(&debian).unwrap();
    std::fs::create_dir_all(&alpine).unwrap();
    let release = |fixed: &str| {
        serde_json::json!({"releases": {"bookworm": {
            "status": "resolved",
            "repositories": {"bookworm": fixed},
            "fixed_version": fixed,
            "urgency": "high"
        }}, "description": "a test advisory"})
    };
    let mut tracker = serde_json::json!({
        "bash": {"CVE-2099-1001": release("5.2.15-3")}
    });
    if extra {
        tracker["coreutils"] = serde_json::json!({"CVE-2099-1002": release("9.1-2")});
    }
    std::fs::write(debian.join("debian.json"), tracker.to_string()).unwrap();
    let secdb = serde_json::json!({
        "distroversion": "v3.20",
        "reponame": "main",
        "urlprefix": "https://dl-cdn.alpinelinux.org/alpine",
        "apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
        "archs": ["x86_64"],
        "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.3.1-r2": ["CVE-2099-2001"]}}}]
    });
    std::fs::write(alpine.join("v3.20-main.json"), secdb.to_string()).unwrap();
    vec![debian, alpine]
}

/// `atalaia db build` of the feed into `db`.
fn build_db(dir: &Path, db: &Path, extra: bool, built_at: &str) {
    let feed = dir.join(if extra { "feed-2" } else { "feed-1" });
    let mut args = vec!["db".to_owned(), "build".to_owned()];
    for f in write_feed(&feed, extra) {
        args.push("--from".into());
        args.push(f.display().to_string());
    }
    args.extend([
        "--output".into(),
        db.display().to_string(),
        "--built-at".into(),
        built_at.into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = command(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// The common flags of a watch cycle.
struct Watch {
    host: String,
    db: PathBuf,
    state: PathBuf,
    cache: PathBuf,
}

impl Watch {
    fn args(&self) -> Vec<String> {
        vec![
            "watch".into(),
            "--docker-host".into(),
            self.host.clone(),
            "--db".into(),
            self.db.display().to_string(),
            "--state".into(),
            self.state.display().to_string(),
            "--cache-dir".into(),
            self.cache.display().to_string(),
        ]
    }

    /// `watch --once --all --format json` with `extra` flags; the cycle's outcome (stdout).
    fn once(&self, extra: &[&str]) -> (Value, Output) {
        let mut args = self.args();
        args.extend(
            [
                "--once",
                "--all",
                "--format",
                "json",
                "--notify-attempts",
                "2",
            ]
            .map(String::from),
        );
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = command(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let outcome = serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is one JSON line ({e}): {stdout}"));
        (outcome, out)
    }

    fn history(&self) -> Value {
        let out = command(&[
            "watch",
            "--history",
            "--format",
            "json",
            "--state",
            self.state.to_str().unwrap(),
        ])
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// `IMAGE VULN PKG` of each finding of `NewFindings`/`FixedFindings`, with the image's
/// containers, sorted.
fn findings(groups: &Value) -> Vec<String> {
    let mut out: Vec<String> = groups
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            let names: Vec<&str> = g["Containers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["Name"].as_str().unwrap())
                .collect();
            g["Findings"].as_array().unwrap().iter().map(move |f| {
                format!(
                    "{} [{}] {} {}",
                    g["Image"].as_str().unwrap(),
                    names.join(","),
                    f["VulnerabilityID"].as_str().unwrap(),
                    f["PkgName"].as_str().unwrap()
                )
            })
        })
        .collect();
    out.sort();
    out
}

fn names(events: &Value) -> Vec<String> {
    let mut v: Vec<String> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn r10_watch_notifies_only_what_is_new() {
    let Some(d) = daemon() else { return };
    d.load_corpus("alpine-3.20.3")
        .unwrap_or_else(|e| panic!("{e}\n{}", d.log()));
    d.load_corpus("debian-bookworm-minbase")
        .unwrap_or_else(|e| panic!("{e}\n{}", d.log()));
    for name in ["watchcli-app", "watchcli-public", "watchcli-late"] {
        let _ = d.docker(&["rm", "-f", name]);
    }
    docker(
        d,
        &[
            "run",
            "-d",
            "--name",
            "watchcli-app",
            "--network",
            "none",
            "--init",
            "corpus/debian-bookworm-minbase",
            "sleep",
            "600",
        ],
    );
    docker(
        d,
        &[
            "create",
            "--name",
            "watchcli-public",
            "-p",
            "0.0.0.0:8090:80",
            "--privileged",
            "corpus/alpine-3.20.3",
        ],
    );
    let tmp = tempfile::tempdir().unwrap();
    let w = Watch {
        host: d.host(),
        db: tmp.path().join("atalaia.db"),
        state: tmp.path().join("state/watch.db"),
        cache: tmp.path().join("cache"),
    };
    build_db(tmp.path(), &w.db, false, "2026-01-01T00:00:00Z");
    let rx = Receiver::start(0);
    let hook = rx.url();

    // First run: every finding and every container is new.
    let (outcome, _) = w.once(&["--webhook", &hook]);
    assert_eq!(outcome["Stats"]["Scanned"], 2, "{outcome}");
    let got = rx.take();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].path, "/hook");
    let body = got[0].json();
    assert_eq!(
        findings(&body["NewFindings"]),
        [
            "corpus/alpine-3.20.3 [watchcli-public] CVE-2099-2001 zlib",
            "corpus/debian-bookworm-minbase [watchcli-app] CVE-2099-1001 bash",
        ],
        "{body}"
    );
    assert_eq!(
        names(&body["ContainersAppeared"]),
        ["watchcli-app", "watchcli-public"]
    );
    let public = body["ContainersAppeared"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Name"] == "watchcli-public")
        .unwrap();
    assert_eq!(public["Exposed"], true, "{public}");
    assert_eq!(public["Exposure"]["Privileged"], true, "{public}");
    assert_eq!(
        public["Exposure"]["Ports"][0]["HostPort"], "8090",
        "{public}"
    );
    assert_eq!(body["ContainersGone"], serde_json::json!([]));
    assert_eq!(
        outcome["NewFindings"],
        Value::Null,
        "events are under `Events`"
    );
    assert_eq!(findings(&outcome["Events"]["NewFindings"]).len(), 2);

    // Nothing changed: nothing is posted, nothing is scanned or matched again.
    let (outcome, _) = w.once(&["--webhook", &hook]);
    assert_eq!(outcome["Stats"]["Scanned"], 0, "{outcome}");
    assert_eq!(outcome["Stats"]["Matched"], 0, "{outcome}");
    assert_eq!(outcome["Deliveries"], serde_json::json!([]));
    assert!(rx.take().is_empty());

    // The database is rebuilt with one more advisory on a package of the running image:
    // exactly that finding is posted, from the stored inventories (no rescan).
    build_db(tmp.path(), &w.db, true, "2026-01-02T00:00:00Z");
    let (outcome, _) = w.once(&["--webhook", &hook]);
    assert_eq!(outcome["Stats"]["Scanned"], 0, "{outcome}");
    assert_eq!(outcome["Stats"]["Matched"], 2, "{outcome}");
    let got = rx.take();
    assert_eq!(got.len(), 1, "{got:?}");
    let body = got[0].json();
    assert_eq!(
        findings(&body["NewFindings"]),
        ["corpus/debian-bookworm-minbase [watchcli-app] CVE-2099-1002 coreutils"],
        "{body}"
    );
    for key in ["FixedFindings", "ContainersAppeared", "ContainersGone"] {
        assert_eq!(body[key], serde_json::json!([]), "{key}: {body}");
    }

    // A container is removed: reported once.
    docker(d, &["rm", "-f", "watchcli-app"]);
    let (_, _) = w.once(&["--webhook", &hook]);
    let got = rx.take();
    assert_eq!(got.len(), 1, "{got:?}");
    let body = got[0].json();
    assert_eq!(names(&body["ContainersGone"]), ["watchcli-app"], "{body}");
    assert_eq!(body["NewFindings"], serde_json::json!([]), "{body}");
    let (outcome, _) = w.once(&["--webhook", &hook]);
    assert_eq!(outcome["Events"]["ContainersGone"], serde_json::json!([]));
    assert!(rx.take().is_empty());

    // The receiver is down during a run: the notification is kept, then delivered on the next
    // run once the receiver is back.
    docker(
        d,
        &[
            "create",
            "--name",
            "watchcli-late",
            "--network",
            "none",
            "corpus/alpine-3.20.3",
        ],
    );
    let port = free_port();
    let down = format!("http://127.0.0.1:{port}/late");
    let (outcome, out) = w.once(&["--webhook", &down]);
    assert_eq!(outcome["Pending"], 1, "{outcome}");
    assert_eq!(outcome["Deliveries"][0]["Attempts"], 2, "{outcome}");
    assert!(
        stderr(&out).contains("not delivered") && stderr(&out).contains("kept"),
        "{}",
        stderr(&out)
    );
    let late_run = outcome["Run"].as_i64().unwrap();
    let back = Receiver::start(port);
    let (outcome, _) = w.once(&["--webhook", &down]);
    assert_eq!(
        outcome["Events"]["ContainersAppeared"],
        serde_json::json!([])
    );
    assert_eq!(outcome["Pending"], 0, "{outcome}");
    let got = back.take();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].path, "/late");
    let body = got[0].json();
    assert_eq!(body["Run"], late_run);
    assert_eq!(names(&body["ContainersAppeared"]), ["watchcli-late"]);
    assert!(rx.take().is_empty(), "the first receiver got nothing more");

    // The history: every run, newest first, with what it found and sent.
    let h = w.history();
    let runs = h.as_array().unwrap();
    assert_eq!(runs.len(), 7, "{h}");
    let field = |i: usize, k: &str| runs[i][k].as_i64().unwrap();
    assert_eq!(field(6, "NewFindings"), 2);
    assert_eq!(field(6, "ContainersAppeared"), 2);
    assert_eq!(field(6, "Scanned"), 2);
    assert_eq!(field(6, "NotificationsSent"), 1);
    assert_eq!(field(5, "NewFindings"), 0);
    assert_eq!(field(5, "NotificationsSent"), 0);
    assert_eq!(field(4, "NewFindings"), 1);
    assert_eq!(field(4, "Matched"), 2);
    assert_eq!(field(3, "ContainersGone"), 1);
    assert_eq!(field(1, "ContainersAppeared"), 1);
    assert_eq!(
        (
            field(1, "NotificationsSent"),
            field(1, "NotificationsPending")
        ),
        (1, 0),
        "delivered on the next run"
    );
    let out = command(&["watch", "--history", "--state", w.state.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("RUN "), "{text}");
    assert_eq!(text.lines().count(), 8, "{text}");

    // The readable form of a cycle.
    let mut args = w.args();
    args.extend(["--once", "--all"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = command(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Run 8: 2 containers, 1 images"), "{text}");
    assert!(text.contains("No changes since the last run"), "{text}");
    let _ = d.docker(&["rm", "-f", "watchcli-public", "watchcli-late"]);
}

#[test]
fn sigterm_ends_the_loop_after_the_cycle_with_the_state_saved() {
    let Some(d) = daemon() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let w = Watch {
        host: d.host(),
        db: tmp.path().join("atalaia.db"),
        state: tmp.path().join("watch.db"),
        cache: tmp.path().join("cache"),
    };
    build_db(tmp.path(), &w.db, false, "2026-01-01T00:00:00Z");
    let mut args = w.args();
    args.extend(["--interval", "1h"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first cycle's line on stdout.
    let stdout = child.stdout.take().unwrap();
    let first = std::thread::spawn(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let start = Instant::now();
    while !first.is_finished() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no cycle within 2 minutes"
        );
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("watch ended early ({status}): {err}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let line = first.join().unwrap().unwrap();
    assert!(line.starts_with("Run 1: "), "{line}");
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "SIGTERM did not end the wait"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("Stopped: the state is saved"), "{err}");
    let h = w.history();
    assert_eq!(h.as_array().unwrap().len(), 1, "{h}");
}

#[test]
fn missing_or_denied_socket_is_exit_two_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = crate::db_path().display().to_string();
    // No socket.
    let missing = tmp.path().join("nothing.sock");
    let out = command(&[
        "watch",
        "--once",
        "--docker-host",
        &format!("unix://{}", missing.display()),
        "--db",
        &db,
        "--state",
        tmp.path().join("a.db").to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("nothing.sock") && err.contains("does not exist"),
        "{err}"
    );
    assert!(err.contains("hint: Start the Docker daemon"), "{err}");

    // A socket this user may not connect to: as `nobody` when running as root (root ignores
    // file modes), else a socket of mode 000.
    let dir = tmp.path().join("open");
    std::fs::create_dir(&dir).unwrap();
    let sock = dir.join("denied.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };
    mode(tmp.path(), 0o755);
    mode(&dir, 0o777);
    mode(&sock, if root { 0o600 } else { 0o000 });
    let args = [
        "watch".to_owned(),
        "--once".into(),
        "--docker-host".into(),
        format!("unix://{}", sock.display()),
        "--db".into(),
        db.clone(),
        "--state".into(),
        dir.join("state.db").display().to_string(),
        "--cache-dir".into(),
        dir.join("cache").display().to_string(),
    ];
    let mut cmd = command(&[]);
    if root {
        // `setpriv` runs the binary as `nobody`, from a directory `nobody` can reach (the
        // build directory may be under a private home).
        let exe = dir.join("atalaia");
        if std::fs::hard_link(env!("CARGO_BIN_EXE_atalaia"), &exe).is_err() {
            std::fs::copy(env!("CARGO_BIN_EXE_atalaia"), &exe).unwrap();
        }
        mode(&exe, 0o755);
        cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&exe);
        cmd.env_remove("ATALAIA_DB").env("HOME", &dir);
    }
    let out = cmd.args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Permission denied") && err.contains("denied.sock"),
        "{err}"
    );
    assert!(
        err.contains("hint: Run as a member of the group owning"),
        "{err}"
    );
}

#[test]
fn history_without_runs_and_bad_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("none.db");
    let out = command(&["watch", "--history", "--state", state.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No runs recorded"));
    assert!(!state.exists(), "--history creates no state");
    let out = command(&[
        "watch",
        "--history",
        "--format",
        "json",
        "--state",
        state.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");

    // A state file that is not a database: exit 2, naming it.
    let bad = tmp.path().join("bad.db");
    std::fs::write(
        &bad,
        b"not an SQLite database, just some text of some length",
    )
    .unwrap();
    let out = command(&["watch", "--history", "--state", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.db"), "{}", stderr(&out));

    for (flag, value, says) in [
        ("--interval", "0s", "at least"),
        ("--interval", "soon", "is not a duration"),
        ("--db-update-interval", "12", "is not a duration"),
        ("--notify-attempts", "0", "0"),
    ] {
        let out = command(&["watch", "--once", flag, value]).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag} {value}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(says),
            "{flag} {value}: {}",
            stderr(&out)
        );
    }
    let out = command(&[
        "watch",
        "--once",
        "--state",
        tmp.path().join("s.db").to_str().unwrap(),
        "--ntfy",
        "ntfy.sh/topic",
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`ntfy.sh/topic` is not a notification URL"),
        "{}",
        stderr(&out)
    );
}
