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

/// An error that comes with a `hint:` line saying what the user can do about it.
#[derive(Debug)]
pub(crate) struct Hinted {
    message: String,
    /// What to do, printed on its own `hint:` line.
    pub(crate) hint: String,
}

impl Hinted {
    pub(crate) fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Hinted {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl std::fmt::Display for Hinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

/// Prints an error and its causes, one `Caused by:` line each, then the hints of any
/// [`Hinted`] error in the chain.
pub(crate) fn print_error(err: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {}", printable(&err.to_string()));
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  Caused by: {}", printable(&cause.to_string()));
    }
    let mut hinted = false;
    for cause in err.chain() {
        if let Some(h) = cause.downcast_ref::<Hinted>() {
            let _ = writeln!(stderr, "hint: {}", printable(&h.hint));
            hinted = true;
        }
    }
    // A `Hinted` attached with `.context(…)` is not in the chain as itself.
    if let Some(h) = err.downcast_ref::<Hinted>().filter(|_| !hinted) {
        let _ = writeln!(stderr, "hint: {}", printable(&h.hint));
    }
}

/// Longest message line printed; causes from parsers can quote whole garbage inputs.
const MAX_MESSAGE_CHARS: usize = 240;

/// Makes a message safe for a terminal: control characters and the replacement characters of
/// undecodable input are escaped (they come from the bytes of a bad file), and very long
/// messages are cut.
fn printable(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE_CHARS + 8));
    for c in message.chars() {
        if out.chars().count() >= MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() || c == char::REPLACEMENT_CHARACTER {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
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

/// Prints a status line (what a command did) to stderr; stdout stays for data.
pub(crate) fn status(message: &str) {
    let _ = writeln!(io::stderr().lock(), "{}", printable(message));
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn escapes_garbage_and_cuts_long_messages() {
        assert_eq!(
            printable("bad \u{1b}[31m byte \u{fffd}"),
            "bad \\u{1b}[31m byte \\u{fffd}"
        );
        assert_eq!(printable(&"x".repeat(1000)).chars().count(), 241);
        assert_eq!(printable("fine: `a` b"), "fine: `a` b");
    }
}
