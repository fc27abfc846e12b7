//! Throwaway daemons for tests (cargo feature `testing`): a real `dockerd` (Debian `docker.io`)
//! or Podman API service on a temporary socket, with its own data directories, and helpers that
//! load the shared corpus images into it.
//!
//! Each daemon runs under a small `bash` supervisor whose standard input is a pipe from the test
//! process. When the test process ends, in any way (a static shared daemon is never dropped),
//! the pipe closes and the supervisor stops the daemon (SIGTERM, then SIGKILL after 15 s) and
//! removes its directory. Dropping a [`TestDaemon`] does the same and waits for it.
//!
//! When the tools are missing or the daemon cannot start, [`TestDaemon::shared_docker`] and
//! [`TestDaemon::shared_podman`] print a note and return `None` (the test skips), unless `CI`
//! is set: then they panic, so CI never passes vacuously.
#![allow(clippy::print_stderr)] // skip notes go to the test log

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::{DaemonError, DockerClient};

/// Stops the daemon when standard input closes, then removes the directory.
const SUPERVISOR: &str = r#"
dir=$1; shift
"$@" </dev/null >"$dir/daemon.log" 2>&1 &
pid=$!
read -r _ || true
kill -TERM "$pid" 2>/dev/null
for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    if [ -f "$dir/exec/containerd/containerd.pid" ]; then
        kill -KILL "$(cat "$dir/exec/containerd/containerd.pid")" 2>/dev/null
    fi
fi
wait "$pid" 2>/dev/null
grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
rm -rf "$dir"
"#;

/// Which engine a [`TestDaemon`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `dockerd` (vfs storage, no iptables, no bridge).
    Docker,
    /// `podman system service` (vfs storage).
    Podman,
}

impl Engine {
    fn tools(self) -> &'static [&'static str] {
        match self {
            Engine::Docker => &["dockerd", "containerd", "skopeo"],
            Engine::Podman => &["podman", "skopeo"],
        }
    }
}

/// A daemon started for tests.
#[derive(Debug)]
pub struct TestDaemon {
    engine: Engine,
    dir: PathBuf,
    socket: PathBuf,
    supervisor: Mutex<Option<(Child, ChildStdin)>>,
    /// Corpus image → the docker-archive tarball it was loaded from.
    loaded: Mutex<HashMap<String, PathBuf>>,
}

/// Finds an executable on `PATH` or in the usual system directories.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn under_ci() -> bool {
    std::env::var_os("CI").is_some()
}

fn skip_or_panic(what: &str) {
    assert!(
        !under_ci(),
        "CI is set but {what}: run .ci/deps/daemon.sh as root"
    );
    eprintln!("note: skipping, {what} (run .ci/deps/daemon.sh as root)");
}

impl TestDaemon {
    /// Starts a daemon of `engine` and waits until it answers `/_ping` (up to 60 s).
    pub fn start(engine: Engine) -> Result<TestDaemon, String> {
        for tool in engine.tools() {
            if find_tool(tool).is_none() {
                return Err(format!("`{tool}` is not installed"));
            }
        }
        let dir = tempfile::Builder::new()
            .prefix(match engine {
                Engine::Docker => "atalaia-dockerd-",
                Engine::Podman => "atalaia-podman-",
            })
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?
            .keep();
        let sock_name = match engine {
            Engine::Docker => "docker.sock",
            Engine::Podman => "podman.sock",
        };
        let socket = dir.join(sock_name);
        let d = dir.display();
        let args: Vec<String> = match engine {
            Engine::Docker => vec![
                find_tool("dockerd")
                    .unwrap_or_default()
                    .display()
                    .to_string(),
                "--storage-driver=vfs".into(),
                "--iptables=false".into(),
                "--ip6tables=false".into(),
                "--bridge=none".into(),
                "-H".into(),
                format!("unix://{}", socket.display()),
                "--data-root".into(),
                format!("{d}/root"),
                "--exec-root".into(),
                format!("{d}/exec"),
                "--pidfile".into(),
                format!("{d}/dockerd.pid"),
            ],
            Engine::Podman => vec![
                find_tool("podman")
                    .unwrap_or_default()
                    .display()
                    .to_string(),
                "--root".into(),
                format!("{d}/root"),
                "--runroot".into(),
                format!("{d}/run"),
                "--storage-driver".into(),
                "vfs".into(),
                "--cgroup-manager".into(),
                "cgroupfs".into(),
                "--events-backend".into(),
                "file".into(),
                "--tmpdir".into(),
                format!("{d}/tmp"),
                "system".into(),
                "service".into(),
                "--time=0".into(),
                format!("unix://{}", socket.display()),
            ],
        };
        let mut child = Command::new("bash")
            .arg("-c")
            .arg(SUPERVISOR)
            .arg("atalaia-test-supervisor")
            .arg(&dir)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run bash: {e}"))?;
        let Some(stdin) = child.stdin.take() else {
            return Err("the supervisor has no stdin".to_owned());
        };
        let daemon = TestDaemon {
            engine,
            dir,
            socket,
            supervisor: Mutex::new(Some((child, stdin))),
            loaded: Mutex::default(),
        };
        daemon.wait_ready(Duration::from_secs(60))?;
        Ok(daemon)
    }

    fn wait_ready(&self, within: Duration) -> Result<(), String> {
        let start = Instant::now();
        let client = DockerClient::new(&self.socket).with_timeout(Duration::from_secs(5));
        loop {
            match client.ping() {
                Ok(_) => return Ok(()),
                Err(e) if start.elapsed() > within => {
                    return Err(format!(
                        "the daemon did not answer within {} s ({e}); its log:\n{}",
                        within.as_secs(),
                        self.log()
                    ))
                }
                Err(_) => {}
            }
            if let Ok(mut g) = self.supervisor.lock() {
                if let Some((child, _)) = g.as_mut() {
                    if let Ok(Some(status)) = child.try_wait() {
                        return Err(format!(
                            "the daemon exited ({status}) before answering; its log:\n{}",
                            self.log()
                        ));
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn shared(
        cell: &'static OnceLock<Option<TestDaemon>>,
        engine: Engine,
    ) -> Option<&'static TestDaemon> {
        cell.get_or_init(|| match TestDaemon::start(engine) {
            Ok(d) => Some(d),
            Err(e) => {
                skip_or_panic(&format!("{engine:?} cannot start here: {e}"));
                None
            }
        })
        .as_ref()
    }

    /// The `dockerd` shared by the tests of this binary, started on first use; `None` (after a
    /// printed note) when it cannot run here and `CI` is not set.
    pub fn shared_docker() -> Option<&'static TestDaemon> {
        static CELL: OnceLock<Option<TestDaemon>> = OnceLock::new();
        TestDaemon::shared(&CELL, Engine::Docker)
    }

    /// The Podman API service shared by the tests of this binary (see [`TestDaemon::shared_docker`]).
    pub fn shared_podman() -> Option<&'static TestDaemon> {
        static CELL: OnceLock<Option<TestDaemon>> = OnceLock::new();
        TestDaemon::shared(&CELL, Engine::Podman)
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The socket.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// `unix://<socket>`, for `DOCKER_HOST` or `--docker-host`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// A negotiated client of the daemon.
    pub fn client(&self) -> DockerClient {
        match DockerClient::connect(&self.socket) {
            Ok(c) => c,
            Err(e) => panic!("the test daemon stopped answering: {e}\n{}", self.log()),
        }
    }

    /// The daemon's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("daemon.log")).unwrap_or_default()
    }

    /// A scratch directory removed with the daemon.
    pub fn scratch_dir(&self) -> PathBuf {
        let p = self.dir.join("scratch");
        let _ = std::fs::create_dir_all(&p);
        p
    }

    /// Runs the `docker` CLI (Debian's `/usr/bin/docker`, matching the daemon, when present)
    /// against this daemon; stdout on success, stderr in the error.
    pub fn docker(&self, args: &[&str]) -> Result<String, String> {
        let cli = match self.engine {
            Engine::Docker => Path::new("/usr/bin/docker")
                .is_file()
                .then(|| PathBuf::from("/usr/bin/docker"))
                .or_else(|| find_tool("docker")),
            Engine::Podman => find_tool("docker"),
        }
        .ok_or_else(|| "the `docker` CLI is not installed".to_owned())?;
        let out = Command::new(cli)
            .arg("-H")
            .arg(self.host())
            .args(args)
            .env("DOCKER_CONFIG", self.dir.join("cli-config"))
            .output()
            .map_err(|e| format!("cannot run docker: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "`docker {}` failed ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Loads a `docker save` tarball through the API (`POST /images/load`).
    pub fn load_tarball(&self, tarball: &Path) -> Result<Vec<String>, DaemonError> {
        let io_err = |err| DaemonError::Io {
            socket: self.socket.clone(),
            action: format!("read `{}` to load it", tarball.display()),
            err,
        };
        let mut f = std::fs::File::open(tarball).map_err(io_err)?;
        let len = f.metadata().map_err(io_err)?.len();
        self.client().load_image(&mut f, len)
    }

    /// The docker-archive tarball of a corpus image: `<corpus>/docker-archive/<image>.tar` when
    /// there is one, else a copy made with `skopeo` from the corpus OCI layout (ref `image`),
    /// tagged `corpus/<image>:latest`, in the daemon's directory.
    pub fn corpus_archive(&self, image: &str) -> Result<PathBuf, String> {
        let corpus = atalaia_test::corpus_dir();
        let shipped = corpus.join("docker-archive").join(format!("{image}.tar"));
        if shipped.is_file() {
            return Ok(shipped);
        }
        let out = self.scratch_dir().join(format!("{image}.tar"));
        if out.is_file() {
            return Ok(out);
        }
        let partial = self.scratch_dir().join(format!("{image}.tar.partial"));
        let _ = std::fs::remove_file(&partial);
        let skopeo = find_tool("skopeo").ok_or("`skopeo` is not installed")?;
        let status = Command::new(skopeo)
            .arg("--tmpdir")
            .arg(self.scratch_dir())
            .arg("copy")
            .arg("--quiet")
            .arg(format!("oci:{}:{image}", corpus.join("oci").display()))
            .arg(format!(
                "docker-archive:{}:corpus/{image}:latest",
                partial.display()
            ))
            .output()
            .map_err(|e| format!("cannot run skopeo: {e}"))?;
        if !status.status.success() {
            return Err(format!(
                "skopeo could not copy `{image}`: {}",
                String::from_utf8_lossy(&status.stderr)
            ));
        }
        std::fs::rename(&partial, &out).map_err(|e| format!("cannot rename: {e}"))?;
        Ok(out)
    }

    /// Loads a corpus image (once per daemon) and returns the tarball it came from. Its tag in
    /// the daemon is `corpus/<image>:latest`.
    pub fn load_corpus(&self, image: &str) -> Result<PathBuf, String> {
        let mut loaded = self
            .loaded
            .lock()
            .map_err(|_| "a test panicked while loading".to_owned())?;
        if let Some(p) = loaded.get(image) {
            return Ok(p.clone());
        }
        let tarball = self.corpus_archive(image)?;
        let names = self
            .load_tarball(&tarball)
            .map_err(|e| format!("cannot load `{}`: {e}", tarball.display()))?;
        if names.is_empty() {
            return Err(format!("loading `{}` loaded nothing", tarball.display()));
        }
        loaded.insert(image.to_owned(), tarball.clone());
        Ok(tarball)
    }

    /// Stops the daemon and removes its directory, waiting for both.
    pub fn stop(&self) {
        let taken = self.supervisor.lock().ok().and_then(|mut g| g.take());
        if let Some((mut child, mut stdin)) = taken {
            let _ = stdin.write_all(b"stop\n");
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for TestDaemon {
    fn drop(&mut self) {
        self.stop();
    }
}
