//! Errors of the crate.

use std::path::PathBuf;

/// What stops a scan as a whole (a bad file never does: it is recorded as not evaluated).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The directory to scan cannot be read.
    #[error("Cannot read directory `{}`", path.display())]
    ReadDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        err: std::io::Error,
    },
    /// A custom Rego check (`--config-check`) cannot be loaded.
    #[error(transparent)]
    CustomCheck(#[from] crate::custom::CustomCheckError),
}
