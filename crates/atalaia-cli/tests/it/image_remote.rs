//! `atalaia image NAME --image-src remote` against a real registry (Debian `docker-registry`,
//! TLS from a test CA, htpasswd or token auth; images pushed with `skopeo`): issue #7's
//! acceptance 2-5 through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use atalaia_registry::{Client, Credentials, Descriptor, ImageIndex, Platform, Reference};
use atalaia_test::registry::TestRegistry;

use crate::stderr;

/// Whether `skopeo` is here; panics under CI when it is not (`.ci/deps/remote.sh` installs it).
#[allow(clippy::print_stderr)] // the skip note goes to the test log
fn skopeo_or_skip() -> bool {
    let ok = Command::new("skopeo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but skopeo is missing: run .ci/deps/remote.sh"
        );
        eprintln!("note: skipping, skopeo not installed (run .ci/deps/remote.sh)");
    }
    ok
}

/// A registry, a place for the scans' files, and a way to push corpus images.
struct Env {
    reg: TestRegistry,
    dir: tempfile::TempDir,
}

impl Env {
    fn start() -> Option<Env> {
        Self::with(TestRegistry::start)
    }

    fn start_token() -> Option<Env> {
        Self::with(TestRegistry::start_with_token_auth)
    }

    fn with(start: fn() -> Option<TestRegistry>) -> Option<Env> {
        if !skopeo_or_skip() {
            return None;
        }
        let reg = start()?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("certs")).unwrap();
        std::fs::copy(&reg.ca_file, dir.path().join("certs/ca.crt")).unwrap();
        std::fs::create_dir_all(dir.path().join("docker")).unwrap();
        Some(Env { reg, dir })
    }

    /// Pushes `corpus/oci:oci_ref` as `repo_tag`; returns `host/repo_tag`.
    fn push(&self, oci_ref: &str, repo_tag: &str) -> String {
        let dest = format!("{}/{repo_tag}", self.reg.host);
        let out = Command::new("skopeo")
            .arg("copy")
            .arg("--quiet")
            .arg("--dest-creds")
            .arg(format!("{}:{}", self.reg.username, self.reg.password))
            .arg("--dest-cert-dir")
            .arg(self.dir.path().join("certs"))
            .arg(format!("oci:{}:{oci_ref}", oci().display()))
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

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// `atalaia image NAME --image-src remote` with the test CA, the cache of this test, no
    /// Docker config and no credentials.
    fn scan(&self, name: &str, extra: &[&str]) -> Command {
        let mut cmd = crate::command(&["image", name, "--image-src", "remote"]);
        cmd.arg("--registry-ca")
            .arg(&self.reg.ca_file)
            .arg("--cache-dir")
            .arg(self.cache())
            .args(extra)
            .env("DOCKER_CONFIG", self.dir.path().join("docker"))
            .env_remove("TRIVY_USERNAME")
            .env_remove("TRIVY_PASSWORD")
            .env_remove("TRIVY_REGISTRY_TOKEN")
            .stdin(Stdio::null());
        cmd
    }

    /// [`Env::scan`] with the right user name and `password` (through the environment).
    fn scan_as(&self, name: &str, password: &str, extra: &[&str]) -> Output {
        self.scan(name, extra)
            .arg("--username")
            .arg(&self.reg.username)
            .env("ATALAIA_PASSWORD", password)
            .output()
            .unwrap()
    }

    fn client(&self) -> Client {
        Client::builder()
            .use_docker_config(false)
            .ca_file(&self.reg.ca_file)
            .credentials(Some(Credentials::new(
                &self.reg.username,
                &self.reg.password,
            )))
            .build()
            .unwrap()
    }
}

fn oci() -> PathBuf {
    atalaia_test::corpus_dir().join("oci")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        stderr(out)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The JSON report without what names the artifact (name, tags, digests, time).
fn comparable(json: &str, name: &str) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&json.replace(name, "IMAGE")).expect("a JSON report");
    let obj = v.as_object_mut().unwrap();
    obj.remove("CreatedAt");
    if let Some(meta) = obj.get_mut("Metadata").and_then(|m| m.as_object_mut()) {
        meta.remove("RepoTags");
        meta.remove("RepoDigests");
    }
    v
}

/// The report of the same corpus image read from the OCI layout.
fn local_report(oci_ref: &str) -> serde_json::Value {
    let input = format!("{}:{oci_ref}", oci().display());
    let out = crate::atalaia(&["image", "--input", &input, "--format", "json"]);
    comparable(&ok(&out), &input)
}

/// Access-log `GET`s of layer blobs (not the config) of the images in `log`.
fn blob_gets(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("\"GET /v2/") && l.contains("/blobs/sha256:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn scan_by_name_equals_the_layout_inventory() {
    let Some(env) = Env::start() else { return };
    for (oci_ref, repo) in [
        ("alpine-3.20.3", "corpus/alpine:3.20.3"),
        ("python-app", "corpus/python-app:1"),
    ] {
        let name = env.push(oci_ref, repo);
        let out = env.scan_as(&name, &env.reg.password, &["--format", "json"]);
        let json = ok(&out);
        assert!(
            stderr(&out).contains(&format!(
                "image `{name}` read from remote ({})",
                env.reg.host
            )),
            "{}",
            stderr(&out)
        );
        // Progress bars only on a terminal: stderr is a pipe here.
        assert!(!stderr(&out).contains("unpacked"), "{}", stderr(&out));
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["ArtifactName"], name.as_str());
        assert_eq!(report["Metadata"]["RepoTags"][0], name.as_str());
        let digest = report["Metadata"]["RepoDigests"][0].as_str().unwrap();
        assert!(
            digest.starts_with(&format!(
                "{}/{}@sha256:",
                env.reg.host,
                repo.split(':').next().unwrap()
            )),
            "{digest}"
        );
        assert_eq!(comparable(&json, &name), local_report(oci_ref), "{oci_ref}");
    }
}

#[test]
fn default_sources_fall_through_to_the_registry() {
    let Some(env) = Env::start() else { return };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    let out = crate::command(&["image", &name, "--format", "json", "--scanners", "secret"])
        .arg("--registry-ca")
        .arg(&env.reg.ca_file)
        .arg("--cache-dir")
        .arg(env.cache())
        .env(
            "DOCKER_HOST",
            format!("unix://{}/no.sock", env.dir.path().display()),
        )
        .env("XDG_RUNTIME_DIR", env.dir.path())
        .env(
            "CONTAINERD_ADDRESS",
            env.dir.path().join("no-containerd.sock"),
        )
        .env("DOCKER_CONFIG", env.dir.path().join("docker"))
        .env("ATALAIA_USERNAME", &env.reg.username)
        .env("ATALAIA_PASSWORD", &env.reg.password)
        .output()
        .unwrap();
    ok(&out);
    assert!(
        stderr(&out).contains("read from remote"),
        "{}",
        stderr(&out)
    );
    // An image no source has: the error says what each answered.
    let missing = format!("{}/corpus/nope:1", env.reg.host);
    let out = crate::command(&["image", &missing, "--scanners", "secret"])
        .arg("--registry-ca")
        .arg(&env.reg.ca_file)
        .env(
            "DOCKER_HOST",
            format!("unix://{}/no.sock", env.dir.path().display()),
        )
        .env("XDG_RUNTIME_DIR", env.dir.path())
        .env(
            "CONTAINERD_ADDRESS",
            env.dir.path().join("no-containerd.sock"),
        )
        .env("DOCKER_CONFIG", env.dir.path().join("docker"))
        .env("TRIVY_USERNAME", &env.reg.username)
        .env("TRIVY_PASSWORD", &env.reg.password)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("was found in no image source"), "{err}");
    assert!(err.contains("\n  Caused by: docker: "), "{err}");
    assert!(err.contains("\n  Caused by: containerd: "), "{err}");
    assert!(err.contains("\n  Caused by: podman: "), "{err}");
    assert!(
        err.contains(&format!(
            "\n  Caused by: remote: not in registry {}\n",
            env.reg.host
        )),
        "{err}"
    );
    assert!(err.contains("hint: Check the image name"), "{err}");
}

#[test]
fn multi_platform_index_with_platform() {
    let Some(env) = Env::start() else { return };
    let amd = env.push("alpine-3.20.3", "corpus/multi:amd64");
    let arm = env.push("alpine-3.16.9", "corpus/multi:arm64");
    let client = env.client();
    let entry = |name: &str, platform: &str| {
        let r: Reference = name.parse().unwrap();
        let m = client.manifest(&r).unwrap();
        let mut d = Descriptor::of(m.media_type.clone(), &m.bytes);
        d.platform = Platform::parse(platform);
        d
    };
    let index = ImageIndex {
        schema_version: 2,
        media_type: Some(atalaia_registry::OCI_INDEX.to_owned()),
        manifests: vec![entry(&amd, "linux/amd64"), entry(&arm, "linux/arm64/v8")],
        annotations: Default::default(),
    };
    let name = format!("{}/corpus/multi:1", env.reg.host);
    client
        .push_manifest(
            &name.parse().unwrap(),
            atalaia_registry::OCI_INDEX,
            &serde_json::to_vec(&index).unwrap(),
        )
        .unwrap();
    let pw = &env.reg.password;
    let default = ok(&env.scan_as(&name, pw, &["--format", "json"]));
    assert_eq!(comparable(&default, &name), local_report("alpine-3.20.3"));
    let arm64 = ok(&env.scan_as(
        &name,
        pw,
        &["--format", "json", "--platform", "linux/arm64"],
    ));
    assert_eq!(comparable(&arm64, &name), local_report("alpine-3.16.9"));

    let out = env.scan_as(&name, pw, &["--platform", "windows/amd64"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("windows/amd64") && err.contains("linux/arm64/v8"),
        "{err}"
    );
}

#[test]
fn wrong_credentials_are_a_clear_401_exit_2() {
    let Some(env) = Env::start() else { return };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    let out = env.scan_as(&name, "not-the-password", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("registry {} answered HTTP 401", env.reg.host)),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
    assert!(out.stdout.is_empty());
    // No credentials at all: the same clear error.
    let out = env.scan(&name, &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("answered HTTP 401"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stopped_registry_is_a_clear_error_exit_2() {
    let Some(mut env) = Env::start() else { return };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    env.reg.stop();
    let out = env.scan_as(&name, &env.reg.password, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("error: Failed to pull `{name}`\n")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "Caused by: cannot reach registry {}\n",
            env.reg.host
        )),
        "{err}"
    );
    assert!(err.contains("hint: Check that the registry"), "{err}");
}

#[test]
fn bearer_token_flow_through_a_token_issuer() {
    let Some(env) = Env::start_token() else {
        return;
    };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    let out = env.scan_as(&name, &env.reg.password, &["--format", "json"]);
    let json = ok(&out);
    assert_eq!(comparable(&json, &name), local_report("alpine-3.20.3"));
    let issuer = env.reg.token.as_ref().unwrap();
    assert!(
        issuer.events().iter().any(|e| e == "GET basic ok"),
        "{:?}",
        issuer.events()
    );
    // The registry saw bearer tokens, never a password.
    assert!(env.reg.log_text().contains("\" 200 "), "no 200 in the log");

    let out = env.scan_as(&name, "wrong-password", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("registry {} answered HTTP 401", env.reg.host)),
        "{err}"
    );
    assert!(err.contains("invalid credentials"), "{err}");
    assert!(!err.contains("wrong-password"), "{err}");
    assert!(
        issuer.events().iter().any(|e| e == "GET basic denied"),
        "{:?}",
        issuer.events()
    );
}

/// Writes `docker-credential-<name>` into `bin`: it records its stdin into `bin/asked` and
/// prints `answer`.
fn write_helper(bin: &Path, name: &str, answer: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(bin).unwrap();
    let path = bin.join(format!("docker-credential-{name}"));
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = get ] || exit 3\ncat > '{}/asked'\ncat <<'EOF'\n{answer}\nEOF\n",
        bin.display()
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut paths = vec![bin.to_owned()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[test]
fn credentials_from_docker_config_and_helpers() {
    let Some(env) = Env::start() else { return };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    let docker = env.dir.path().join("docker");

    // `auths`.
    env.reg.write_docker_config(&docker);
    ok(&env.scan(&name, &[]).output().unwrap());

    // `credHelpers` wins over `auths`; the helper is asked for the registry host.
    let bin = env.dir.path().join("bin");
    let answer = format!(
        r#"{{"ServerURL":"{}","Username":"{}","Secret":"{}"}}"#,
        env.reg.host, env.reg.username, env.reg.password
    );
    write_helper(&bin, "atalaiatest", &answer);
    std::fs::write(
        docker.join("config.json"),
        format!(
            r#"{{"auths":{{"{}":{{"auth":"d3Jvbmc6d3Jvbmc="}}}},"credHelpers":{{"{}":"atalaiatest"}}}}"#,
            env.reg.host, env.reg.host
        ),
    )
    .unwrap();
    let out = env
        .scan(&name, &[])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(
        std::fs::read_to_string(bin.join("asked")).unwrap(),
        env.reg.host
    );

    // `credsStore` whose helper has nothing for the registry: anonymous, a clear 401.
    write_helper(&bin, "empty", "credentials not found in native keychain");
    std::fs::write(
        bin.join("docker-credential-empty"),
        "#!/bin/sh\necho 'credentials not found in native keychain'\nexit 1\n",
    )
    .unwrap();
    std::fs::write(docker.join("config.json"), r#"{"credsStore":"empty"}"#).unwrap();
    let out = env
        .scan(&name, &[])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("answered HTTP 401"),
        "{}",
        stderr(&out)
    );

    // A helper that is not installed: a warning naming it, then the same 401.
    std::fs::write(
        docker.join("config.json"),
        r#"{"credsStore":"atalaia-missing"}"#,
    )
    .unwrap();
    let out = env.scan(&name, &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("docker-credential-atalaia-missing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn identity_token_from_a_helper_and_registry_token() {
    let Some(env) = Env::start_token() else {
        return;
    };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    let issuer = env.reg.token.as_ref().unwrap();
    let bin = env.dir.path().join("bin");
    write_helper(
        &bin,
        "atalaiatest",
        &format!(
            r#"{{"ServerURL":"{}","Username":"<token>","Secret":"{}"}}"#,
            env.reg.host, issuer.identity_token
        ),
    );
    let docker = env.dir.path().join("docker");
    std::fs::write(
        docker.join("config.json"),
        r#"{"credsStore":"atalaiatest"}"#,
    )
    .unwrap();
    let out = env
        .scan(&name, &["--debug"])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    ok(&out);
    assert!(
        issuer.events().iter().any(|e| e == "POST refresh_token ok"),
        "{:?}",
        issuer.events()
    );
    assert_no_secret(&out, &env.cache(), &[&issuer.identity_token]);

    // `--registry-token`: sent as is, the issuer is not asked.
    std::fs::write(docker.join("config.json"), "{}").unwrap();
    let token = issuer.mint(&["repository:corpus/alpine:pull"]);
    let asked = issuer.events().len();
    let out = env
        .scan(&name, &["--debug", "--registry-token", &token])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(issuer.events().len(), asked, "{:?}", issuer.events());
    assert_no_secret(&out, &env.cache(), &[&token]);
}

/// Every file under `dir`, read.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn assert_no_secret(out: &Output, cache: &Path, secrets: &[&str]) {
    let files = files_under(cache);
    assert!(!files.is_empty(), "the scan wrote no cache");
    for secret in secrets {
        assert!(!contains(&out.stdout, secret), "secret in stdout");
        assert!(!contains(&out.stderr, secret), "secret in stderr");
        for (path, bytes) in &files {
            assert!(!contains(bytes, secret), "secret in {}", path.display());
        }
    }
}

#[test]
fn debug_logs_hold_no_password_nor_token() {
    let Some(env) = Env::start() else { return };
    let name = env.push("alpine-3.20.3", "corpus/alpine:1");
    let out = env.scan_as(&name, &env.reg.password, &["--debug", "--format", "json"]);
    ok(&out);
    assert!(
        stderr(&out).contains("registry request"),
        "{}",
        stderr(&out)
    );
    let basic = env.reg.basic_auth();
    assert_no_secret(&out, &env.cache(), &[&env.reg.password, &basic]);
    // A refused password is not echoed either.
    let out = env.scan_as(&name, "wrong-pw-12345", &["--debug"]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_secret(&out, &env.cache(), &["wrong-pw-12345"]);

    // The token flow, with `--debug`: neither the password nor the tokens the issuer gave.
    let Some(tenv) = Env::start_token() else {
        return;
    };
    let tname = tenv.push("alpine-3.20.3", "corpus/alpine:1");
    let out = tenv.scan_as(&tname, &tenv.reg.password, &["--debug"]);
    ok(&out);
    let issuer = tenv.reg.token.as_ref().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("Bearer ey"), "a bearer token in the log");
    assert_no_secret(
        &out,
        &tenv.cache(),
        &[&tenv.reg.password, &issuer.identity_token],
    );
}

#[test]
fn four_scans_at_once_on_one_cache() {
    let Some(env) = Env::start() else { return };
    let refs = [
        "alpine-3.20.3",
        "alpine-3.16.9",
        "debian-bookworm-minbase",
        "node-app",
    ];
    let names: Vec<String> = refs
        .iter()
        .map(|r| env.push(r, &format!("corpus/{r}:1")))
        .collect();
    let children: Vec<_> = names
        .iter()
        .map(|n| {
            env.scan(n, &["--format", "json"])
                .arg("--username")
                .arg(&env.reg.username)
                .env("ATALAIA_PASSWORD", &env.reg.password)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for ((child, name), oci_ref) in children.into_iter().zip(&names).zip(refs) {
        let out = child.wait_with_output().unwrap();
        let json = ok(&out);
        assert_eq!(comparable(&json, name), local_report(oci_ref), "{oci_ref}");
    }
}

#[test]
fn second_scan_downloads_no_layer_blob() {
    let Some(env) = Env::start() else { return };
    let name = env.push("python-app", "corpus/python-app:1");
    let pw = &env.reg.password;
    let first = ok(&env.scan_as(&name, pw, &["--format", "json"]));
    let log1 = env.reg.log_text();
    let report: serde_json::Value = serde_json::from_str(&first).unwrap();
    let layers: Vec<String> = report["Metadata"]["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["Digest"].as_str().unwrap().to_owned())
        .collect();
    assert!(!layers.is_empty());
    let gets1 = blob_gets(&log1);
    for l in &layers {
        assert!(
            gets1.iter().any(|g| g.contains(l.as_str())),
            "{l} not fetched"
        );
    }
    let second = ok(&env.scan_as(&name, pw, &["--format", "json"]));
    assert_eq!(comparable(&first, &name), comparable(&second, &name));
    let log2 = env.reg.log_text();
    let new = blob_gets(&log2[log1.len()..]);
    for l in &layers {
        assert!(
            !new.iter().any(|g| g.contains(l.as_str())),
            "{l} fetched again: {new:?}"
        );
    }
    // Only the config blob was fetched again (with the manifest).
    let config = report["Metadata"]["ImageID"].as_str().unwrap();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].contains(config), "{new:?}");
}

/// `atalaia image NAME --image-src remote` under `script`, so stderr is a terminal; returns
/// what the terminal showed.
fn scan_on_a_terminal(env: &Env, name: &str, cache: &Path, ci: bool) -> String {
    let line = format!(
        "{} image {name} --image-src remote --registry-ca {} --cache-dir {} --username {} \
         --scanners secret --format json --output {}",
        env!("CARGO_BIN_EXE_atalaia"),
        env.reg.ca_file.display(),
        cache.display(),
        env.reg.username,
        cache.with_extension("json").display(),
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("ATALAIA_PASSWORD", &env.reg.password)
        .env("DOCKER_CONFIG", env.dir.path().join("docker"))
        .env_remove("ATALAIA_QUIET")
        .env_remove("ATALAIA_LOG")
        .stdin(Stdio::null());
    if ci {
        cmd.env("CI", "1");
    } else {
        cmd.env_remove("CI");
    }
    let out = cmd.output().expect("run script");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{shown}");
    shown
}

#[test]
fn progress_bars_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but `script` (util-linux) is missing"
        );
        return;
    }
    let Some(env) = Env::start() else { return };
    let name = env.push("python-app", "corpus/python-app:1");
    let shown = scan_on_a_terminal(&env, &name, &env.dir.path().join("tty-cache"), false);
    assert!(shown.contains("unpacked"), "{shown}");
    assert!(shown.contains("read from remote"), "{shown}");
    // In CI (and with every layer cached) nothing is drawn.
    let shown = scan_on_a_terminal(&env, &name, &env.dir.path().join("ci-cache"), true);
    assert!(!shown.contains("unpacked"), "{shown}");
    let shown = scan_on_a_terminal(&env, &name, &env.dir.path().join("tty-cache"), false);
    assert!(!shown.contains("unpacked"), "{shown}");
}
