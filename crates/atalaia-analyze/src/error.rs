//! Errors of analysis.

use atalaia_types::Digest;

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
    /// A layer of an image could not be read. Fails the scan.
    #[error("Failed to read layer {index} (`{digest}`)")]
    Layer {
        /// The layer's position, 1-based from the lowest.
        index: usize,
        /// The layer's blob digest.
        digest: Digest,
        /// The cause.
        #[source]
        err: Box<atalaia_artifact::ArtifactError>,
    },
    /// The target itself could not be read. Fails the scan.
    #[error(transparent)]
    Artifact(Box<atalaia_artifact::ArtifactError>),
    /// The worker thread pool could not be started.
    #[error("Failed to start {threads} analysis threads")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// The cause.
        #[source]
        err: rayon::ThreadPoolBuildError,
    },
}

impl From<atalaia_artifact::ArtifactError> for AnalyzeError {
    fn from(err: atalaia_artifact::ArtifactError) -> Self {
        AnalyzeError::Artifact(Box::new(err))
    }
}

impl AnalyzeError {
    /// A parse error for `path`.
    pub fn parse(path: &str, reason: impl Into<String>) -> Self {
        AnalyzeError::Parse {
            path: path.to_owned(),
            reason: reason.into(),
        }
    }
}
