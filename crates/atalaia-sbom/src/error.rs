//! Errors of the SBOM writers and readers.

/// An SBOM document could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    /// The document could not be serialised or the destination refused the bytes.
    #[error("Failed to write the {format} document for `{artifact}`")]
    Write {
        /// The format (`CycloneDX`, `SPDX`).
        format: &'static str,
        /// The artifact the document describes.
        artifact: String,
        /// What went wrong.
        #[source]
        err: std::io::Error,
    },
    /// The bytes are not JSON, or not JSON of the expected shape.
    #[error("`{source_name}` is not a valid {format} JSON document")]
    Parse {
        /// The format (`CycloneDX`, `SPDX`).
        format: &'static str,
        /// Where the document came from (a path, `stdin`).
        source_name: String,
        /// What is wrong with it.
        #[source]
        err: serde_json::Error,
    },
    /// The document is JSON but not a document of the expected format or version.
    #[error("`{source_name}` is not a {format} document: {reason}")]
    NotFormat {
        /// The format (`CycloneDX`, `SPDX`).
        format: &'static str,
        /// Where the document came from.
        source_name: String,
        /// What is missing or unsupported.
        reason: String,
    },
}

impl SbomError {
    /// The I/O error underneath, if writing failed because the destination refused the bytes
    /// (the CLI treats a broken pipe as success).
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            SbomError::Write { err, .. } => Some(err),
            SbomError::Parse { .. } | SbomError::NotFormat { .. } => None,
        }
    }
}
