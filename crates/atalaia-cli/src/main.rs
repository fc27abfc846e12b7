//! The `atalaia` binary: a shell around [`atalaia_cli::main`].

use std::process::ExitCode;

fn main() -> ExitCode {
    atalaia_cli::main(std::env::args_os()).into()
}
