//! Targets to layer streams.
//!
//! An image (a `docker save` tarball or an OCI image layout) becomes an [`ImageSource`]: its
//! metadata and its layers, each of which opens as a decompressed tar stream whose digests are
//! verified as it is read. A layer stream, or a directory on disk, is walked with [`walk_tar`] or
//! [`walk_dir`], which hand each entry to a visitor once, with a normalised path that can never
//! escape the root, whiteouts and opaque directories recognised, and the named [`Limits`] enforced.
//!
//! Nothing here knows about packages: the analyzers in `atalaia-analyze` are the visitors.
#![deny(missing_docs)]

// CONTRACT (written first so atalaia-analyze can be built against it; bodies come from the
// artifact work). Keep these names and shapes; add to them freely.

mod error;

use std::io::Read;
use std::path::Path;

use atalaia_types::{ArtifactMetadata, Digest, LayerInfo};

pub use error::ArtifactError;

/// Named safety limits, all raisable by flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes an analyzer may read from one file (larger files are skipped with a warning).
    pub max_file_bytes: u64,
    /// Decompressed bytes in one layer (a decompression bomb stops here with an error).
    pub max_layer_bytes: u64,
    /// Entries in one layer.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 256 << 20, max_layer_bytes: 64 << 30, max_entries: 4_000_000 }
    }
}

/// What a tar entry or directory entry is, after whiteout interpretation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file; its bytes can be read from [`Entry::reader`].
    File,
    /// A directory.
    Dir,
    /// A symbolic link, with its target exactly as stored (may be absolute or relative).
    Symlink {
        /// The link target as stored.
        target: String,
    },
    /// A hard link to an earlier entry of the same layer (normalised path).
    Hardlink {
        /// The normalised path of the entry linked to.
        target: String,
    },
    /// `.wh.NAME`: the path (normalised, the whiteout prefix removed) is deleted from lower layers.
    Whiteout,
    /// `.wh..wh..opq`: the directory's lower-layer contents are hidden; `path` is the directory.
    OpaqueDir,
    /// Devices, fifos and anything else: reported so counts are right, never read.
    Other,
}

/// One entry handed to a visitor.
pub struct Entry<'a> {
    /// Normalised path relative to the root: no leading `/`, no `.` or `..` components,
    /// `/`-separated. An entry whose path would leave the root is never handed out.
    pub path: &'a str,
    /// What the entry is.
    pub kind: EntryKind,
    /// Size in bytes of a regular file's content (0 otherwise).
    pub size: u64,
    /// Unix permission bits.
    pub mode: u32,
    /// The file's bytes (regular files only); reading stops at [`Limits::max_file_bytes`].
    pub reader: &'a mut dyn Read,
}

/// Counts from one walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkStats {
    /// Entries seen.
    pub entries: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
}

/// Walks a tar stream once, calling `visit` for each entry in stream order.
pub fn walk_tar<R: Read>(
    _reader: R,
    _limits: &Limits,
    _visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    unimplemented!("artifact work in progress")
}

/// Walks a directory tree as if it were one layer (no whiteouts), without following symlinks.
pub fn walk_dir(
    _root: &Path,
    _limits: &Limits,
    _visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    unimplemented!("artifact work in progress")
}

/// Which image to take from an input that may hold several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSelector {
    /// `org.opencontainers.image.ref.name` (OCI layout) or a `RepoTags` entry (docker-archive).
    pub reference: Option<String>,
    /// A manifest digest.
    pub digest: Option<Digest>,
    /// `os/arch[/variant]` for image indexes; `linux/amd64` when unset.
    pub platform: Option<String>,
}

/// One layer of an image, ready to be opened (any number of times, from any thread).
pub struct Layer {
    /// Digests, size and history line.
    pub info: LayerInfo,
    /// The blob's media type as the manifest gives it.
    pub media_type: String,
    // private: how to open the blob
}

impl Layer {
    /// Opens the layer as a decompressed tar stream. Reading it to the end verifies both the blob
    /// digest and the diff ID; a mismatch is an error from `read`, naming the layer.
    pub fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        unimplemented!("artifact work in progress")
    }
}

/// An image opened from a file or directory: its metadata and layers, lowest first.
pub struct ImageSource {
    /// A display name for the image (the input path plus `:ref` or `@digest` if one was given).
    pub name: String,
    /// Image ID, diff IDs, repo tags/digests, config, layers.
    pub metadata: ArtifactMetadata,
    /// The layers, lowest first.
    pub layers: Vec<Layer>,
}

/// Opens `input`: a `docker save` tarball (legacy or OCI inside) or an OCI image layout directory.
/// `input` may end in `:REF` or `@sha256:…` to choose an image; `selector` wins over that.
pub fn open_image(_input: &str, _selector: &ImageSelector) -> Result<ImageSource, ArtifactError> {
    unimplemented!("artifact work in progress")
}
