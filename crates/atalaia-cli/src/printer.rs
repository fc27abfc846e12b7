//! The only place that writes to the terminal: logs and errors to stderr, data to stdout.
#![allow(clippy::print_stderr)] // this module is the printer

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;

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

/// Writes what `render` produces to `output` (`--output`), or to stdout when there is none (a
/// closed pipe there is not an error: `atalaia … | head` is fine).
///
/// A regular file (or a new one) is written beside and renamed into place, so a failed scan
/// never leaves half a report behind. Anything else that exists — `/dev/null`, a FIFO, a
/// terminal, a symlink — is written through: renaming over it would replace a device node (as
/// root, `/dev/null` itself) or a link with a plain file.
pub(crate) fn write_output(
    output: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = output else {
        let stdout = io::stdout();
        let mut w = BufWriter::new(stdout.lock());
        let result = render(&mut w).and_then(|()| Ok(w.flush()?));
        if let Err(err) = result {
            let broken_pipe = err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
            if !broken_pipe {
                return Err(err);
            }
        }
        return Ok(());
    };
    if !writes_by_rename(path) {
        let mut w = BufWriter::new(
            fs_err::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)?,
        );
        render(&mut w)?;
        w.flush()
            .with_context(|| format!("Failed to write `{}`", path.display()))?;
        return Ok(());
    }
    let tmp = path.with_extension("atalaia-partial");
    let mut w = BufWriter::new(fs_err::File::create(&tmp)?);
    let written = render(&mut w).and_then(|()| {
        w.flush()
            .with_context(|| format!("Failed to write `{}`", tmp.display()))
    });
    drop(w);
    if let Err(err) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(err);
    }
    fs_err::rename(&tmp, path)?;
    Ok(())
}

/// Whether `path` is written through a temporary file and a rename: only when it is missing or
/// a regular file (not a symlink, device, FIFO or socket).
fn writes_by_rename(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type().is_file(),
        Err(_) => true,
    }
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

    #[test]
    fn only_missing_or_regular_files_are_written_by_rename() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        assert!(super::writes_by_rename(&file), "a new file");
        std::fs::write(&file, b"old").unwrap();
        assert!(super::writes_by_rename(&file), "a regular file");
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(
            !super::writes_by_rename(&link),
            "a symlink is written through"
        );
        assert!(
            !super::writes_by_rename(std::path::Path::new("/dev/null")),
            "a device is written through, never replaced"
        );
    }

    #[test]
    fn a_symlinked_output_keeps_the_link_and_fills_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        std::fs::write(&file, b"old contents, longer than the new").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        super::write_output(Some(&link), |w| Ok(w.write_all(b"new")?)).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
    }

    #[test]
    fn a_failed_render_leaves_no_partial_file_and_keeps_the_old_report() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        std::fs::write(&file, b"old").unwrap();
        let err = super::write_output(Some(&file), |w| {
            w.write_all(b"half")?;
            anyhow::bail!("scan failed")
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&file).unwrap(), b"old");
        assert!(!dir.path().join("report.atalaia-partial").exists());
    }
}
