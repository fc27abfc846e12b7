//! The crate's error type.

use std::path::PathBuf;

use atalaia_registry::RegistryError;
use atalaia_vulndb::VulnDbError;

/// What went wrong publishing, downloading or installing the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbDistError {
    /// A file operation failed.
    #[error("cannot {action} `{path}`")]
    Io {
        /// What was being done (`create`, `rename`, `fsync`).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The registry failed.
    #[error("cannot {action} the vulnerability database {direction} `{reference}`")]
    Registry {
        /// `download` or `publish`.
        action: &'static str,
        /// `from` or `to`.
        direction: &'static str,
        /// The reference.
        reference: String,
        /// The cause.
        #[source]
        source: Box<RegistryError>,
    },
    /// The artifact found is not an atalaia database.
    #[error("`{reference}` is not an atalaia vulnerability database: {reason}")]
    NotADatabase {
        /// The reference.
        reference: String,
        /// What is wrong.
        reason: String,
    },
    /// A database file (to publish, or just downloaded) does not open.
    #[error("`{path}` is not a usable vulnerability database")]
    BadDatabase {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: Box<VulnDbError>,
    },
    /// The downloaded layer is not valid zstd, or inflates beyond the limit.
    #[error("cannot decompress the database layer {digest}: {reason}")]
    BadLayer {
        /// The layer digest.
        digest: String,
        /// What is wrong.
        reason: String,
    },
    /// There is no local database and none may be downloaded.
    #[error("no vulnerability database at `{path}`")]
    NoDatabase {
        /// Where it was expected.
        path: PathBuf,
    },
    /// The update failed and the local copy is older than `--max-db-age`.
    #[error("the local vulnerability database `{path}` is {age} old, more than the allowed {max_age}, and it could not be updated")]
    TooOld {
        /// The file.
        path: PathBuf,
        /// Its age, for people.
        age: String,
        /// The maximum, for people.
        max_age: String,
        /// Why the update failed.
        #[source]
        source: Box<DbDistError>,
    },
    /// A duration (`--max-db-age`) is malformed.
    #[error(
        "`{value}` is not a duration: use a number with a unit, such as `12h`, `7d` or `1d12h`"
    )]
    BadDuration {
        /// The text.
        value: String,
    },
}

impl DbDistError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        DbDistError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Whether the root cause is rejected credentials.
    pub fn is_auth(&self) -> bool {
        match self {
            DbDistError::Registry { source, .. } => source.is_auth(),
            DbDistError::TooOld { source, .. } => source.is_auth(),
            _ => false,
        }
    }
}
