//! End-to-end tests of the `atalaia` binary: exit codes, streams and report shapes.

mod clean;
mod config;
mod containerd;
mod daemon;
mod db;
mod db_registry;
mod host_podman;
mod ignore;
mod image;
mod image_cache;
mod image_misconf;
mod image_remote;
mod repo;
mod sbom;
mod secret;
mod suppressed;
mod usage;
mod vuln;
mod watch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The vulnerability database built from all of `vulndata/`, once per test binary, under
/// Cargo's temporary directory for integration tests.
pub(crate) fn db_path() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("atalaia-cli-it");
        std::fs::create_dir_all(&dir).expect("create the database directory");
        let path = dir.join("atalaia.db");
        atalaia_vulndb::build(
            &[atalaia_test::vulndata_dir()],
            &path,
            &atalaia_vulndb::BuildOptions::new().built_at("2026-01-01T00:00:00Z"),
        )
        .expect("build the database over all of vulndata");
        path
    })
}

/// A command running the built binary with `args`: the test database, an empty cache
/// directory, and none of the `ATALAIA_*` variables of the environment running the tests.
pub(crate) fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atalaia"));
    cmd.args(args);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ATALAIA_") && key != "ATALAIA_SHARED" {
            cmd.env_remove(key);
        }
    }
    cmd.env("ATALAIA_DB", db_path())
        .env(
            "ATALAIA_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("atalaia-cli-it/empty-cache"),
        )
        .env_remove("NO_COLOR");
    cmd
}

/// Runs the built binary with `args` (see [`command`]).
pub(crate) fn atalaia(args: &[&str]) -> Output {
    command(args).output().expect("run atalaia")
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
