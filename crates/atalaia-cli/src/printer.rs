//! The only place that writes to the terminal: logs and errors to stderr, data to stdout.
#![allow(clippy::print_stderr)] // this module is the printer

use std::io::{self, Write};

/// Sets up logs on stderr: warnings by default, nothing but errors with `--quiet`, debug with `--debug`.
pub(crate) fn init_logging(quiet: bool, debug: bool) {
    let level = if debug {
        "debug"
    } else if quiet {
        "error"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ATALAIA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::IsTerminal::is_terminal(&io::stderr()))
        .without_time()
        .with_target(false)
        .try_init();
}

/// Prints an error and its causes, one `Caused by:` line each.
pub(crate) fn print_error(err: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  Caused by: {cause}");
    }
}

/// Prints a warning that is about the scan's result, not a log line.
pub(crate) fn warn(message: &str) {
    let _ = writeln!(io::stderr().lock(), "warning: {message}");
}

/// Writes one line of data to stdout; a closed pipe is not an error.
pub(crate) fn stdout_line(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    ignore_broken_pipe(writeln!(out, "{line}").and_then(|()| out.flush()))
}

/// A reader of our output that went away (`atalaia … | head`) is not a failure.
pub(crate) fn ignore_broken_pipe(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
