//! The one error type of this crate.
//!
//! Every message names the string that was rejected and the scheme it was read under, so a
//! caller can print it as is (`error: \`1.0_1\` is not a valid dpkg version: ...`).

use crate::Scheme;

/// Why a version, a constraint or an OSV range could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The scheme name is none of the supported ones.
    #[error("Unknown version scheme `{0}`")]
    UnknownScheme(String),
    /// The string is not a version under this scheme.
    #[error("`{input}` is not a valid {scheme} version: {reason}")]
    InvalidVersion {
        /// The scheme the string was read under.
        scheme: Scheme,
        /// The rejected string.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The string is not a constraint (range, requirement, specifier) under this scheme.
    #[error("`{input}` is not a valid {scheme} constraint: {reason}")]
    InvalidConstraint {
        /// The scheme the string was read under.
        scheme: Scheme,
        /// The rejected string.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An OSV range is malformed (for example an event with no version).
    #[error("Invalid OSV range: {reason}")]
    InvalidRange {
        /// What is wrong with it.
        reason: String,
    },
}

impl VersionError {
    pub(crate) fn version(scheme: Scheme, input: &str, reason: &'static str) -> Self {
        Self::InvalidVersion {
            scheme,
            input: input.to_owned(),
            reason,
        }
    }

    pub(crate) fn constraint(scheme: Scheme, input: &str, reason: impl Into<String>) -> Self {
        Self::InvalidConstraint {
            scheme,
            input: input.to_owned(),
            reason: reason.into(),
        }
    }
}
