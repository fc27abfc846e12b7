//! Secrets, found during the same single walk as everything else.
//!
//! [`SecretAnalyzer`] hands every regular file Trivy would scan (at least
//! [`atalaia_secret::MIN_FILE_SIZE`] bytes, not on [`atalaia_secret::is_skipped_path`], not binary)
//! to the secret engine; files over 8 MiB are streamed in bounded chunks, never held whole, up
//! to the per-file limit (`--max-file-bytes`, where the walker's reader ends; a file cut there
//! carries a warning). Its findings stay in the layer's [`crate::LayerAnalysis`] (serialisable,
//! so a layer cache stores them).
//!
//! [`collect_secrets`] then reports the secrets of *every* layer, not only of the final
//! filesystem: a secret added in one layer and deleted (whiteout, opaque directory, overwritten)
//! in a later one is still in the image, so it is reported and marked
//! [`SecretFile::deleted`]. [`scan_image_config`] scans the image config (ENV values, history
//! commands) as Trivy's image-config secret analyzer does.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;

use atalaia_secret::{is_skipped_path, SecretFinding, SecretScanner, MIN_FILE_SIZE};
use atalaia_types::{LayerInfo, PackageLayer};

use crate::layer::{LayerAnalysis, Node};
use crate::merge::MergedFs;
use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

/// The target Trivy gives secrets found in an image config.
pub const IMAGE_CONFIG_TARGET: &str = "config.json";

/// Runs the secret engine over every file Trivy's secret analyzer reads.
#[derive(Debug, Clone)]
pub struct SecretAnalyzer {
    scanner: Arc<SecretScanner>,
    rooted: bool,
    /// Identifies the rules (built-in, or a custom config's digest) for the layer cache.
    rules_fingerprint: String,
}

impl SecretAnalyzer {
    /// An analyzer using `scanner`. With `rooted`, paths are handed to the engine with a leading
    /// `/` (as Trivy does for files of an image, so path rules and allow rules see `/app/.env`).
    pub fn new(scanner: Arc<SecretScanner>, rooted: bool) -> Self {
        SecretAnalyzer {
            scanner,
            rooted,
            rules_fingerprint: "builtin".to_owned(),
        }
    }

    /// Names the rules the scanner was built with (e.g. the digest of a `trivy-secret.yaml`),
    /// so cached layer results made with other rules are not reused.
    pub fn with_rules_fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.rules_fingerprint = fingerprint.into();
        self
    }

    fn engine_path(&self, path: &str) -> String {
        if self.rooted {
            format!("/{}", path.trim_start_matches('/'))
        } else {
            path.to_owned()
        }
    }
}

impl Analyzer for SecretAnalyzer {
    fn name(&self) -> &'static str {
        "secret"
    }

    fn version(&self) -> u32 {
        1
    }

    fn modes(&self) -> &'static [ScanMode] {
        ScanMode::ALL
    }

    fn settings_fingerprint(&self) -> String {
        format!("rules={};rooted={}", self.rules_fingerprint, self.rooted)
    }

    fn wants(&self, path: &str, size: u64, _mode: u32) -> bool {
        size >= MIN_FILE_SIZE && !is_skipped_path(path)
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let path = self.engine_path(input.path);
        Ok(self
            .scanner
            .scan(&path, input.bytes)
            .into_iter()
            .map(Finding::Secret)
            .collect())
    }

    fn streams(&self) -> bool {
        true
    }

    fn analyze_stream(
        &self,
        path: &str,
        reader: &mut dyn Read,
    ) -> Result<Vec<Finding>, AnalyzeError> {
        let engine_path = self.engine_path(path);
        match self.scanner.scan_reader(&engine_path, reader) {
            Ok(found) => Ok(found.into_iter().map(Finding::Secret).collect()),
            Err(err) => Err(AnalyzeError::Parse {
                path: path.to_owned(),
                reason: err.to_string(),
            }),
        }
    }
}

/// The secrets of one file of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFile {
    /// The file's path: with a leading `/` for images, relative to the root for directories.
    pub path: String,
    /// The layer holding this copy of the file (empty for directory scans and the image config).
    pub layer: PackageLayer,
    /// Whether a later layer deleted or replaced the file (the secret is still in the image).
    pub deleted: bool,
    /// The findings, in the engine's order.
    pub findings: Vec<SecretFinding>,
}

/// Every file of every layer holding secrets, by path, then lowest layer first. `infos`
/// describe the layers (empty for a directory); `rooted` gives paths a leading `/` (images).
///
/// A file re-emitted unchanged by an upper layer (same path, same finding) is reported once, as
/// packages are: attributed to the lowest layer holding it, and deleted only if its topmost copy
/// is not in the final filesystem.
pub fn collect_secrets(
    layers: &[LayerAnalysis],
    infos: &[LayerInfo],
    rooted: bool,
) -> Vec<SecretFile> {
    let fs = MergedFs::new(layers);
    let visible: HashSet<(usize, &str)> = fs.iter().map(|(_, m)| (m.layer, m.layer_path)).collect();
    // (path, layer) → findings; a finding already seen at the path in a lower layer moves there.
    let mut files: BTreeMap<(&str, usize), (bool, Vec<SecretFinding>)> = BTreeMap::new();
    // (path, finding) → the lowest layer holding it.
    let mut first: HashMap<(&str, FindingKey<'_>), usize> = HashMap::new();
    for (i, layer) in layers.iter().enumerate() {
        for (path, node) in &layer.entries {
            let Node::File(file) = node else { continue };
            let deleted = !visible.contains(&(i, path.as_str()));
            for f in &file.findings {
                let Finding::Secret(secret) = f else { continue };
                match first.get(&(path.as_str(), key(secret))) {
                    Some(&lowest) => {
                        // The same secret re-emitted: the lowest copy stands for both, deleted
                        // only when this (upper) copy is gone too.
                        if let Some(entry) = files.get_mut(&(path.as_str(), lowest)) {
                            entry.0 = entry.0 && deleted;
                        }
                    }
                    None => {
                        first.insert((path.as_str(), key(secret)), i);
                        let entry = files
                            .entry((path.as_str(), i))
                            .or_insert_with(|| (deleted, Vec::new()));
                        entry.1.push(secret.clone());
                    }
                }
            }
        }
    }
    files
        .into_iter()
        .map(|((path, i), (deleted, findings))| SecretFile {
            path: if rooted {
                format!("/{path}")
            } else {
                path.to_owned()
            },
            layer: infos
                .get(i)
                .map(LayerInfo::as_package_layer)
                .unwrap_or_default(),
            deleted,
            findings,
        })
        .collect()
}

/// What makes two findings the same secret: rule, lines, redacted match, offset.
type FindingKey<'a> = (&'a str, usize, usize, &'a str, u64);

fn key(f: &SecretFinding) -> FindingKey<'_> {
    (&f.rule_id, f.start_line, f.end_line, &f.r#match, f.offset)
}

/// Scans an image config (`ENV` values, history commands, labels) as Trivy's image-config
/// secret analyzer does: the config rendered as Go renders it (the private `goconfig`
/// module), so lines and offsets equal Trivy's, scanned as a file named
/// [`IMAGE_CONFIG_TARGET`] (path rules see that name). The result's path is `target`: Trivy reports these secrets under the
/// artifact's name. `None` when nothing is found or there is no config.
pub fn scan_image_config_as(
    scanner: &SecretScanner,
    config: &serde_json::Value,
    target: &str,
) -> Option<SecretFile> {
    if config.is_null() {
        return None;
    }
    let text = crate::goconfig::render(config);
    let findings = scanner.scan(IMAGE_CONFIG_TARGET, text.as_bytes());
    if findings.is_empty() {
        return None;
    }
    Some(SecretFile {
        path: target.to_owned(),
        layer: PackageLayer::default(),
        deleted: false,
        findings,
    })
}

/// [`scan_image_config_as`] with the result's path [`IMAGE_CONFIG_TARGET`].
pub fn scan_image_config(
    scanner: &SecretScanner,
    config: &serde_json::Value,
) -> Option<SecretFile> {
    scan_image_config_as(scanner, config, IMAGE_CONFIG_TARGET)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "ghp_g9StIM459ZDgeZmw4Vh2DjaPoYID4GuNHJYK";

    fn analyzer() -> SecretAnalyzer {
        SecretAnalyzer::new(Arc::new(SecretScanner::builder().build().unwrap()), true)
    }

    #[test]
    fn finds_redacted_secrets_in_buffers_and_streams() {
        let a = analyzer();
        let text = format!("x=1\nGITHUB_TOKEN={TOKEN}\n");
        let input = FileInput {
            path: "app/.env",
            bytes: text.as_bytes(),
            mode: 0o644,
        };
        let found = a.analyze(&input).unwrap();
        assert_eq!(found.len(), 1);
        let json = serde_json::to_string(&found).unwrap();
        assert!(
            json.contains("github-pat") && !json.contains(TOKEN),
            "{json}"
        );
        let mut reader = text.as_bytes();
        assert_eq!(a.analyze_stream("app/.env", &mut reader).unwrap(), found);
    }

    #[test]
    fn skips_small_and_skipped_files() {
        let a = analyzer();
        assert!(!a.wants("app/a", 5, 0o644));
        assert!(!a.wants("app/node_modules/x/index.js", 500, 0o644));
        assert!(a.wants("app/.env", 500, 0o644));
    }

    #[test]
    fn image_config_env_is_scanned() {
        let scanner = SecretScanner::builder().build().unwrap();
        let config = serde_json::json!({"config": {"Env": [format!("TOKEN={TOKEN}")]}});
        let file = scan_image_config(&scanner, &config).unwrap();
        assert_eq!(file.path, "config.json");
        assert_eq!(file.findings[0].rule_id, "github-pat");
        assert!(scan_image_config(&scanner, &serde_json::Value::Null).is_none());
        assert!(scan_image_config(&scanner, &serde_json::json!({"config": {}})).is_none());
    }
}
