//! The crate's error type.

/// What can go wrong when reading an ignore file or a VEX document.
///
/// Every variant names the file (`source`, as the caller gave it); parse errors also name the
/// line. Problems that Trivy only warns about (a bad `exp:` date in a plain `.trivyignore`) are
/// not errors but [`crate::IgnoreWarning`]s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IgnoreError {
    /// The file could not be read.
    #[error("Failed to read `{source_name}`")]
    Read {
        /// The file.
        source_name: String,
        /// The I/O error.
        #[source]
        err: std::io::Error,
    },
    /// A `.trivyignore.yaml` is not valid YAML of the expected shape: unknown key, wrong type,
    /// bad date, bad purl, bad glob, or an entry with none of `id`, `paths`, `purls`.
    #[error("Ignore file `{source_name}` is not valid{}", line_suffix(*line))]
    Yaml {
        /// The file.
        source_name: String,
        /// The 1-based line of the problem, when the parser knows it.
        line: Option<usize>,
        /// The parser's error, naming the key or value.
        #[source]
        err: serde_yaml_ng::Error,
    },
    /// A VEX document is not valid JSON, or not of the shape its format requires.
    #[error("VEX document `{source_name}` is not valid{}", line_suffix(*line))]
    VexJson {
        /// The file.
        source_name: String,
        /// The 1-based line of the problem, when the parser knows it.
        line: Option<usize>,
        /// The parser's error.
        #[source]
        err: serde_json::Error,
    },
    /// A VEX document is JSON but neither OpenVEX (`@context`) nor CycloneDX (`bomFormat`).
    #[error("VEX document `{source_name}` is in an unknown format: {reason}")]
    UnknownVexFormat {
        /// The file.
        source_name: String,
        /// What was looked for.
        reason: String,
    },
    /// A VEX statement holds a value this crate cannot use (a bad timestamp, an unknown status).
    #[error("VEX document `{source_name}`, {location}: {reason}")]
    VexValue {
        /// The file.
        source_name: String,
        /// Which statement (`statement 3`, `vulnerabilities[2]`).
        location: String,
        /// What is wrong.
        reason: String,
    },
}

fn line_suffix(line: Option<usize>) -> String {
    match line {
        Some(l) => format!(" (line {l})"),
        None => String::new(),
    }
}
