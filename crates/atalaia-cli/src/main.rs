//! The `atalaia` binary: a shell around [`atalaia_cli::main`].

use std::process::ExitCode;

/// mimalloc, not glibc's malloc: a scan builds and frees many small strings (inventories,
/// reports), and glibc spent a fifth of matching time freeing them (`bench/match.sh`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    atalaia_cli::main(std::env::args_os()).into()
}
