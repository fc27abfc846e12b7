//! The layer cache under real scans: a second scan of an image opens no layer, settings that
//! change results miss, a damaged file is replaced, and concurrent scans share one cache.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use atalaia_analyze::{AnalyzeOptions, LayerCache, LayerSource};
use atalaia_artifact::{ArtifactError, ImageSelector, ImageSource};
use atalaia_cache::{CacheOptions, SqliteLayerCache};
use atalaia_types::LayerInfo;

fn corpus_image(reference: &str) -> ImageSource {
    let input = format!(
        "{}:{reference}",
        atalaia_test::corpus_dir().join("oci").display()
    );
    atalaia_artifact::open_image(&input, &ImageSelector::default()).unwrap()
}

/// A layer that counts how often it is opened.
struct Counted<'a> {
    layer: &'a atalaia_artifact::Layer,
    opens: &'a AtomicUsize,
}

impl LayerSource for Counted<'_> {
    fn info(&self) -> &LayerInfo {
        &self.layer.info
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        self.opens.fetch_add(1, Ordering::SeqCst);
        self.layer.open()
    }
}

fn opts(cache: Arc<SqliteLayerCache>) -> AnalyzeOptions {
    AnalyzeOptions {
        cache: Some(cache as Arc<dyn LayerCache>),
        ..AnalyzeOptions::default()
    }
}

#[test]
fn a_second_scan_opens_no_layer_and_finds_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap());
    let image = corpus_image("postgres-like");
    let opens = AtomicUsize::new(0);
    let layers: Vec<Counted<'_>> = image
        .layers
        .iter()
        .map(|layer| Counted {
            layer,
            opens: &opens,
        })
        .collect();
    let uncached =
        atalaia_analyze::analyze_layer_sources(&layers, &AnalyzeOptions::default()).unwrap();
    opens.store(0, Ordering::SeqCst);
    let first = atalaia_analyze::analyze_layer_sources(&layers, &opts(Arc::clone(&cache))).unwrap();
    assert_eq!(opens.load(Ordering::SeqCst), layers.len());
    assert_eq!(cache.stats().unwrap().entries, layers.len() as u64);
    let second =
        atalaia_analyze::analyze_layer_sources(&layers, &opts(Arc::clone(&cache))).unwrap();
    assert_eq!(
        opens.load(Ordering::SeqCst),
        layers.len(),
        "no layer reopened"
    );
    assert_eq!(first, uncached);
    assert_eq!(second, uncached);
}

#[test]
fn other_analyzer_settings_or_limits_do_not_reuse_results() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap());
    let image = corpus_image("alpine-3.20.3");
    let scanner = Arc::new(atalaia_secret::SecretScanner::builder().build().unwrap());
    let with_secrets = |fingerprint: &str| AnalyzeOptions {
        extra_analyzers: vec![Arc::new(
            atalaia_analyze::SecretAnalyzer::new(Arc::clone(&scanner), true)
                .with_rules_fingerprint(fingerprint),
        )],
        ..opts(Arc::clone(&cache))
    };
    atalaia_analyze::analyze_image(&image, &opts(Arc::clone(&cache))).unwrap();
    atalaia_analyze::analyze_image(&image, &with_secrets("builtin")).unwrap();
    atalaia_analyze::analyze_image(&image, &with_secrets("sha256:custom")).unwrap();
    let mut small = opts(Arc::clone(&cache));
    small.limits.max_file_bytes = 1 << 20;
    atalaia_analyze::analyze_image(&image, &small).unwrap();
    // Four settings, four results per layer.
    assert_eq!(
        cache.stats().unwrap().entries,
        4 * image.layers.len() as u64
    );
}

#[test]
fn a_damaged_cache_file_is_moved_aside_and_scans_go_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(atalaia_cache::FILE_NAME),
        b"this is not a SQLite database, just bytes that got here somehow".repeat(100),
    )
    .unwrap();
    let cache = Arc::new(SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap());
    let image = corpus_image("alpine-3.20.3");
    atalaia_analyze::analyze_image(&image, &opts(Arc::clone(&cache))).unwrap();
    assert_eq!(cache.stats().unwrap().entries, image.layers.len() as u64);
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .count();
    assert_eq!(aside, 1);
}

#[test]
fn concurrent_scans_of_different_images_share_one_cache() {
    let dir = tempfile::tempdir().unwrap();
    let refs = ["alpine-3.20.3", "postgres-like", "python-app", "node-app"];
    std::thread::scope(|s| {
        let handles: Vec<_> = refs
            .iter()
            .map(|r| {
                let path = dir.path().to_owned();
                s.spawn(move || {
                    // Each thread opens its own connection, as a separate process would.
                    let cache =
                        Arc::new(SqliteLayerCache::open(&path, CacheOptions::default()).unwrap());
                    let image = corpus_image(r);
                    let a =
                        atalaia_analyze::analyze_image(&image, &opts(Arc::clone(&cache))).unwrap();
                    let b = atalaia_analyze::analyze_image(&image, &opts(cache)).unwrap();
                    assert_eq!(a, b, "{r}");
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let cache = SqliteLayerCache::open(dir.path(), CacheOptions::default()).unwrap();
    assert!(cache.stats().unwrap().entries >= refs.len() as u64);
}

#[test]
fn the_size_cap_holds_after_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let cap = 4_000;
    let cache = Arc::new(
        SqliteLayerCache::open(
            dir.path(),
            CacheOptions {
                max_bytes: Some(cap),
            },
        )
        .unwrap(),
    );
    for r in ["alpine-3.20.3", "postgres-like", "python-app"] {
        atalaia_analyze::analyze_image(&corpus_image(r), &opts(Arc::clone(&cache))).unwrap();
        assert!(cache.stats().unwrap().bytes <= cap, "{r}");
    }
}
