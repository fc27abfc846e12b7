//! Final filesystems of the corpus images, read with `atalaia-artifact` (`open_image` and
//! `Layer::walk`), with whiteouts, opaque directories and hard links applied layer by layer.
//! Layer attribution is not this crate's job; only the final view is built.

use std::collections::BTreeMap;

use atalaia_artifact::{open_image, EntryKind, ImageSelector, Limits};

/// A regular file of an image's final filesystem: its bytes and mode.
pub(crate) struct File {
    pub(crate) bytes: Vec<u8>,
    pub(crate) mode: u32,
}

/// Where an image of the corpus is stored.
#[derive(Clone, Copy)]
pub(crate) enum Store {
    /// `oci/` (gzip layers).
    Oci,
    /// `oci-zstd/` (zstd layers).
    OciZstd,
    /// `docker-archive/<ref>.tar`.
    DockerArchive,
}

/// The files of image `reference` for which `keep(path, size, mode)` is true, keyed by path
/// (relative, no leading `/`), after applying every layer.
pub(crate) fn final_files(
    reference: &str,
    keep: impl Fn(&str, u64, u32) -> bool,
) -> BTreeMap<String, File> {
    final_files_from(Store::Oci, reference, keep)
}

/// [`final_files`] from a given store.
pub(crate) fn final_files_from(
    store: Store,
    reference: &str,
    keep: impl Fn(&str, u64, u32) -> bool,
) -> BTreeMap<String, File> {
    let corpus = atalaia_test::corpus_dir();
    let (input, selector) = match store {
        Store::Oci => (
            corpus.join("oci"),
            ImageSelector {
                reference: Some(reference.to_owned()),
                ..ImageSelector::default()
            },
        ),
        Store::OciZstd => (
            corpus.join("oci-zstd"),
            ImageSelector {
                reference: Some(reference.to_owned()),
                ..ImageSelector::default()
            },
        ),
        Store::DockerArchive => (
            corpus
                .join("docker-archive")
                .join(format!("{reference}.tar")),
            ImageSelector::default(),
        ),
    };
    let image = open_image(&input.to_string_lossy(), &selector)
        .unwrap_or_else(|e| panic!("open {reference}: {e}"));
    let limits = Limits::default();
    let mut files: BTreeMap<String, File> = BTreeMap::new();
    for layer in &image.layers {
        // Whiteouts remove a path and everything under it; other entries replace one path.
        let mut removed: Vec<String> = Vec::new();
        let mut replaced: Vec<String> = Vec::new();
        let mut opaque: Vec<String> = Vec::new();
        let mut added: Vec<(String, File)> = Vec::new();
        let mut links: Vec<(String, String)> = Vec::new();
        layer
            .walk(&limits, &mut |e| {
                let path = e.path.to_owned();
                match &e.kind {
                    EntryKind::File if keep(&path, e.size, e.mode) => {
                        let mut bytes = Vec::new();
                        e.reader
                            .read_to_end(&mut bytes)
                            .unwrap_or_else(|err| panic!("read {path}: {err}"));
                        added.push((
                            path,
                            File {
                                bytes,
                                mode: e.mode,
                            },
                        ));
                    }
                    EntryKind::Whiteout => removed.push(path),
                    EntryKind::OpaqueDir => opaque.push(path),
                    EntryKind::Hardlink { target } => links.push((path, target.clone())),
                    EntryKind::Dir => {}
                    _ => replaced.push(path),
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("walk {}: {e}", layer.display_name()));
        let under = |p: &str, d: &str| p == d || p.starts_with(&format!("{d}/"));
        files.retain(|p, _| {
            !removed.iter().any(|r| under(p, r))
                && !replaced.iter().any(|r| r == p)
                && !opaque.iter().any(|d| p.starts_with(&format!("{d}/")))
        });
        for (name, file) in added {
            files.insert(name, file);
        }
        for (name, target) in links {
            if let Some(f) = files.get(&target) {
                let copy = File {
                    bytes: f.bytes.clone(),
                    mode: f.mode,
                };
                files.insert(name, copy);
            }
        }
    }
    files
}
