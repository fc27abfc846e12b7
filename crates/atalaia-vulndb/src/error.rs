//! The crate's one error type: every variant names the file or the database it is about.

use std::path::PathBuf;

/// An error while building or reading the vulnerability database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VulnDbError {
    /// A file or directory could not be read or written.
    #[error("Failed to access `{}`", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        err: std::io::Error,
    },
    /// A feed file is not valid in the format it was recognised as.
    #[error("Feed file `{}` is not valid {format}: {message}", path.display())]
    Feed {
        /// The feed file (for a member of a zip archive: `archive.zip/member.json`).
        path: PathBuf,
        /// The format it was read as.
        format: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A build was asked for without any source.
    #[error("No feed directory or file was given to build from")]
    NoSources,
    /// A source path does not exist.
    #[error("Feed source `{}` does not exist", path.display())]
    MissingSource {
        /// The path given.
        path: PathBuf,
    },
    /// SQLite failed on the database file.
    #[error("Failed to {action} vulnerability database `{}`", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What was being done (`open`, `query`, `write`).
        action: &'static str,
        /// The cause.
        #[source]
        err: Box<rusqlite::Error>,
    },
    /// The file opens as SQLite but is not an atalaia vulnerability database this build can read.
    #[error("`{}` is not a usable vulnerability database: {reason}", path.display())]
    BadDatabase {
        /// The database file.
        path: PathBuf,
        /// What is wrong (missing tables, unknown schema version, corrupt row).
        reason: String,
    },
}

impl VulnDbError {
    pub(crate) fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Self {
        VulnDbError::Io {
            path: path.into(),
            err,
        }
    }

    pub(crate) fn feed(
        path: impl Into<PathBuf>,
        format: &'static str,
        message: impl std::fmt::Display,
    ) -> Self {
        VulnDbError::Feed {
            path: path.into(),
            format,
            message: message.to_string(),
        }
    }

    pub(crate) fn sqlite(
        path: impl Into<PathBuf>,
        action: &'static str,
        err: rusqlite::Error,
    ) -> Self {
        VulnDbError::Sqlite {
            path: path.into(),
            action,
            err: Box::new(err),
        }
    }
}
