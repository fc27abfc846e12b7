//! Targets to layer streams.
//!
//! An image (a `docker save` tarball or an OCI image layout) becomes an [`ImageSource`]: its
//! metadata and its layers, each of which opens as a decompressed tar stream whose digests are
//! verified as it is read. A layer stream, or a directory on disk, is walked with [`walk_tar`] or
//! [`walk_dir`], which hand each entry to a visitor once, with a normalised path that can never
//! escape the root, whiteouts and opaque directories recognised, and the named [`Limits`] enforced.
//!
//! Nothing here knows about packages: the analyzers in `atalaia-analyze` are the visitors.
//!
//! ```text
//! open_image("img.tar" | "layout:REF" | "layout@sha256:…")
//!   └─ image:  docker save (legacy manifest.json, or OCI inside) │ OCI layout dir
//!              index → (nested index, by platform) → manifest → config + layer blobs
//!        └─ Layer::open: own file handle (+ seek into the tarball) → BufReader
//!             → sha256(blob) → gzip | zstd | plain (by magic bytes) → sha256(diff) → Read
//!                  └─ walk_tar: 256 KiB buffer → layer-size limit → tar → visitor(Entry)
//! ```
//!
//! Modules: `manifest` (what the sources that fetch documents themselves, a registry or
//! containerd, decide as `resolve` does: the platform of an index, the media types handled, the
//! diff IDs and history of a config), `resolve` (choosing an image and reading its documents over any [`ImageStore`]: the
//! same code serves the disk stores and atalaia-daemon's `docker save` stream), `image` (the
//! disk stores: docker-archive tarballs and OCI layouts), `layer` (blob
//! streams, decompression, digest verification), `decode` ([`LayerDecoder`]: the same
//! decompression for layers streamed from elsewhere, a registry or a daemon), `verified`
//! ([`VerifiedLayerStream`]: a layer streamed from a registry or containerd, decompressed and its
//! digests verified, one implementation for every such source), `walk` (tar and directory walks, limits),
//! `path` (normalisation, whiteout names), `error`.
#![deny(missing_docs)]

// The public shapes below were a CONTRACT written first so atalaia-analyze could be built against
// them. Keep their names and shapes; add to them freely.

mod decode;
mod error;
mod image;
#[cfg(atalaia_isal)]
mod isal;
mod layer;
mod manifest;
mod path;
mod resolve;
mod verified;
mod walk;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use atalaia_types::{ArtifactMetadata, Digest, LayerInfo};

pub use decode::{sniff_compression, LayerDecoder};
pub use error::{ArtifactError, Compression, LimitKind};
pub use manifest::{
    check_image_manifest, is_layer_media_type, select_platform, BlobRef, DocumentFault,
    ImageDescription, PlatformRef,
};
pub use path::normalize as normalize_path;
pub use resolve::{resolve_image, ImageStore, ResolvedImage, ResolvedLayer};
pub use verified::{CheckedBlob, ClassifyFn, LayerIdentity, VerifiedLayerStream};

/// Named safety limits, all raisable by flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes an analyzer may read from one file. [`Entry::reader`] stops there; a visitor sees
    /// that a file was cut because [`Entry::size`] is larger (analyzers skip such files with a
    /// warning). Flag: `--max-file-bytes`.
    pub max_file_bytes: u64,
    /// Decompressed bytes in one layer (a decompression bomb stops here with an error).
    /// Flag: `--max-layer-bytes`.
    pub max_layer_bytes: u64,
    /// Entries in one layer (or one directory walk). Flag: `--max-entries`.
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_layer_bytes: 64 << 30,
            max_entries: 4_000_000,
        }
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

/// Counts from one walk, and what it skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkStats {
    /// Entries seen (including skipped ones).
    pub entries: u64,
    /// Decompressed bytes read: for a tar walk, the whole stream; for a directory walk, the file
    /// bytes visitors read.
    pub bytes: u64,
    /// Entries skipped and why: a tar path escaping the root, a meaningless whiteout name, an
    /// unreadable file or directory in a directory walk. The walk goes on after each.
    pub warnings: Vec<WalkWarning>,
}

/// An entry a walk skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkWarning {
    /// The entry's path: normalised when it could be, else as stored.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

impl std::fmt::Display for WalkWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.path, self.reason)
    }
}

/// Walks a tar stream once, calling `visit` for each entry in stream order.
///
/// - Paths are normalised ([`normalize_path`]); an entry whose path (or hard-link target) escapes
///   the root through `..` is skipped and recorded in [`WalkStats::warnings`], never visited.
///   The root directory entry (`./`) is not visited.
/// - `dir/.wh.NAME` is visited as `dir/NAME` with [`EntryKind::Whiteout`]; `dir/.wh..wh..opq` as
///   `dir` with [`EntryKind::OpaqueDir`].
/// - A regular file's [`Entry::reader`] yields at most [`Limits::max_file_bytes`] bytes; the
///   visitor knows it got a cut file when [`Entry::size`] exceeds that limit. Bytes it does not
///   read are skipped.
/// - More than [`Limits::max_entries`] entries, or more than [`Limits::max_layer_bytes`] bytes in
///   the stream, is an [`ArtifactError::LimitExceeded`] error.
/// - After the end-of-archive marker, the rest of `reader` is read and discarded, so a verifying
///   reader from [`Layer::open`] checks its digests; its errors come back as themselves.
/// - An error from `visit` stops the walk and is returned, unless the stream under the entry
///   failed, in which case that failure is returned.
pub fn walk_tar<R: Read>(
    reader: R,
    limits: &Limits,
    visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    walk::walk_tar_impl(reader, "Tar stream", limits, visit)
}

/// [`walk_tar`] with a name for the stream used in errors (e.g. ``Layer `sha256:…` of `img` ``).
pub fn walk_tar_named<R: Read>(
    reader: R,
    name: &str,
    limits: &Limits,
    visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    walk::walk_tar_impl(reader, name, limits, visit)
}

/// Walks a directory tree as if it were one layer (no whiteouts), without following symlinks.
///
/// Children are visited in byte order of their names, each directory before its contents.
/// Symlinks are reported as [`EntryKind::Symlink`] with their target and never followed, so a
/// symlink loop cannot hang the walk and nothing outside `root` is read (a file is opened only
/// after checking it is the same inode the walk stat'ed). Unreadable files and directories are
/// skipped and recorded in [`WalkStats::warnings`]. [`Limits::max_entries`] and
/// [`Limits::max_file_bytes`] apply; [`Limits::max_layer_bytes`] does not (nothing is
/// decompressed). Hard links are reported as ordinary files. `root` itself may be a symlink to a
/// directory. Names that are not UTF-8 are converted lossily.
pub fn walk_dir(
    root: &Path,
    limits: &Limits,
    visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    walk::walk_dir_impl(root, limits, visit)
}

/// The gzip inflater this build uses for layers: `"isa-l"` (ISA-L's `isal_inflate`, cargo feature
/// `isal`, on by default, when the library was found at build time) or `"zlib-rs"` (flate2 +
/// zlib-rs, the fallback). Both give the same bytes and the same errors on bad input.
pub fn gzip_backend() -> &'static str {
    layer::GzipBackend::DEFAULT.name()
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
#[derive(Debug, Clone)]
pub struct Layer {
    /// Digests, size and history line.
    pub info: LayerInfo,
    /// The blob's media type as the manifest gives it.
    pub media_type: String,
    /// How to open the blob.
    source: Arc<layer::LayerSource>,
}

impl Layer {
    /// Opens the layer as a decompressed tar stream. Reading it to the end verifies both the blob
    /// digest and the diff ID; a mismatch is an error from `read`, naming the layer.
    ///
    /// Each call opens its own file handle, so a layer can be opened from several threads at once.
    /// The stream is decompressed according to the blob's magic bytes (gzip, zstd or none).
    /// Errors from `read` carry an [`ArtifactError`]: recover it with [`ArtifactError::from_io`]
    /// ([`walk_tar`] does this itself).
    pub fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        Ok(Box::new(layer::LayerStream::open(self.source.clone())?))
    }

    /// A name for this layer in messages: ``Layer `sha256:…` of `image` ``.
    pub fn display_name(&self) -> String {
        format!("Layer `{}` of `{}`", self.info.digest, self.source.image)
    }

    /// Opens the layer and walks it with [`walk_tar`], errors naming the layer. Reading to the
    /// end verifies the digests.
    pub fn walk(
        &self,
        limits: &Limits,
        visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
    ) -> Result<WalkStats, ArtifactError> {
        match walk_tar_named(self.open()?, &self.display_name(), limits, visit) {
            // A stream that is not a valid tar may have been tampered with: if its digests do not
            // match either, that is the better diagnosis.
            Err(bad @ ArtifactError::BadTar { .. }) => {
                // Bounded by the layer limit: a bomb behind a broken tar is not read twice.
                let mut stream = self.open()?.take(limits.max_layer_bytes);
                match std::io::copy(&mut stream, &mut std::io::sink())
                    .map_err(ArtifactError::from_io)
                {
                    Err(Ok(e)) => Err(e),
                    _ => Err(bad),
                }
            }
            other => other,
        }
    }
}

/// An image opened from a file or directory: its metadata and layers, lowest first.
#[derive(Debug, Clone)]
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
pub fn open_image(input: &str, selector: &ImageSelector) -> Result<ImageSource, ArtifactError> {
    image::open(input, selector)
}
