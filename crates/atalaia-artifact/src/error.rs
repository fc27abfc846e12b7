//! Errors reading an artifact. Each names the file (and layer) it is about.

use std::path::PathBuf;

/// Reading an image or a layer failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArtifactError {
    /// The input could not be opened or read.
    #[error("Failed to read `{path}`")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        err: std::io::Error,
    },
}
