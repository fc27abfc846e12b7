//! Helpers: opening corpus images, scanning each once per test run, building synthetic layers.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use atalaia_analyze::{AnalyzeOptions, LayerSource};
use atalaia_artifact::{ArtifactError, ImageSelector, ImageSource};
use atalaia_types::{Digest, Inventory, LayerInfo};

/// `<corpus>/oci`.
pub(crate) fn oci_dir() -> PathBuf {
    atalaia_test::corpus_dir().join("oci")
}

/// Opens an image by input string (`PATH`, `PATH:REF`).
pub(crate) fn open(input: &str) -> ImageSource {
    atalaia_artifact::open_image(input, &ImageSelector::default())
        .unwrap_or_else(|e| panic!("open `{input}`: {e:?}"))
}

/// Opens the image `reference` of the shared OCI layout.
pub(crate) fn open_ref(reference: &str) -> ImageSource {
    open(&format!("{}:{reference}", oci_dir().display()))
}

/// An image input together with its inventory.
pub(crate) struct Scanned {
    pub(crate) image: ImageSource,
    pub(crate) inventory: Inventory,
}

impl Scanned {
    /// The 1-based index of the layer a package's layer digest names (0 when none).
    pub(crate) fn layer_index(&self, digest: Option<&Digest>) -> usize {
        digest
            .and_then(|d| self.image.layers.iter().position(|l| &l.info.digest == d))
            .map_or(0, |i| i + 1)
    }
}

/// Scans `input` once per test run (several tests share the corpus images).
pub(crate) fn scan(input: &str) -> Arc<Scanned> {
    type Slot = Arc<OnceLock<Arc<Scanned>>>;
    static CACHE: OnceLock<Mutex<HashMap<String, Slot>>> = OnceLock::new();
    let cell = {
        let mut map = CACHE.get_or_init(Default::default).lock().unwrap();
        map.entry(input.to_owned()).or_default().clone()
    };
    cell.get_or_init(|| {
        let image = open(input);
        let inventory = atalaia_analyze::analyze_image(&image, &AnalyzeOptions::default())
            .unwrap_or_else(|e| panic!("scan `{input}`: {e:?}"));
        Arc::new(Scanned { image, inventory })
    })
    .clone()
}

/// Scans the shared OCI layout's image `reference`.
pub(crate) fn scan_ref(reference: &str) -> Arc<Scanned> {
    scan(&format!("{}:{reference}", oci_dir().display()))
}

/// Reads a JSON file.
pub(crate) fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read `{}`: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse `{}`: {e}", path.display()))
}

/// A layer held in memory (an uncompressed tar), counting how often it is opened.
pub(crate) struct MemLayer {
    pub(crate) info: LayerInfo,
    pub(crate) bytes: Vec<u8>,
    pub(crate) opens: AtomicUsize,
}

impl MemLayer {
    pub(crate) fn new(n: u8, bytes: Vec<u8>) -> Self {
        let info = LayerInfo {
            size: bytes.len() as u64,
            digest: Digest::sha256_from_bytes(&[n; 32]),
            diff_id: Digest::sha256_from_bytes(&[n + 100; 32]),
            created_by: Some(format!("layer {n}")),
        };
        MemLayer {
            info,
            bytes,
            opens: AtomicUsize::new(0),
        }
    }
}

impl LayerSource for MemLayer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        self.opens.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(Cursor::new(self.bytes.clone())))
    }
}

/// A tar archive of regular files (`path`, content) and symlinks (`path`, `-> target`).
pub(crate) fn tar_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(0);
        if let Some(target) = content.strip_prefix("-> ") {
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            h.set_mode(0o777);
            b.append_link(&mut h, path, target).unwrap();
        } else {
            h.set_entry_type(tar::EntryType::Regular);
            h.set_size(content.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, path, content.as_bytes()).unwrap();
        }
    }
    b.into_inner().unwrap()
}

/// A small Alpine apk database.
pub(crate) fn apk_db(pkgs: &[(&str, &str, &str)]) -> String {
    pkgs.iter()
        .map(|(n, v, o)| format!("P:{n}\nV:{v}\nA:x86_64\no:{o}\nL:MIT\n\n"))
        .collect()
}

pub(crate) const ALPINE_OS_RELEASE: &str =
    "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\nHOME_URL=\"https://alpinelinux.org/\"\n";
