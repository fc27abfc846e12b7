//! Errors of detection: the advisory store failed (a lookup, not a bad version, which is a
//! warning and never aborts a scan).

/// An advisory store could not answer a lookup.
#[derive(Debug, thiserror::Error)]
#[error("Advisory store failed to {action}")]
pub struct StoreError {
    /// What was being looked up (`look up advisories for \`PyPI\` \`django\``).
    pub action: String,
    /// The store's own error.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    /// Wraps a store's error with what was being looked up.
    pub fn new(
        action: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        StoreError {
            action: action.into(),
            source: source.into(),
        }
    }
}

/// The error of [`crate::detect`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DetectError {
    /// The advisory store failed.
    #[error("Failed to read advisories for `{package}` in `{namespace}`")]
    Store {
        /// The namespace looked up.
        namespace: String,
        /// The package looked up.
        package: String,
        /// The store's error.
        #[source]
        err: StoreError,
    },
}
