//! The image-level result cache: the merged result of a whole image, so a re-scan of an image
//! whose result is cached neither opens a layer nor decodes a layer analysis.
//!
//! ```text
//! layers ──► image_cache_key ──get_image──► hit: ImageAnalysis (inventory, secrets, config files)
//!                                  └──miss──► analyze_layers (layer cache) ──► merge ──put_image
//! ```
//!
//! The key ([`image_cache_key`]) names everything the merged result depends on: each layer's
//! [`layer_cache_key`] (diff ID, every analyzer's name, version and settings, the limits), each
//! layer's [`LayerInfo`] (digests and history line: packages and secrets carry them), whether
//! the configuration files are collected, and [`POST_MERGE_VERSION`], the version of the code
//! that merges layers (bumped whenever [`build_inventory`], [`collect_secrets`] or
//! [`collect_config_files`] change what they give). An image with a layer whose diff ID is
//! unknown is never cached.

use std::sync::Arc;

use atalaia_artifact::Limits;
use atalaia_secret::SecretFinding;
use atalaia_types::{Inventory, LayerInfo, PackageLayer};
use serde::{Deserialize, Serialize};

use crate::{
    analyze_layers, analyzers_for, build_inventory, collect_config_files, collect_secrets,
    layer_cache_key, Analysis, AnalyzeError, AnalyzeOptions, Analyzer, ConfigContent, ConfigFile,
    LayerAnalysis, LayerSource, ScanMode, SecretFile,
};

/// The version of the post-merge code (merge, [`build_inventory`], [`collect_secrets`],
/// [`collect_config_files`]), part of every image cache key: bump it whenever that code
/// changes what it gives for the same layer analyses, so no stale merged result is reused.
pub const POST_MERGE_VERSION: u32 = 1;

/// What an image's analysis gives once its layers are merged: everything a scan needs after the
/// merge, and what the image-level cache stores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageAnalysis {
    /// The inventory and the secrets of every layer.
    pub analysis: Analysis,
    /// The configuration files of the final filesystem (see [`collect_config_files`]); empty
    /// unless they were asked for ([`ImageParts::config_files`]).
    pub config_files: Vec<ConfigFile>,
}

/// What [`analyze_image_layers`] gives beyond the inventory and the secrets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageParts {
    /// Collect the configuration files of the final filesystem (the `misconfig` scanner; they
    /// are found by a [`crate::MisconfAnalyzer`] among the analyzers).
    pub config_files: bool,
}

/// The image-level cache key of an image made of the layers `infos` (lowest first), analysed by
/// `analyzers` under `limits`, giving `parts`; human-readable, caches hash it. `None` when a
/// layer's diff ID is unknown: such an image is never cached.
pub fn image_cache_key(
    infos: &[LayerInfo],
    analyzers: &[Arc<dyn Analyzer>],
    limits: &Limits,
    parts: ImageParts,
) -> Option<String> {
    let mut key = format!(
        "image-analysis/v1 post-merge={POST_MERGE_VERSION} rooted-secrets=true config-files={} layers={}",
        parts.config_files,
        infos.len()
    );
    for info in infos {
        let diff_id = info.diff_id.as_str();
        if diff_id.is_empty() {
            return None;
        }
        // The layer's description as JSON: digests and the history line (any characters)
        // cannot run into the next part of the key.
        let described = serde_json::to_string(info).ok()?;
        key.push('\n');
        key.push_str(&layer_cache_key(diff_id, analyzers, limits));
        key.push(' ');
        key.push_str(&described);
    }
    Some(key)
}

/// Analyses a stack of layers (lowest first) as an image and merges them: the inventory, the
/// secrets of every layer (paths `/`-rooted), and, with `parts.config_files`, the configuration
/// files of the final filesystem.
///
/// With `opts.cache`, the merged result is looked up first under [`image_cache_key`]: on a hit
/// no layer is opened and no layer analysis is decoded. On a miss the layers are analysed (each
/// from the layer cache when it holds it), merged, and the result is stored.
pub fn analyze_image_layers<L: LayerSource>(
    layers: &[L],
    opts: &AnalyzeOptions,
    parts: ImageParts,
) -> Result<ImageAnalysis, AnalyzeError> {
    let analyzers = analyzers_for(ScanMode::Image, opts);
    let infos: Vec<LayerInfo> = layers.iter().map(|l| l.info().clone()).collect();
    merge_through_cache(&infos, &analyzers, opts, parts, || {
        let analyses = analyze_layers(layers, &analyzers, opts)?;
        Ok(merge_image_layers(&analyses, &infos, parts))
    })
}

/// The merged result of the image made of the layers `infos` (analysed by `analyzers`, giving
/// `parts`): from `opts.cache` under [`image_cache_key`] when it holds it, else what `merge`
/// gives, which is then stored. [`analyze_image_layers`] merges by analysing the layers; a
/// source that has analysed them already (a `docker save` stream) merges them.
pub fn merge_through_cache<E>(
    infos: &[LayerInfo],
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
    parts: ImageParts,
    merge: impl FnOnce() -> Result<ImageAnalysis, E>,
) -> Result<ImageAnalysis, E> {
    let cached = opts.cache.as_ref().and_then(|cache| {
        image_cache_key(infos, analyzers, &opts.limits, parts).map(|key| (cache, key))
    });
    if let Some((cache, key)) = &cached {
        if let Some(hit) = cache.get_image(key) {
            tracing::debug!(layers = infos.len(), "image analysis from the cache");
            return Ok(hit);
        }
    }
    let merged = merge()?;
    if let Some((cache, key)) = &cached {
        cache.put_image(key, &merged);
    }
    Ok(merged)
}

/// Merges the analyses of an image's layers (lowest first; `infos` describe them): what
/// [`analyze_image_layers`] gives, for layers analysed elsewhere (a `docker save` stream).
pub fn merge_image_layers(
    analyses: &[LayerAnalysis],
    infos: &[LayerInfo],
    parts: ImageParts,
) -> ImageAnalysis {
    ImageAnalysis {
        analysis: Analysis {
            inventory: build_inventory(analyses, infos),
            secrets: collect_secrets(analyses, infos, true),
        },
        config_files: if parts.config_files {
            collect_config_files(analyses, infos)
        } else {
            Vec::new()
        },
    }
}

/// [`ImageAnalysis`] as stored (JSON): `SecretFile` and `ConfigFile` are plain data without
/// serde of their own, so they are mirrored here.
#[derive(Serialize)]
struct StoredRef<'a> {
    inventory: &'a Inventory,
    secrets: Vec<SecretRef<'a>>,
    config_files: Vec<ConfigRef<'a>>,
}

#[derive(Serialize)]
struct SecretRef<'a> {
    path: &'a str,
    layer: &'a PackageLayer,
    deleted: bool,
    findings: &'a [SecretFinding],
}

#[derive(Serialize)]
struct ConfigRef<'a> {
    path: &'a str,
    layer: &'a PackageLayer,
    content: &'a ConfigContent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    inventory: Inventory,
    secrets: Vec<StoredSecret>,
    config_files: Vec<StoredConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredSecret {
    path: String,
    layer: PackageLayer,
    deleted: bool,
    findings: Vec<SecretFinding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredConfig {
    path: String,
    layer: PackageLayer,
    content: ConfigContent,
}

impl Serialize for ImageAnalysis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StoredRef {
            inventory: &self.analysis.inventory,
            secrets: self
                .analysis
                .secrets
                .iter()
                .map(|f| SecretRef {
                    path: &f.path,
                    layer: &f.layer,
                    deleted: f.deleted,
                    findings: &f.findings,
                })
                .collect(),
            config_files: self
                .config_files
                .iter()
                .map(|f| ConfigRef {
                    path: &f.path,
                    layer: &f.layer,
                    content: &f.content,
                })
                .collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ImageAnalysis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(d)?;
        Ok(ImageAnalysis {
            analysis: Analysis {
                inventory: stored.inventory,
                secrets: stored
                    .secrets
                    .into_iter()
                    .map(|f| SecretFile {
                        path: f.path,
                        layer: f.layer,
                        deleted: f.deleted,
                        findings: f.findings,
                    })
                    .collect(),
            },
            config_files: stored
                .config_files
                .into_iter()
                .map(|f| ConfigFile {
                    path: f.path,
                    layer: f.layer,
                    content: f.content,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::Read;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    use atalaia_artifact::{ArtifactError, ImageSelector};

    use super::*;
    use crate::{LayerCache, MisconfAnalyzer, SecretAnalyzer};

    /// An in-memory cache counting what is asked of it.
    #[derive(Default)]
    struct Counting {
        layers: Mutex<HashMap<String, LayerAnalysis>>,
        images: Mutex<HashMap<String, ImageAnalysis>>,
        layer_gets: AtomicUsize,
        image_gets: AtomicUsize,
    }

    impl LayerCache for Counting {
        fn get(&self, key: &str) -> Option<LayerAnalysis> {
            self.layer_gets.fetch_add(1, Ordering::SeqCst);
            self.layers.lock().unwrap().get(key).cloned()
        }
        fn put(&self, key: &str, _diff_id: &str, analysis: &LayerAnalysis) {
            self.layers
                .lock()
                .unwrap()
                .insert(key.to_owned(), analysis.clone());
        }
        fn get_image(&self, key: &str) -> Option<ImageAnalysis> {
            self.image_gets.fetch_add(1, Ordering::SeqCst);
            // Through the stored encoding, as a real cache does.
            let stored = self.images.lock().unwrap().get(key).cloned()?;
            let json = serde_json::to_vec(&stored).unwrap();
            Some(serde_json::from_slice(&json).unwrap())
        }
        fn put_image(&self, key: &str, image: &ImageAnalysis) {
            self.images
                .lock()
                .unwrap()
                .insert(key.to_owned(), image.clone());
        }
    }

    /// A layer counting how often it is opened.
    struct Opened<'a> {
        inner: &'a atalaia_artifact::Layer,
        opens: &'a AtomicUsize,
    }

    impl LayerSource for Opened<'_> {
        fn info(&self) -> &LayerInfo {
            &self.inner.info
        }
        fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
            self.opens.fetch_add(1, Ordering::SeqCst);
            self.inner.open()
        }
    }

    #[test]
    fn a_cached_image_opens_no_layer_and_reads_no_layer_analysis() {
        let input = atalaia_test::corpus_dir().join("docker-archive/tricky-layers.tar");
        let image =
            atalaia_artifact::open_image(input.to_str().unwrap(), &ImageSelector::default())
                .unwrap();
        let cache = Arc::new(Counting::default());
        let secrets = Arc::new(atalaia_secret::SecretScanner::builder().build().unwrap());
        let opts = AnalyzeOptions {
            cache: Some(cache.clone()),
            extra_analyzers: vec![
                Arc::new(SecretAnalyzer::new(secrets, true)),
                Arc::new(MisconfAnalyzer::default()),
            ],
            ..AnalyzeOptions::default()
        };
        let opens = AtomicUsize::new(0);
        let layers: Vec<Opened<'_>> = image
            .layers
            .iter()
            .map(|inner| Opened {
                inner,
                opens: &opens,
            })
            .collect();
        let parts = ImageParts { config_files: true };
        let uncached = analyze_image_layers(
            &layers,
            &AnalyzeOptions {
                cache: None,
                ..opts.clone()
            },
            parts,
        )
        .unwrap();
        let n = layers.len();
        assert_eq!(opens.load(Ordering::SeqCst), n);
        let cold = analyze_image_layers(&layers, &opts, parts).unwrap();
        assert_eq!(cold, uncached);
        assert_eq!(opens.load(Ordering::SeqCst), 2 * n);
        assert_eq!(cache.layer_gets.load(Ordering::SeqCst), n);
        let warm = analyze_image_layers(&layers, &opts, parts).unwrap();
        assert_eq!(warm, cold);
        // No layer opened, no layer analysis asked for.
        assert_eq!(opens.load(Ordering::SeqCst), 2 * n);
        assert_eq!(cache.layer_gets.load(Ordering::SeqCst), n);
        assert_eq!(cache.image_gets.load(Ordering::SeqCst), 2);
        // Without the configuration files: another entry, merged from the cached layers.
        let without = analyze_image_layers(&layers, &opts, ImageParts::default()).unwrap();
        assert_eq!(without.analysis, cold.analysis);
        assert!(without.config_files.is_empty());
        assert_eq!(opens.load(Ordering::SeqCst), 2 * n);
        assert_eq!(cache.layer_gets.load(Ordering::SeqCst), 2 * n);
        assert_eq!(cache.images.lock().unwrap().len(), 2);
        assert!(cold.analysis.inventory.packages().count() > 0);
    }

    fn info(diff: char, created_by: Option<&str>) -> LayerInfo {
        LayerInfo {
            size: 10,
            digest: format!("sha256:{}", "d".repeat(64)).parse().unwrap(),
            diff_id: format!("sha256:{}", diff.to_string().repeat(64))
                .parse()
                .unwrap(),
            created_by: created_by.map(str::to_owned),
        }
    }

    #[test]
    fn the_key_names_layers_history_analyzers_and_parts() {
        let analyzers = crate::builtin_analyzers(ScanMode::Image);
        let limits = Limits::default();
        let parts = ImageParts::default();
        let key = |infos: &[LayerInfo], a: &[Arc<dyn Analyzer>], p| {
            image_cache_key(infos, a, &limits, p).unwrap()
        };
        let base = key(&[info('a', None), info('b', None)], &analyzers, parts);
        assert!(base.starts_with("image-analysis/v1 post-merge=1"), "{base}");
        // Order, history lines, analyzers and parts all change the key.
        assert_ne!(
            base,
            key(&[info('b', None), info('a', None)], &analyzers, parts)
        );
        assert_ne!(
            base,
            key(
                &[info('a', Some("RUN x")), info('b', None)],
                &analyzers,
                parts
            )
        );
        assert_ne!(
            base,
            key(&[info('a', None), info('b', None)], &analyzers[1..], parts)
        );
        assert_ne!(
            base,
            key(
                &[info('a', None), info('b', None)],
                &analyzers,
                ImageParts { config_files: true }
            )
        );
        assert_eq!(
            base,
            key(&[info('a', None), info('b', None)], &analyzers, parts)
        );
    }

    #[test]
    fn stored_values_round_trip_and_bad_ones_are_errors() {
        let value = ImageAnalysis {
            analysis: Analysis {
                inventory: Inventory::default(),
                secrets: vec![SecretFile {
                    path: "/etc/key".to_owned(),
                    layer: info('a', Some("COPY key /etc/")).as_package_layer(),
                    deleted: true,
                    findings: Vec::new(),
                }],
            },
            config_files: vec![ConfigFile {
                path: "app/Dockerfile".to_owned(),
                layer: PackageLayer::default(),
                content: ConfigContent::Text("FROM scratch\n".to_owned()),
            }],
        };
        let json = serde_json::to_vec(&value).unwrap();
        let back: ImageAnalysis = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, value);
        for bad in [
            &b"{}"[..],
            b"[]",
            b"not json",
            br#"{"inventory":{},"secrets":[{"path":1}],"config_files":[]}"#,
            br#"{"inventory":{},"secrets":[],"config_files":[],"extra":1}"#,
        ] {
            assert!(serde_json::from_slice::<ImageAnalysis>(bad).is_err());
        }
    }
}
