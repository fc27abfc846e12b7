//! A throwaway containerd for tests (cargo feature `testing`): Debian's `containerd` with its own
//! root, state and socket in a temporary directory and only the plugins an image store needs
//! (no CRI, no snapshotters needing special file systems), and `ctr` to import images into it.
//!
//! containerd runs under a small `bash` supervisor whose standard input is a pipe from the test
//! process: when the test process ends, however it ends, the pipe closes and the supervisor stops
//! containerd and removes its directory. Dropping a [`TestContainerd`] does the same and waits.
//!
//! When `containerd` or `ctr` is missing, or this is not root, [`TestContainerd::start`] prints a
//! note and returns `None` (the test skips), unless `CI` is set: then it panics, so CI never
//! passes vacuously.
#![allow(clippy::print_stderr)] // skip notes go to the test log

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::ContainerdClient;

/// Stops containerd when standard input closes (the test ended, however it ended), then removes
/// the directory.
const SUPERVISOR: &str = r#"
dir=$1; shift
"$@" </dev/null >"$dir/containerd.log" 2>&1 &
pid=$!
read -r _ || true
kill -TERM "$pid" 2>/dev/null
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$dir"
"#;

/// Whether missing tools fail the test (under `CI`) rather than skip it.
fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

fn unavailable(what: &str) -> Option<TestContainerd> {
    assert!(
        !in_ci(),
        "CI is set but {what}: run .ci/deps/containerd.sh as root"
    );
    eprintln!("note: skipping a containerd test: {what}");
    None
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
}

/// A running containerd; stopped and its directory removed when dropped.
pub struct TestContainerd {
    /// Its directory (root, state, socket, `containerd.log`), removed when it stops.
    pub dir: PathBuf,
    /// Its gRPC socket.
    pub socket: PathBuf,
    supervisor: Child,
    stdin: Option<ChildStdin>,
}

impl TestContainerd {
    /// Starts a containerd, or `None` (with a note) when it cannot run here and `CI` is unset.
    pub fn start() -> Option<TestContainerd> {
        for tool in ["containerd", "ctr"] {
            if !on_path(tool) {
                return unavailable(&format!("`{tool}` is not installed"));
            }
        }
        let uid = Command::new("id").arg("-u").output().ok();
        if uid.is_none_or(|o| String::from_utf8_lossy(&o.stdout).trim() != "0") {
            return unavailable("containerd needs root");
        }
        let dir = tempfile::Builder::new()
            .prefix("atalaia-ctd-")
            .tempdir_in("/tmp")
            .unwrap()
            .keep();
        let socket = dir.join("c.sock");
        let config = format!(
            r#"version = 2
root = "{root}"
state = "{state}"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.internal.v1.tracing",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "{sock}"
[ttrpc]
  address = "{sock}.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
"#,
            root = dir.join("root").display(),
            state = dir.join("state").display(),
            sock = socket.display(),
        );
        std::fs::write(dir.join("config.toml"), config).unwrap();
        let mut supervisor = Command::new("bash")
            .arg("-c")
            .arg(SUPERVISOR)
            .arg("supervisor")
            .arg(&dir)
            .arg("containerd")
            .arg("--config")
            .arg(dir.join("config.toml"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = supervisor.stdin.take();
        let c = TestContainerd {
            dir,
            socket,
            supervisor,
            stdin,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if c.socket.exists() && c.ctr("default", &["version"]).status.success() {
                return Some(c);
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(c.dir.join("containerd.log")).unwrap_or_default();
                let tail: String = log.lines().rev().take(20).collect::<Vec<_>>().join("\n");
                drop(c);
                return unavailable(&format!("containerd did not start:\n{tail}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs `ctr` against this containerd.
    pub fn ctr(&self, namespace: &str, args: &[&str]) -> std::process::Output {
        Command::new("ctr")
            .arg("--address")
            .arg(&self.socket)
            .arg("--namespace")
            .arg(namespace)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs `ctr` and asserts it succeeded.
    pub fn ctr_ok(&self, namespace: &str, args: &[&str]) -> String {
        let out = self.ctr(namespace, args);
        assert!(
            out.status.success(),
            "ctr {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `ctr images import --no-unpack` (nothing needs a snapshotter).
    pub fn import(&self, namespace: &str, archive: &Path, all_platforms: bool) {
        let path = archive.to_str().unwrap();
        let mut args = vec!["images", "import", "--no-unpack"];
        if all_platforms {
            args.push("--all-platforms");
        }
        args.push(path);
        self.ctr_ok(namespace, &args);
    }

    /// A client in `namespace`.
    pub fn client(&self, namespace: &str) -> ContainerdClient {
        ContainerdClient::new(&self.socket, namespace).unwrap()
    }
}

impl Drop for TestContainerd {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"stop\n");
        }
        let _ = self.supervisor.wait();
    }
}
