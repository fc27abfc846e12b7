//! Analyzers, per-layer inventories, merge and layer attribution.
//!
//! ```text
//! image ──► layers ──(rayon, one walk each)──► LayerAnalysis ──► MergedFs ──► Inventory
//!              │            │                  (cacheable)       (whiteouts,   (OS, packages
//!              │            └─ analyzers: os-release, dpkg,       opaque dirs,  with purls and
//!              │               apk, language files                symlinks)     layers, apps)
//! directory ───┘ (one walk, as a single layer)
//! ```
//!
//! Each layer is opened and walked exactly once; a file is read only if an analyzer wants it, into
//! one reused buffer, and handed to every analyzer that wants it. The per-layer result
//! ([`LayerAnalysis`]) depends only on the layer and the analyzers' versions, so a cache can key
//! it by diff ID and [`analyzer_versions`]. A whole image's merged result ([`ImageAnalysis`]) is
//! cached too, keyed by its layers' keys ([`image_cache_key`]): a re-scan of a cached image
//! opens no layer and decodes no layer analysis ([`analyze_image_layers`]).
#![deny(missing_docs)]

mod analyzer;
mod apk;
mod assemble;
mod dpkg;
mod error;
mod goconfig;
mod image_cache;
mod lang;
mod layer;
mod merge;
mod misconf;
mod os;
mod secret;

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use atalaia_artifact::{ArtifactError, ImageSource, Limits};
use atalaia_types::{Inventory, LayerInfo};
use rayon::prelude::*;

pub use analyzer::{Analyzer, FileInput, Finding, ScanMode};
pub use apk::ApkAnalyzer;
pub use assemble::build_inventory;
pub use dpkg::DpkgAnalyzer;
pub use error::AnalyzeError;
pub use image_cache::{
    analyze_image_layers, image_cache_key, merge_image_layers, merge_through_cache, ImageAnalysis,
    ImageParts, POST_MERGE_VERSION,
};
pub use lang::LangAnalyzer;
pub use layer::{FileNode, LayerAnalysis, Node};
pub use merge::{MergedFs, MergedNode};
pub use misconf::{
    collect_config_files, is_config_file, ConfigContent, ConfigFile, MisconfAnalyzer,
    DEFAULT_MAX_CONFIG_BYTES,
};
pub use os::OsReleaseAnalyzer;
pub use secret::{
    collect_secrets, scan_image_config, scan_image_config_as, SecretAnalyzer, SecretFile,
    IMAGE_CONFIG_TARGET,
};

/// What a scan found: the inventory, and the secrets of every layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Packages, OS and warnings of the final filesystem.
    pub inventory: Inventory,
    /// Files holding secrets, in every layer (see [`collect_secrets`]); empty unless a
    /// [`SecretAnalyzer`] ran.
    pub secrets: Vec<SecretFile>,
}

/// How to analyse.
#[derive(Clone, Default)]
pub struct AnalyzeOptions {
    /// Safety limits (per-file read size, layer size, entry count).
    pub limits: Limits,
    /// Layers analysed at once, and threads analysing the files of each; 0 = one per core.
    pub parallelism: usize,
    /// Analyzers run in addition to the built-in ones for the scan mode (secrets, config files).
    pub extra_analyzers: Vec<Arc<dyn Analyzer>>,
    /// Where finished layer analyses are kept, so a layer is never analysed twice (images only).
    pub cache: Option<Arc<dyn LayerCache>>,
}

/// A store of finished [`LayerAnalysis`] results, keyed by [`layer_cache_key`], and of whole
/// images' merged results ([`ImageAnalysis`]), keyed by [`image_cache_key`]. A cache never
/// fails a scan: implementations swallow (and log) their own errors, and a miss is `None`.
///
/// The image-level methods have defaults (never a hit, nothing kept), so a store of layer
/// analyses only is still a cache: every image is then merged from its layers.
pub trait LayerCache: Send + Sync {
    /// The analysis stored under `key`, if any.
    fn get(&self, key: &str) -> Option<LayerAnalysis>;
    /// Stores `analysis` under `key` (for the layer `diff_id`).
    fn put(&self, key: &str, diff_id: &str, analysis: &LayerAnalysis);
    /// The merged result of an image stored under `key` (an [`image_cache_key`]), if any.
    fn get_image(&self, key: &str) -> Option<ImageAnalysis> {
        let _ = key;
        None
    }
    /// Stores the merged result of an image under `key` (an [`image_cache_key`]).
    fn put_image(&self, key: &str, image: &ImageAnalysis) {
        let _ = (key, image);
    }
}

/// The cache key of a layer: its diff ID (its content) and everything that decides what the
/// analysis of that content is — each analyzer's name, version and settings, and the limits.
/// Human-readable; caches hash it.
pub fn layer_cache_key(diff_id: &str, analyzers: &[Arc<dyn Analyzer>], limits: &Limits) -> String {
    let mut parts: Vec<String> = analyzers
        .iter()
        .map(|a| format!("{}@{}[{}]", a.name(), a.version(), a.settings_fingerprint()))
        .collect();
    parts.sort();
    format!(
        "layer-analysis/v1 {diff_id} analyzers={} max_file_bytes={} max_layer_bytes={} max_entries={}",
        parts.join(","),
        limits.max_file_bytes,
        limits.max_layer_bytes,
        limits.max_entries
    )
}

impl fmt::Debug for AnalyzeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnalyzeOptions")
            .field("limits", &self.limits)
            .field("parallelism", &self.parallelism)
            .field("cache", &self.cache.is_some())
            .field(
                "extra_analyzers",
                &self
                    .extra_analyzers
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The built-in analyzers for `mode`.
pub fn builtin_analyzers(mode: ScanMode) -> Vec<Arc<dyn Analyzer>> {
    let all: Vec<Arc<dyn Analyzer>> = vec![
        Arc::new(OsReleaseAnalyzer),
        Arc::new(DpkgAnalyzer),
        Arc::new(ApkAnalyzer),
        Arc::new(LangAnalyzer::for_mode(mode)),
    ];
    all.into_iter()
        .filter(|a| a.modes().contains(&mode))
        .collect()
}

/// The analyzers a scan in `mode` with `opts` runs.
pub fn analyzers_for(mode: ScanMode, opts: &AnalyzeOptions) -> Vec<Arc<dyn Analyzer>> {
    let mut v = builtin_analyzers(mode);
    v.extend(
        opts.extra_analyzers
            .iter()
            .filter(|a| a.modes().contains(&mode))
            .cloned(),
    );
    v
}

/// `name@version` of each analyzer, sorted: the analyzer part of a layer cache key.
pub fn analyzer_versions(analyzers: &[Arc<dyn Analyzer>]) -> Vec<String> {
    let mut v: Vec<String> = analyzers
        .iter()
        .map(|a| format!("{}@{}", a.name(), a.version()))
        .collect();
    v.sort();
    v
}

/// A layer that can be opened as a decompressed tar stream. Implemented by
/// [`atalaia_artifact::Layer`]; other sources (a registry, a test double) implement it too.
pub trait LayerSource: Sync {
    /// Digests, size and history line.
    fn info(&self) -> &LayerInfo;
    /// Opens the layer as a decompressed tar stream.
    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError>;
}

impl LayerSource for atalaia_artifact::Layer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        atalaia_artifact::Layer::open(self)
    }
}

/// Analyses an image: every layer once, in parallel, then merged into the inventory.
pub fn analyze_image(
    image: &ImageSource,
    opts: &AnalyzeOptions,
) -> Result<Inventory, AnalyzeError> {
    analyze_layer_sources(&image.layers, opts)
}

/// Analyses an image like [`analyze_image`] and also reports the secrets of every layer (with a
/// [`SecretAnalyzer`] among `opts.extra_analyzers`), paths `/`-rooted.
pub fn analyze_image_full(
    image: &ImageSource,
    opts: &AnalyzeOptions,
) -> Result<Analysis, AnalyzeError> {
    analyze_image_layers(&image.layers, opts, ImageParts::default()).map(|r| r.analysis)
}

/// Analyses a directory like [`analyze_dir`] and also reports its secrets (paths relative to
/// `root`).
pub fn analyze_dir_full(
    root: &Path,
    mode: ScanMode,
    opts: &AnalyzeOptions,
) -> Result<Analysis, AnalyzeError> {
    let analyzers = analyzers_for(mode, opts);
    let analysis = analyze_dir_layer(root, &analyzers, opts)?;
    let layers = std::slice::from_ref(&analysis);
    Ok(Analysis {
        inventory: build_inventory(layers, &[]),
        secrets: collect_secrets(layers, &[], false),
    })
}

/// Analyses a stack of layers (lowest first) as an image (through the image-level cache of
/// `opts.cache`, see [`analyze_image_layers`]).
pub fn analyze_layer_sources<L: LayerSource>(
    layers: &[L],
    opts: &AnalyzeOptions,
) -> Result<Inventory, AnalyzeError> {
    analyze_image_layers(layers, opts, ImageParts::default()).map(|r| r.analysis.inventory)
}

/// Runs `analyzers` over each layer, in parallel (bounded by `opts.parallelism`), opening and
/// walking each layer exactly once. The first layer that cannot be read fails the whole call
/// with an error naming it.
pub fn analyze_layers<L: LayerSource>(
    layers: &[L],
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
) -> Result<Vec<LayerAnalysis>, AnalyzeError> {
    let one = |(i, layer): (usize, &L)| -> Result<LayerAnalysis, AnalyzeError> {
        let wrap = |err| AnalyzeError::Layer {
            index: i + 1,
            digest: layer.info().digest.clone(),
            err: Box::new(err),
        };
        let diff_id = layer.info().diff_id.to_string();
        // A layer whose diff ID is unknown (empty) is never cached: the key would not name it.
        let key = (opts.cache.is_some() && !diff_id.is_empty())
            .then(|| layer_cache_key(&diff_id, analyzers, &opts.limits));
        if let (Some(cache), Some(key)) = (&opts.cache, &key) {
            if let Some(hit) = cache.get(key) {
                tracing::debug!(layer = i + 1, %diff_id, "layer analysis from the cache");
                return Ok(hit);
            }
        }
        let reader = layer.open().map_err(wrap)?;
        let analysis = layer::analyze_walk(analyzers, &opts.limits, file_workers(opts), |visit| {
            atalaia_artifact::walk_tar(reader, &opts.limits, visit)
        })
        .map_err(wrap)?;
        if let (Some(cache), Some(key)) = (&opts.cache, &key) {
            cache.put(key, &diff_id, &analysis);
        }
        Ok(analysis)
    };
    let threads = if opts.parallelism == 0 {
        rayon::current_num_threads()
    } else {
        opts.parallelism
    };
    let threads = threads.min(layers.len()).max(1);
    if threads == 1 {
        return layers.iter().enumerate().map(one).collect();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("atalaia-layer-{i}"))
        .build()
        .map_err(|err| AnalyzeError::ThreadPool { threads, err })?;
    // Largest layers first: with few threads, a big layer that starts last makes the scan wait
    // for it alone. Results go back in layer order.
    let mut order: Vec<usize> = (0..layers.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(layers[i].info().size));
    let mut done: Vec<(usize, Result<LayerAnalysis, AnalyzeError>)> = pool.install(|| {
        order
            .par_iter()
            .with_max_len(1)
            .map(|&i| (i, one((i, &layers[i]))))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Runs `analyzers` over one layer given as a decompressed tar stream (a layer arriving inside
/// a `docker save` stream from a daemon, or from a registry), walked once. Layers analysed this
/// way are merged with [`build_inventory`] and [`collect_secrets`], lowest first.
pub fn analyze_layer_stream(
    tar: impl Read,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
) -> Result<LayerAnalysis, ArtifactError> {
    layer::analyze_walk(analyzers, &opts.limits, file_workers(opts), |visit| {
        atalaia_artifact::walk_tar(tar, &opts.limits, visit)
    })
}

/// Threads analysing the files of one layer or directory while it is walked: one per core, or
/// `opts.parallelism`.
fn file_workers(opts: &AnalyzeOptions) -> usize {
    if opts.parallelism == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        opts.parallelism
    }
}

/// Analyses a directory tree (a root filesystem, a project, a repository checkout) as one layer.
pub fn analyze_dir(
    root: &Path,
    mode: ScanMode,
    opts: &AnalyzeOptions,
) -> Result<Inventory, AnalyzeError> {
    let analyzers = analyzers_for(mode, opts);
    let analysis = analyze_dir_layer(root, &analyzers, opts)?;
    Ok(build_inventory(std::slice::from_ref(&analysis), &[]))
}

/// Runs `analyzers` over a directory tree, walked once.
pub fn analyze_dir_layer(
    root: &Path,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
) -> Result<LayerAnalysis, AnalyzeError> {
    Ok(layer::analyze_walk(
        analyzers,
        &opts.limits,
        file_workers(opts),
        |visit| atalaia_artifact::walk_dir(root, &opts.limits, visit),
    )?)
}
