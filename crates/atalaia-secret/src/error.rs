//! The crate's error type.

use std::path::PathBuf;

/// What can go wrong when building a scanner or scanning a stream.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret config file could not be read.
    #[error("Failed to read secret config `{}`", path.display())]
    ReadConfig {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        err: std::io::Error,
    },
    /// The secret config file is not valid YAML of the expected shape (unknown field, wrong type).
    #[error("Secret config `{}` is not valid", path.display())]
    ParseConfig {
        /// The config file.
        path: PathBuf,
        /// The parser's error, with the line and column and the field it names.
        #[source]
        err: serde_yaml_ng::Error,
    },
    /// The config parsed but some of its values are wrong; every problem is listed.
    #[error("Secret config `{}` has {} invalid value(s):\n{}", path.display(), problems.len(), problems.join("\n"))]
    InvalidConfig {
        /// The config file (`<inline>` for a config given as a string).
        path: PathBuf,
        /// One line per problem, naming the rule and the field.
        problems: Vec<String>,
    },
    /// A regex of a built-in rule did not compile (a bug in this crate).
    #[error("Built-in secret rule `{id}` has an invalid regex")]
    BuiltinRegex {
        /// The rule ID.
        id: String,
        /// The regex error.
        #[source]
        err: Box<regex::Error>,
    },
    /// The keyword prefilter could not be built.
    #[error("Failed to build the secret keyword prefilter")]
    Prefilter {
        /// The automaton error.
        #[source]
        err: aho_corasick::BuildError,
    },
    /// A stream being scanned failed to read.
    #[error("Failed to read `{path}` while scanning it for secrets")]
    Read {
        /// The path the caller gave for the stream.
        path: String,
        /// The I/O error.
        #[source]
        err: std::io::Error,
    },
}
