//! Starting the registry and pushing corpus images into it.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use atalaia_registry::{Client, Credentials};
use atalaia_test::registry::TestRegistry;

/// Whether `skopeo` is here; panics under CI when it is not (`.ci/deps/daemon.sh` installs it).
#[allow(clippy::print_stderr)] // the skip note goes to the test log
fn skopeo_or_skip() -> bool {
    let ok = Command::new("skopeo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but skopeo is missing: run .ci/deps/daemon.sh"
        );
        eprintln!("note: skipping, skopeo not installed (run .ci/deps/daemon.sh)");
    }
    ok
}

/// A registry plus what the tests need to push to it.
pub(crate) struct Env {
    pub(crate) reg: TestRegistry,
    cert_dir: tempfile::TempDir,
}

impl Env {
    /// Starts a registry; `None` when the tools are missing outside CI.
    pub(crate) fn start() -> Option<Env> {
        if !skopeo_or_skip() {
            return None;
        }
        let reg = TestRegistry::start()?;
        let cert_dir = tempfile::tempdir().unwrap();
        std::fs::copy(&reg.ca_file, cert_dir.path().join("ca.crt")).unwrap();
        Some(Env { reg, cert_dir })
    }

    /// A client with the test CA and the right credentials.
    pub(crate) fn client(&self) -> Arc<Client> {
        self.client_with(&self.reg.password)
    }

    /// A client with the test CA and `password`.
    pub(crate) fn client_with(&self, password: &str) -> Arc<Client> {
        Arc::new(
            Client::builder()
                .use_docker_config(false)
                .ca_file(&self.reg.ca_file)
                .credentials(Some(Credentials::new(&self.reg.username, password)))
                .retries(2)
                .build()
                .unwrap(),
        )
    }

    /// Pushes `layout:ref` (a corpus OCI layout) as `repo_tag`; returns `host/repo_tag`.
    pub(crate) fn push(&self, layout: &Path, oci_ref: &str, repo_tag: &str) -> String {
        let dest = format!("{}/{repo_tag}", self.reg.host);
        let out = Command::new("skopeo")
            .arg("copy")
            .arg("--quiet")
            .arg("--dest-creds")
            .arg(format!("{}:{}", self.reg.username, self.reg.password))
            .arg("--dest-cert-dir")
            .arg(self.cert_dir.path())
            .arg(format!("oci:{}:{oci_ref}", layout.display()))
            .arg(format!("docker://{dest}"))
            .output()
            .expect("run skopeo");
        assert!(
            out.status.success(),
            "skopeo copy {oci_ref} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        dest
    }
}

/// The corpus OCI layout with 13 gzip images.
pub(crate) fn oci() -> std::path::PathBuf {
    atalaia_test::corpus_dir().join("oci")
}

/// The corpus OCI layout with one zstd image.
pub(crate) fn oci_zstd() -> std::path::PathBuf {
    atalaia_test::corpus_dir().join("oci-zstd")
}
