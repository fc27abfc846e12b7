//! Configuration files of an image, for the misconfiguration scanner.
//!
//! [`MisconfAnalyzer`] keeps, during the same single walk as everything else, the text of every
//! file Trivy's config analyzers would read (Dockerfiles, YAML and JSON — Kubernetes, Compose,
//! CloudFormation, Helm —, Terraform and OpenTofu), as a [`Finding::ConfigFile`] of the layer
//! (serialisable, so a layer cache stores it). [`collect_config_files`] then keeps those of the
//! *final* filesystem: unlike a secret, a configuration file deleted by a whiteout, hidden by an
//! opaque directory or replaced in a later layer is not configuration of the image, so it is
//! not reported (as Trivy). The checks themselves live in `atalaia-misconfig`; this crate only
//! finds the files.

use atalaia_types::{LayerInfo, PackageLayer};
use serde::{Deserialize, Serialize};

use crate::layer::{LayerAnalysis, Node};
use crate::merge::MergedFs;
use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

/// Files bigger than this are recorded as [`ConfigContent::TooLarge`] rather than kept (the
/// misconfiguration scanner's own default limit).
pub const DEFAULT_MAX_CONFIG_BYTES: u64 = 10 << 20;

/// Directories whose files are never configuration of the image (dependencies, VCS data), as
/// the misconfiguration scanner skips them in a directory.
const SKIP_DIRS: &[&str] = &[".git", "node_modules", ".terraform", "vendor"];

/// What the analyzer keeps of one configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigContent {
    /// The file's text.
    Text(String),
    /// Larger than the analyzer's limit: found, not kept.
    TooLarge {
        /// Its size in bytes.
        size: u64,
    },
    /// Not UTF-8 text: found, not kept.
    NotText,
}

/// Keeps the configuration files of each layer (see the module documentation).
#[derive(Debug, Clone)]
pub struct MisconfAnalyzer {
    max_file_bytes: u64,
}

impl Default for MisconfAnalyzer {
    fn default() -> Self {
        MisconfAnalyzer::new(DEFAULT_MAX_CONFIG_BYTES)
    }
}

impl MisconfAnalyzer {
    /// An analyzer keeping files of at most `max_file_bytes` bytes.
    pub fn new(max_file_bytes: u64) -> Self {
        MisconfAnalyzer { max_file_bytes }
    }
}

/// Whether `path` (relative, `/`-separated) names a file the misconfiguration scanner reads:
/// `Dockerfile`, `Containerfile`, `Dockerfile.*`, `*.Dockerfile` (any case), `*.yaml`, `*.yml`,
/// `*.json`, `*.tf`, `*.tf.json`, `*.tfvars`, `*.tofu`, `*.tofu.json`; never under `.git`,
/// `node_modules`, `.terraform` or `vendor`.
pub fn is_config_file(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    let mut parts = path.split('/');
    let Some(base) = parts.next_back() else {
        return false;
    };
    if parts.any(|dir| SKIP_DIRS.contains(&dir)) {
        return false;
    }
    let base = base.to_ascii_lowercase();
    let stem = base.split_once('.').map_or(base.as_str(), |(s, _)| s);
    let ext = base.rsplit_once('.').map(|(_, e)| e);
    if matches!(stem, "dockerfile" | "containerfile")
        || matches!(ext, Some("dockerfile" | "containerfile"))
    {
        return true;
    }
    matches!(
        ext,
        Some("yaml" | "yml" | "json" | "tf" | "tfvars" | "tofu")
    )
}

impl Analyzer for MisconfAnalyzer {
    fn name(&self) -> &'static str {
        "misconfig"
    }

    fn version(&self) -> u32 {
        1
    }

    fn modes(&self) -> &'static [ScanMode] {
        // Directories are read in place by the misconfiguration scanner itself.
        &[ScanMode::Image]
    }

    fn settings_fingerprint(&self) -> String {
        format!("max_file_bytes={}", self.max_file_bytes)
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        is_config_file(path)
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let size = input.bytes.len() as u64;
        let content = if size > self.max_file_bytes {
            ConfigContent::TooLarge { size }
        } else {
            match std::str::from_utf8(input.bytes) {
                Ok(text) => ConfigContent::Text(text.to_owned()),
                Err(_) => ConfigContent::NotText,
            }
        };
        Ok(vec![Finding::ConfigFile(content)])
    }
}

/// A configuration file of an image's final filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    /// Its path, relative to the root (no leading `/`), as Trivy names config targets.
    pub path: String,
    /// The layer holding the visible copy.
    pub layer: PackageLayer,
    /// What the analyzer kept.
    pub content: ConfigContent,
}

/// The configuration files of the final filesystem of `layers` (lowest first; `infos`
/// describe them), by path. Files deleted or replaced by an upper layer are left out; a file
/// an upper layer replaced with another configuration file is reported once, as that file.
pub fn collect_config_files(layers: &[LayerAnalysis], infos: &[LayerInfo]) -> Vec<ConfigFile> {
    let fs = MergedFs::new(layers);
    let mut out = Vec::new();
    for (path, merged) in fs.iter() {
        let Node::File(file) = merged.node else {
            continue;
        };
        for finding in &file.findings {
            let Finding::ConfigFile(content) = finding else {
                continue;
            };
            out.push(ConfigFile {
                path: path.to_owned(),
                layer: infos
                    .get(merged.layer)
                    .map(LayerInfo::as_package_layer)
                    .unwrap_or_default(),
                content: content.clone(),
            });
            break;
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::layer::FileNode;

    fn file(content: &str) -> Node {
        Node::File(FileNode {
            analyzed: true,
            findings: vec![Finding::ConfigFile(ConfigContent::Text(content.to_owned()))],
            warnings: Vec::new(),
        })
    }

    fn layer(entries: &[(&str, Node)], whiteouts: &[&str], opaque: &[&str]) -> LayerAnalysis {
        LayerAnalysis {
            entries: entries
                .iter()
                .map(|(p, n)| ((*p).to_owned(), n.clone()))
                .collect::<BTreeMap<_, _>>(),
            whiteouts: whiteouts.iter().map(|s| (*s).to_owned()).collect(),
            opaque_dirs: opaque
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>(),
            ..LayerAnalysis::default()
        }
    }

    #[test]
    fn names_follow_trivys_config_analyzers() {
        for yes in [
            "app/Dockerfile",
            "Containerfile",
            "app/Dockerfile.prod",
            "build/api.dockerfile",
            "k8s/pod.yaml",
            "compose.yml",
            "cfn/stack.json",
            "infra/main.tf",
            "infra/main.tf.json",
            "infra/prod.tfvars",
            "infra/main.tofu",
            "/etc/x.YAML",
        ] {
            assert!(is_config_file(yes), "{yes}");
        }
        for no in [
            "app/main.go",
            "README.md",
            "app/node_modules/x/package.json",
            "src/vendor/a/b.yaml",
            ".git/config.json",
            "",
            "dockerfiles/run.sh",
        ] {
            assert!(!is_config_file(no), "{no}");
        }
    }

    #[test]
    fn keeps_text_and_records_what_it_cannot_keep() {
        let a = MisconfAnalyzer::new(16);
        let read = |bytes: &[u8]| {
            a.analyze(&FileInput {
                path: "k8s/pod.yaml",
                bytes,
                mode: 0o644,
            })
            .unwrap()
        };
        assert_eq!(
            read(b"kind: Pod\n"),
            vec![Finding::ConfigFile(ConfigContent::Text(
                "kind: Pod\n".into()
            ))]
        );
        assert_eq!(
            read(&[0xff, 0xfe, b'x']),
            vec![Finding::ConfigFile(ConfigContent::NotText)]
        );
        assert_eq!(
            read(&[b'a'; 17]),
            vec![Finding::ConfigFile(ConfigContent::TooLarge { size: 17 })]
        );
        assert!(a.modes().contains(&ScanMode::Image));
        assert!(!a.modes().contains(&ScanMode::Fs));
    }

    #[test]
    fn only_files_of_the_final_filesystem_are_collected() {
        let layers = vec![
            layer(
                &[
                    ("app", Node::Dir),
                    ("app/Dockerfile", file("FROM a\n")),
                    ("k8s", Node::Dir),
                    ("k8s/pod.yaml", file("kind: Pod\n")),
                    ("old", Node::Dir),
                    ("old/compose.yaml", file("services: {}\n")),
                    ("etc/a.yaml", file("a: 1\n")),
                ],
                &[],
                &[],
            ),
            // Deletes the pod, hides `old/`, replaces the Dockerfile.
            layer(
                &[("app/Dockerfile", file("FROM b\n"))],
                &["k8s/pod.yaml"],
                &["old"],
            ),
        ];
        let files = collect_config_files(&layers, &[]);
        let got: Vec<(&str, &ConfigContent)> = files
            .iter()
            .map(|f| (f.path.as_str(), &f.content))
            .collect();
        assert_eq!(
            got,
            vec![
                ("app/Dockerfile", &ConfigContent::Text("FROM b\n".into())),
                ("etc/a.yaml", &ConfigContent::Text("a: 1\n".into())),
            ]
        );
    }

    #[test]
    fn findings_survive_a_cache_round_trip() {
        let f = Finding::ConfigFile(ConfigContent::TooLarge { size: 3 });
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Finding>(&json).unwrap(), f);
        assert!(serde_json::from_str::<ConfigContent>("{\"too_large\":{}}").is_err());
    }
}
