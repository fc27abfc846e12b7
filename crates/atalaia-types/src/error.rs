//! Errors of the domain types: only parsing of identifiers can fail here.

/// An identifier given as text was not well formed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TypesError {
    /// A digest was not `algorithm:hex`.
    #[error("`{value}` is not a digest of the form `sha256:<64 hex digits>`")]
    BadDigest {
        /// The text that was given.
        value: String,
    },
    /// A package URL did not follow the purl specification.
    #[error("`{value}` is not a package URL: {reason}")]
    BadPurl {
        /// The text that was given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}
