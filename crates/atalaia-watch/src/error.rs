//! The errors of the watch engine.

use std::path::PathBuf;

/// What can go wrong in the watch engine. Notification failures are not errors: they are kept in
/// the outbox and reported in [`crate::RunOutcome::deliveries`].
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The state file cannot be opened or set up.
    #[error("Failed to open the watch state `{path}`")]
    Open {
        /// The state file.
        path: PathBuf,
        /// The cause.
        #[source]
        err: rusqlite::Error,
    },
    /// The state file was written by a newer atalaia.
    #[error(
        "The watch state `{path}` has schema version {found}; this atalaia reads up to {supported}"
    )]
    NewerSchema {
        /// The state file.
        path: PathBuf,
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A query on the state file failed.
    #[error("Failed to {action} in the watch state `{path}`")]
    Sql {
        /// The state file.
        path: PathBuf,
        /// What was being done.
        action: String,
        /// The cause.
        #[source]
        err: rusqlite::Error,
    },
    /// A stored value cannot be decoded.
    #[error("The {what} stored in the watch state `{path}` is corrupt")]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// What was being read (`inventory of image sha256:…`).
        what: String,
        /// The cause.
        #[source]
        err: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A value cannot be encoded for storage.
    #[error("Failed to encode the {what} for the watch state")]
    Encode {
        /// What was being written.
        what: String,
        /// The cause.
        #[source]
        err: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The vulnerability database's identity cannot be read.
    #[error("Failed to read the identity of the vulnerability database `{path}`")]
    DbIdentity {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        err: atalaia_vulndb::VulnDbError,
    },
}
