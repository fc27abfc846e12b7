//! Errors of the report writers: only writing can fail.

/// A report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Serialising the report as JSON failed (the destination refused the bytes, or a value
    /// could not be represented).
    #[error("Failed to write the report as `{format}`")]
    Serialize {
        /// The output format being written (`json`, `table`).
        format: &'static str,
        /// What went wrong.
        #[source]
        err: serde_json::Error,
    },
    /// The destination refused the bytes.
    #[error("Failed to write the report as `{format}`")]
    Io {
        /// The output format being written (`json`, `table`).
        format: &'static str,
        /// What went wrong.
        #[source]
        err: std::io::Error,
    },
    /// A report template (`--format template`) could not be read, compiled or rendered.
    #[error("Failed to render the report template {location}")]
    Template {
        /// The template and, when known, the line: `` `junit.tpl` at line 3 ``.
        location: String,
        /// What went wrong (the template engine's or the file system's error).
        #[source]
        err: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ReportError {
    /// The I/O error underneath, if writing failed because the destination refused the bytes
    /// (the CLI treats a broken pipe as success).
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            ReportError::Io { err, .. } => Some(err),
            ReportError::Serialize { .. } | ReportError::Template { .. } => None,
        }
    }
}
