//! atalaia's misconfiguration coverage record: which configuration files were found, which
//! were evaluated, and which were not and why. Trivy says nothing when it skips a file (a chart
//! it cannot render, a YAML file it cannot parse); atalaia reports it, in the JSON report as the
//! extra top-level field `MisconfCoverage` (only when the misconfiguration scanner ran) and in
//! the table after the results.

use serde::{Deserialize, Serialize};

/// What the misconfiguration scanner found, evaluated, and left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MisconfCoverage {
    /// Candidate configuration files found (by name).
    pub files_found: usize,
    /// Files evaluated by the checks.
    pub files_evaluated: usize,
    /// Files found but not evaluated, with the reason, by path.
    #[serde(default)]
    pub not_evaluated: Vec<NotEvaluatedFile>,
}

/// A configuration file that was found but not evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotEvaluatedFile {
    /// The file, as results name their targets.
    pub path: String,
    /// Why, in a few words (`too large (12000000 bytes)`, `invalid yaml: …`).
    pub reason: String,
}

impl MisconfCoverage {
    /// Adds `other`'s counts and files (e.g. the files of an image and its config), keeping the
    /// list sorted by path.
    pub fn merge(&mut self, other: MisconfCoverage) {
        self.files_found += other.files_found;
        self.files_evaluated += other.files_evaluated;
        self.not_evaluated.extend(other.not_evaluated);
        self.not_evaluated.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

impl From<&atalaia_misconfig::Coverage> for MisconfCoverage {
    fn from(c: &atalaia_misconfig::Coverage) -> Self {
        MisconfCoverage {
            files_found: c.files_found,
            files_evaluated: c.files_evaluated,
            not_evaluated: c
                .not_evaluated
                .iter()
                .map(|s| NotEvaluatedFile {
                    path: s.path.clone(),
                    reason: s.reason.to_string(),
                })
                .collect(),
        }
    }
}

impl std::fmt::Display for MisconfCoverage {
    /// The one-line summary: `3 configuration files found, 2 evaluated, 1 not evaluated`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = if self.files_found == 1 {
            "file"
        } else {
            "files"
        };
        write!(
            f,
            "{} configuration {files} found, {} evaluated, {} not evaluated",
            self.files_found,
            self.files_evaluated,
            self.not_evaluated.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_merges_and_round_trips() {
        let c = atalaia_misconfig::Coverage {
            files_found: 2,
            files_evaluated: 1,
            not_evaluated: vec![atalaia_misconfig::SkippedFile {
                path: "z/values.yaml".into(),
                reason: atalaia_misconfig::NotEvaluated::TooLarge { size: 9 },
            }],
        };
        let mut cov = MisconfCoverage::from(&c);
        assert_eq!(cov.not_evaluated[0].reason, "too large (9 bytes)");
        cov.merge(MisconfCoverage {
            files_found: 1,
            files_evaluated: 0,
            not_evaluated: vec![NotEvaluatedFile {
                path: "a.json".into(),
                reason: "not UTF-8 text".into(),
            }],
        });
        assert_eq!(
            cov.to_string(),
            "3 configuration files found, 1 evaluated, 2 not evaluated"
        );
        assert_eq!(cov.not_evaluated[0].path, "a.json");
        let json = serde_json::to_value(&cov).unwrap();
        assert_eq!(json["FilesFound"], 3);
        assert_eq!(json["NotEvaluated"][1]["Reason"], "too large (9 bytes)");
        let back: MisconfCoverage = serde_json::from_value(json).unwrap();
        assert_eq!(back, cov);
        assert!(serde_json::from_str::<MisconfCoverage>("{\"FilesFound\":\"x\"}").is_err());
    }
}
