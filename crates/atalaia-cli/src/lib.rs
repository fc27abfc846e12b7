//! The `atalaia` command line: parse, resolve settings, run one command, map to an exit code.
//!
//! Data goes to stdout (or `--output`); logs, warnings and errors to stderr.

mod args;
mod clean;
mod containerd_source;
mod db;
mod env;
mod host;
mod misconf;
mod printer;
mod registry_auth;
mod remote_progress;
mod repo;
mod scan;
mod settings;
mod source;
mod suppress;
mod vulndb;
mod watch;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing to report, or findings without `--exit-code`.
    Clean,
    /// Findings remained and `--exit-code N` asked for this code.
    Findings(u8),
    /// The scan could not be done.
    Failed,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        match s {
            ExitStatus::Clean => ExitCode::SUCCESS,
            ExitStatus::Findings(n) => ExitCode::from(n),
            ExitStatus::Failed => ExitCode::from(2),
        }
    }
}

/// Runs the command line given as `args` (program name first).
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitStatus {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not errors; clap prints them itself.
            let failed = err.use_stderr();
            let _ = err.print();
            return if failed {
                ExitStatus::Failed
            } else {
                ExitStatus::Clean
            };
        }
    };
    printer::init_logging(cli.global.quiet, cli.global.debug);
    match run(cli) {
        Ok(status) => status,
        Err(err) => {
            printer::print_error(&err);
            ExitStatus::Failed
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Image(args) => scan::run(settings::ScanSettings::for_image(&args)?),
        Command::Filesystem(args) => scan::run(settings::ScanSettings::for_dir(
            &args,
            atalaia_analyze::ScanMode::Fs,
        )?),
        Command::Rootfs(args) => scan::run(settings::ScanSettings::for_dir(
            &args,
            atalaia_analyze::ScanMode::Rootfs,
        )?),
        Command::Config(args) => scan::run(settings::ScanSettings::for_config(&args)?),
        Command::Repo(args) => repo::run(&args),
        Command::Sbom(args) => scan::run(settings::ScanSettings::for_sbom(&args)?),
        Command::Db(args) => db::run(args, cli.global.quiet),
        Command::Host(args) => host::run(settings::ScanSettings::for_host(&args)?),
        Command::Watch(args) => watch::run(&args),
        Command::Clean(args) => clean::run(&args),
        Command::Version => {
            printer::stdout_line(&format!("Version: {}", env!("CARGO_PKG_VERSION")))?;
            Ok(ExitStatus::Clean)
        }
    }
}
