//! Errors reading an artifact. Each names the file (and layer) it is about; the cause, when there
//! is one, is the `#[source]` and is never pasted into the message.

use std::fmt;
use std::path::PathBuf;

use atalaia_types::Digest;

/// Which named limit was exceeded (see [`crate::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitKind {
    /// [`crate::Limits::max_layer_bytes`].
    LayerBytes,
    /// [`crate::Limits::max_entries`].
    Entries,
    /// [`crate::Limits::max_file_bytes`] (only reported by visitors that refuse a cut file).
    FileBytes,
}

impl LimitKind {
    /// The command-line flag that raises this limit.
    pub fn flag(self) -> &'static str {
        match self {
            LimitKind::LayerBytes => "--max-layer-bytes",
            LimitKind::Entries => "--max-entries",
            LimitKind::FileBytes => "--max-file-bytes",
        }
    }
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LimitKind::LayerBytes => "decompressed layer size",
            LimitKind::Entries => "entry count",
            LimitKind::FileBytes => "file size",
        })
    }
}

/// A layer compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// No compression: the blob is the tar stream.
    None,
    /// gzip (one or more members).
    Gzip,
    /// zstd (one or more frames).
    Zstd,
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        })
    }
}

/// Reading an image or a layer failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArtifactError {
    /// The input could not be opened or read.
    #[error("Failed to read `{path}`")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        err: std::io::Error,
    },

    /// The input names nothing on disk.
    #[error("Input `{input}` does not exist (expected a `docker save` tarball or an OCI image layout directory, optionally followed by `:REF` or `@sha256:DIGEST`)")]
    NotFound {
        /// The input as given.
        input: String,
    },

    /// The input file is not a tar archive.
    #[error("`{path}` is not a tar archive (expected a `docker save` tarball)")]
    NotATar {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        err: std::io::Error,
    },

    /// The input is a tar or directory but holds no image.
    #[error("`{path}` is not an image: it holds neither `index.json` (OCI layout) nor `manifest.json` (`docker save`)")]
    NotAnImage {
        /// The file or directory.
        path: PathBuf,
    },

    /// A JSON document of the image (index, manifest, config) does not parse.
    #[error("Failed to parse `{file}` of `{path}`")]
    BadJson {
        /// The image file or directory.
        path: PathBuf,
        /// The document within it (a member name or a blob digest).
        file: String,
        /// The cause.
        #[source]
        err: serde_json::Error,
    },

    /// A JSON document parses but says something impossible.
    #[error("`{file}` of `{path}` is invalid: {problem}")]
    BadDocument {
        /// The image file or directory.
        path: PathBuf,
        /// The document within it.
        file: String,
        /// What is wrong, in our own words.
        problem: String,
    },

    /// A document names a blob that is not in the image.
    #[error("`{file}` of `{path}` names `{blob}`, which is missing")]
    MissingBlob {
        /// The image file or directory.
        path: PathBuf,
        /// The document naming the blob.
        file: String,
        /// The blob (digest or member name).
        blob: String,
    },

    /// A blob's bytes do not hash to the digest that names it.
    #[error("Blob `{expected}` of `{image}` has digest `{actual}`: the image is corrupt or was tampered with")]
    BlobDigestMismatch {
        /// The image.
        image: String,
        /// The digest the manifest gives.
        expected: Digest,
        /// The digest of the bytes read.
        actual: Digest,
    },

    /// A blob's size differs from the size its descriptor gives.
    #[error("Blob `{digest}` of `{image}` is {actual} bytes, but its descriptor says {expected}")]
    BlobSizeMismatch {
        /// The image.
        image: String,
        /// The blob.
        digest: Digest,
        /// The size the descriptor gives.
        expected: u64,
        /// The size stored.
        actual: u64,
    },

    /// A layer's decompressed bytes do not hash to its diff ID.
    #[error("Layer `{layer}` of `{image}` decompresses to `{actual}`, but the image config says diff ID `{expected}`")]
    DiffIdMismatch {
        /// The image.
        image: String,
        /// The layer's blob digest.
        layer: Digest,
        /// The diff ID from the config.
        expected: Digest,
        /// The digest of the decompressed bytes.
        actual: Digest,
    },

    /// A compressed layer ends before its compressed stream does.
    #[error("Layer `{layer}` of `{image}` is truncated: its {format} stream ends early")]
    Truncated {
        /// The image.
        image: String,
        /// The layer's blob digest.
        layer: Digest,
        /// The compression format.
        format: Compression,
        /// The cause.
        #[source]
        err: std::io::Error,
    },

    /// A compressed layer is not a valid stream of its format.
    #[error("Layer `{layer}` of `{image}` is not a valid {format} stream")]
    Decompress {
        /// The image.
        image: String,
        /// The layer's blob digest.
        layer: Digest,
        /// The compression format.
        format: Compression,
        /// The cause.
        #[source]
        err: std::io::Error,
    },

    /// A layer blob could not be read from disk.
    #[error("Failed to read layer `{layer}` of `{image}` from `{path}`")]
    LayerIo {
        /// The image.
        image: String,
        /// The layer's blob digest.
        layer: Digest,
        /// The file holding the blob.
        path: PathBuf,
        /// The cause.
        #[source]
        err: std::io::Error,
    },

    /// A (decompressed) stream is not a valid tar archive.
    #[error("{what} is not a valid tar stream")]
    BadTar {
        /// The stream: `Layer `…` of `…`` or `Tar stream`.
        what: String,
        /// The cause.
        #[source]
        err: std::io::Error,
    },

    /// A named safety limit was reached.
    #[error("{what} exceeds the {limit} limit of {value} (raise it with `{flag}`)", flag = limit.flag())]
    LimitExceeded {
        /// The stream or directory.
        what: String,
        /// Which limit.
        limit: LimitKind,
        /// The limit's value.
        value: u64,
    },

    /// The input holds several images and none was chosen.
    #[error("`{path}` holds several images; choose one with `PATH:REF` or `PATH@DIGEST` (available: {available})")]
    Ambiguous {
        /// The image file or directory.
        path: PathBuf,
        /// What is available.
        available: String,
    },

    /// No image matches the given reference or digest.
    #[error("No image in `{path}` matches {wanted} (available: {available})")]
    NoMatchingImage {
        /// The image file or directory.
        path: PathBuf,
        /// The reference or digest asked for.
        wanted: String,
        /// What is available.
        available: String,
    },

    /// An image index has no manifest for the platform asked for.
    #[error("Image index `{index}` of `{path}` has no manifest for platform `{platform}` (available: {available})")]
    NoMatchingPlatform {
        /// The image file or directory.
        path: PathBuf,
        /// The index digest.
        index: String,
        /// The platform asked for.
        platform: String,
        /// The platforms available.
        available: String,
    },

    /// A platform string does not parse.
    #[error(
        "Invalid platform `{value}` (expected `os/arch` or `os/arch/variant`, e.g. `linux/amd64`)"
    )]
    BadPlatform {
        /// The value given.
        value: String,
    },

    /// A digest given to choose an image does not parse.
    #[error("Invalid digest `{value}` (expected `sha256:` and 64 hex digits)")]
    BadDigest {
        /// The value given.
        value: String,
    },

    /// A manifest or layer has a media type this reader does not handle.
    #[error("`{file}` of `{path}` has unsupported media type `{media_type}`")]
    UnsupportedMediaType {
        /// The image file or directory.
        path: PathBuf,
        /// The manifest or blob.
        file: String,
        /// The media type.
        media_type: String,
    },

    /// A visitor failed on an entry.
    #[error("Failed to analyse `{path}`")]
    Visit {
        /// The entry path.
        path: String,
        /// The visitor's error.
        #[source]
        err: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ArtifactError {
    /// Wraps this error in an [`std::io::Error`] so it can travel through `Read`; [`walk_tar`]
    /// unwraps it again.
    ///
    /// [`walk_tar`]: crate::walk_tar
    pub fn into_io(self) -> std::io::Error {
        std::io::Error::other(self)
    }

    /// Recovers an [`ArtifactError`] carried inside an [`std::io::Error`] by [`Self::into_io`].
    pub fn from_io(err: std::io::Error) -> Result<ArtifactError, std::io::Error> {
        if err.get_ref().is_some_and(|e| e.is::<ArtifactError>()) {
            match err.into_inner().map(|e| e.downcast::<ArtifactError>()) {
                Some(Ok(e)) => Ok(*e),
                // Unreachable by the check above; rebuild a plain error rather than panic.
                Some(Err(e)) => Err(std::io::Error::other(e)),
                None => Err(std::io::Error::other("error without payload")),
            }
        } else {
            Err(err)
        }
    }
}
