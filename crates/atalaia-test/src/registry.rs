//! A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with
//! a free port, TLS from a throwaway CA (rcgen), htpasswd (bcrypt) auth and filesystem storage in
//! a temporary directory. Stopped on drop.
//!
//! [`TestRegistry::start_with_token_auth`] configures distribution's `auth: token` instead, with a
//! [`TokenIssuer`] the test process runs.
//!
//! When `docker-registry` or `htpasswd` is missing, [`TestRegistry::start`] returns `None` with a
//! note on stderr, unless `CI` is set: then it panics, so CI never passes vacuously
//! (`.ci/deps/dbdist.sh` installs both).

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::token::{ServerIdentity, TokenIssuer};

/// The registry binary Debian's `docker-registry` package installs.
pub const REGISTRY_BIN: &str = "/usr/bin/docker-registry";

/// A running registry.
pub struct TestRegistry {
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// The CA certificate (PEM) that signed the server's certificate.
    pub ca_file: PathBuf,
    /// The htpasswd user.
    pub username: String,
    /// Its password.
    pub password: String,
    /// The storage root (`docker/registry/v2/...` below it).
    pub storage: PathBuf,
    /// The registry's log (stderr and stdout, with the access log).
    pub log: PathBuf,
    /// The token issuer, when the registry uses token auth.
    pub token: Option<TokenIssuer>,
    child: Child,
    _dir: tempfile::TempDir,
}

fn tool_available(bin: &str) -> bool {
    if bin.starts_with('/') {
        return Path::new(bin).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(bin).is_file()))
}

/// Whether the tools are here; panics under CI when they are not.
#[allow(clippy::print_stderr)] // the skip note goes to the test log
fn tools_or_skip() -> bool {
    let missing: Vec<&str> = [REGISTRY_BIN, "htpasswd"]
        .into_iter()
        .filter(|b| !tool_available(b))
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {missing:?} is missing: run .ci/deps/dbdist.sh"
    );
    eprintln!("note: skipping, {missing:?} not installed (run .ci/deps/dbdist.sh)");
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Writes `ca.pem`, `server.pem` and `server.key` into `dir`; returns the CA file and the
/// server's identity.
fn make_certificates(dir: &Path) -> (PathBuf, ServerIdentity) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose, SanType,
    };
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "atalaia test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");

    let key = KeyPair::generate().expect("server key");
    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).expect("server params");
    server
        .subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    server
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let cert = server
        .signed_by(&key, &ca_cert, &ca_key)
        .expect("server certificate");

    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).expect("write ca.pem");
    std::fs::write(dir.join("server.pem"), cert.pem()).expect("write server.pem");
    std::fs::write(dir.join("server.key"), key.serialize_pem()).expect("write server.key");
    let identity = ServerIdentity {
        chain: vec![cert.der().to_vec(), ca_cert.der().to_vec()],
        key: key.serialize_der(),
    };
    (ca_file, identity)
}

impl TestRegistry {
    /// Starts a registry with TLS and the user `atalaia` / a random password. `None` when the
    /// tools are missing outside CI.
    pub fn start() -> Option<TestRegistry> {
        Self::start_with(false)
    }

    /// Starts a registry with TLS and distribution's token auth: its challenges send clients to
    /// a [`TokenIssuer`] (in [`TestRegistry::token`]) that grants tokens to the user `atalaia`
    /// and a random password, or to its identity token. `None` when the tools are missing
    /// outside CI.
    pub fn start_with_token_auth() -> Option<TestRegistry> {
        Self::start_with(true)
    }

    fn start_with(token_auth: bool) -> Option<TestRegistry> {
        if !tools_or_skip() {
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let (ca_file, identity) = make_certificates(dir.path());
        let username = "atalaia".to_owned();
        let password = format!("pw-{}-{}", std::process::id(), free_port());
        let out = Command::new("htpasswd")
            .args(["-Bbn", &username, &password])
            .output()
            .expect("run htpasswd");
        assert!(out.status.success(), "htpasswd failed: {out:?}");
        std::fs::write(dir.path().join("htpasswd"), &out.stdout).expect("write htpasswd");

        let storage = dir.path().join("storage");
        std::fs::create_dir_all(&storage).expect("storage dir");
        let port = free_port();
        let host = format!("127.0.0.1:{port}");
        let d = dir.path().display();
        let token =
            token_auth.then(|| TokenIssuer::start(dir.path(), &identity, &username, &password));
        let auth = match &token {
            Some(t) => format!(
                "auth:\n  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
                t.realm,
                crate::token::SERVICE,
                crate::token::ISSUER,
                t.root_cert_file.display()
            ),
            None => format!(
                "auth:\n  htpasswd:\n    realm: atalaia-test\n    path: {d}/htpasswd\n"
            ),
        };
        let config = format!(
            "version: 0.1\n\
             log:\n  level: info\n  accesslog:\n    disabled: false\n\
             storage:\n  filesystem:\n    rootdirectory: {d}/storage\n  delete:\n    enabled: true\n\
             http:\n  addr: {host}\n  secret: atalaia-test-secret\n  tls:\n    certificate: {d}/server.pem\n    key: {d}/server.key\n\
             {auth}"
        );
        let config_file = dir.path().join("config.yml");
        std::fs::write(&config_file, config).expect("write config.yml");
        let log = dir.path().join("registry.log");
        let log_file = std::fs::File::create(&log).expect("registry log");
        let child = Command::new(REGISTRY_BIN)
            .arg("serve")
            .arg(&config_file)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log handle"))
            .stderr(log_file)
            .spawn()
            .expect("start docker-registry");
        let mut reg = TestRegistry {
            host,
            ca_file,
            username,
            password,
            storage,
            log,
            token,
            child,
            _dir: dir,
        };
        reg.wait_ready();
        Some(reg)
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "docker-registry exited with {status}: {}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            if TcpStream::connect(&self.host).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry did not listen on {} in 20 s: {}",
                self.host,
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Where the registry stores blob `sha256:<hex>`.
    pub fn blob_path(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
        self.storage
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    /// A Docker `config.json` in a new directory holding these credentials (for tests of the
    /// config lookup); returns the file.
    pub fn write_docker_config(&self, dir: &Path) -> PathBuf {
        let auth = base64_encode(format!("{}:{}", self.username, self.password).as_bytes());
        let path = dir.join("config.json");
        let mut f = std::fs::File::create(&path).expect("config.json");
        write!(f, r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, self.host).expect("write");
        path
    }

    /// The `Authorization: Basic` value of the user (to assert it is never logged).
    pub fn basic_auth(&self) -> String {
        base64_encode(format!("{}:{}", self.username, self.password).as_bytes())
    }

    /// Stops the registry (its files stay until drop): for tests of an unreachable registry.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The registry's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64() {
        assert_eq!(super::base64_encode(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(super::base64_encode(b"ab"), "YWI=");
        assert_eq!(super::base64_encode(b"a"), "YQ==");
    }
}
