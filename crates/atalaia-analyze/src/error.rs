//! Errors of analysis.

/// Analysis failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalyzeError {
    /// A file could not be parsed. Recorded as a warning; the scan goes on.
    #[error("Failed to parse `{path}`: {reason}")]
    Parse {
        /// The file, relative to the root.
        path: String,
        /// What is wrong with it, in one line.
        reason: String,
    },
    /// A layer or the target itself could not be read. Fails the scan.
    #[error(transparent)]
    Artifact(#[from] atalaia_artifact::ArtifactError),
}
