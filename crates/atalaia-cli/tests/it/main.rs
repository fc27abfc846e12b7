//! End-to-end tests of the `atalaia` binary: exit codes, streams and report shapes.

mod image;
mod secret;
mod usage;

use std::process::{Command, Output};

/// Runs the built binary with `args`.
pub(crate) fn atalaia(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_atalaia"))
        .args(args)
        .env_remove("ATALAIA_FORMAT")
        .env_remove("ATALAIA_OUTPUT")
        .output()
        .expect("run atalaia")
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
