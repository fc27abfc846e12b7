//! What Trivy's report says about a scanned git repository (`Metadata.RepoURL`, `Branch`,
//! `Tags`, `Commit`, `CommitMsg`, `Author`, `Committer`), each left out when unknown.

use serde::{Deserialize, Serialize};

/// The git facts of a `repository` artifact, flattened into [`crate::Metadata`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RepoMetadata {
    /// The `origin` remote's URL (credentials redacted).
    #[serde(default, rename = "RepoURL", skip_serializing_if = "String::is_empty")]
    pub repo_url: String,
    /// The checked-out branch; empty for a detached `HEAD`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub branch: String,
    /// Tags pointing at the commit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The commit hash.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commit: String,
    /// The commit message.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commit_msg: String,
    /// `Name <email>` of the author.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// `Name <email>` of the committer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub committer: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_left_out_and_names_follow_trivy() {
        assert_eq!(
            serde_json::to_string(&RepoMetadata::default()).unwrap(),
            "{}"
        );
        let m = RepoMetadata {
            repo_url: "https://host/x".into(),
            commit_msg: "first".into(),
            ..RepoMetadata::default()
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["RepoURL"], "https://host/x");
        assert_eq!(json["CommitMsg"], "first");
        assert_eq!(serde_json::from_value::<RepoMetadata>(json).unwrap(), m);
        assert!(serde_json::from_str::<RepoMetadata>("{\"Tags\": \"v1\"}").is_err());
    }
}
