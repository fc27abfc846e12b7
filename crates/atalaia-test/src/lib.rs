//! Test helpers shared by the crates' integration tests.
//!
//! Real corpora are read in place from `$ATALAIA_SHARED` (default: `../shared` next to the
//! repository root); they are never copied into the repository.
#![allow(missing_docs)]

use std::path::{Path, PathBuf};

#[cfg(feature = "registry")]
pub mod registry;
#[cfg(feature = "registry")]
pub mod token;

/// The environment variable naming the shared data directory.
pub const ATALAIA_SHARED: &str = "ATALAIA_SHARED";

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    // This crate lives at `<root>/crates/atalaia-test`.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root exists")
}

/// The shared data directory. Panics with the place it looked when it is missing, so a test
/// that needs the corpora fails loudly instead of passing vacuously.
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os(ATALAIA_SHARED) {
        Some(v) => PathBuf::from(v),
        None => repo_root().join("../shared"),
    };
    assert!(
        dir.join("corpus").is_dir(),
        "shared data not found: looked for `{}/corpus` (set {ATALAIA_SHARED} to the shared directory)",
        dir.display()
    );
    dir
}

/// `<shared>/corpus`.
pub fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus")
}

/// `<shared>/corpus-iac`.
pub fn corpus_iac_dir() -> PathBuf {
    shared_dir().join("corpus-iac")
}

/// `<shared>/vulndata`.
pub fn vulndata_dir() -> PathBuf {
    shared_dir().join("vulndata")
}

/// The image refs in the shared OCI layout (`org.opencontainers.image.ref.name` annotations),
/// read without a JSON parser to keep this crate dependency-free.
pub fn corpus_image_refs() -> Vec<String> {
    let index = std::fs::read_to_string(corpus_dir().join("oci/index.json"))
        .expect("corpus oci/index.json");
    let key = "\"org.opencontainers.image.ref.name\"";
    let mut refs = Vec::new();
    let mut rest = index.as_str();
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let start = rest.find('"').expect("value") + 1;
        let end = start + rest[start..].find('"').expect("value end");
        refs.push(rest[start..end].to_owned());
        rest = &rest[end..];
    }
    refs
}
