//! Analysing a `docker save` stream as it arrives, without writing it anywhere.
//!
//! ```text
//! outer tar, read once in order
//!   ├─ small JSON members (manifest.json, index.json, oci-layout, repositories, <id>.json,
//!   │  JSON blobs) ─────────────────────────────────────────► kept in memory (bounded)
//!   ├─ layer members (<id>/layer.tar, <diff>.tar, blobs/sha256/<hex>; tar, gzip or zstd by
//!   │  magic bytes) ─► sha256(stored) ─► decompress ─► sha256(diff) ─► analyzers ─► LayerAnalysis
//!   └─ symlinks / hard links between members ──────────────► remembered, resolved at the end
//! end of the archive: atalaia-artifact's resolver (`resolve_image`, the code that opens the same
//! tarball on disk) over the kept members: manifest → config → layers in diff-ID order (blobs
//! the manifest does not name are dropped; a named layer never seen is an error) → the same
//! ArtifactMetadata that atalaia-artifact gives for the same tarball on disk.
//! ```
//!
//! Layers usually come before the manifest in the stream (Docker writes members in name order),
//! so every member that looks like a layer is analysed when it passes, and matched to the
//! manifest once the manifest is known.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use atalaia_analyze::{
    analyze_layer_stream, build_inventory, collect_secrets, layer_cache_key, Analysis,
    AnalyzeOptions, Analyzer, LayerAnalysis,
};
use atalaia_artifact::{
    normalize_path, resolve_image, ArtifactError, Compression, ImageSelector, ImageStore,
    LayerDecoder,
};
use atalaia_types::{ArtifactMetadata, Digest};
use sha2::{Digest as _, Sha256};

use crate::DaemonError;

/// A JSON member larger than this is refused.
const MAX_DOC_BYTES: u64 = 64 << 20;
/// All JSON members together may not exceed this.
const MAX_DOCS_TOTAL: u64 = 256 << 20;
/// Symlink hops followed between members.
const MAX_LINK_HOPS: usize = 16;
/// Buffer in front of a gzip or zstd decoder.
const INFLATE_BUF: usize = 256 << 10;

/// An image analysed from a `docker save` stream.
#[derive(Debug, Clone)]
pub struct StreamedImage {
    /// Image ID, diff IDs, repo tags and digests, config, layers: the same values
    /// `atalaia_artifact::open_image` gives for the same tarball on disk.
    pub metadata: ArtifactMetadata,
    /// The analysis of each layer, lowest first (as `metadata.layers`); what a layer cache
    /// stores under each layer's diff ID.
    pub layers: Vec<LayerAnalysis>,
    /// Counts from the stream.
    pub stats: StreamStats,
}

impl StreamedImage {
    /// The merged inventory and the secrets of every layer (paths `/`-rooted), as
    /// `atalaia_analyze::analyze_image_full` gives them for a tarball.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            inventory: build_inventory(&self.layers, &self.metadata.layers),
            secrets: collect_secrets(&self.layers, &self.metadata.layers, true),
        }
    }
}

/// What passed through the stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamStats {
    /// Members of the outer tar.
    pub members: u64,
    /// Layer members analysed as they passed.
    pub layers_analysed: u64,
    /// Layer members whose analysis came from `AnalyzeOptions::cache` (only hashed).
    pub layers_cached: u64,
    /// Layer members (analysed or cached) that the chosen image does not use (dropped).
    pub layers_dropped: u64,
    /// Stored bytes of the layer members (analysed or cached).
    pub layer_bytes: u64,
}

/// Hashes what is read through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    fn digest(&self) -> Digest {
        Digest::sha256_from_bytes(&self.hasher.clone().finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// One analysed layer member.
struct Blob {
    /// SHA-256 of the bytes as stored in the archive.
    digest: Digest,
    /// SHA-256 of the decompressed tar.
    diff_id: Digest,
    /// Stored size.
    size: u64,
    compression: Compression,
    analysis: LayerAnalysis,
}

enum Member {
    Doc(Vec<u8>),
    Blob(usize),
    /// Normalised target of a symlink or hard link.
    Link(String),
    /// A regular member that is neither a document nor a layer (`VERSION`, legacy `json`).
    Skipped,
}

/// Everything kept from the stream.
struct Collected {
    image: String,
    members: HashMap<String, Member>,
    blobs: Vec<Option<Blob>>,
    stats: StreamStats,
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Whether `head` starts with a tar header (its checksum is right) or an end-of-archive block.
fn is_tar_header(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else {
        return false;
    };
    if block.iter().all(|&b| b == 0) {
        return true;
    }
    let field = &block[148..156];
    let text: String = field
        .iter()
        .take_while(|&&b| b != 0 && b != b' ')
        .map(|&b| char::from(b))
        .collect();
    let text = text.trim_start();
    let Ok(stored) = u32::from_str_radix(text, 8) else {
        return false;
    };
    let sum: u32 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    sum == stored
}

/// The digest a member's name gives: `blobs/sha256/<hex>` or `<hex>.tar` (Podman's layers).
fn named_digest(name: &str) -> Option<Digest> {
    let hex = name
        .strip_prefix("blobs/sha256/")
        .or_else(|| name.strip_suffix(".tar").filter(|h| !h.contains('/')))?;
    if hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        format!("sha256:{hex}").parse().ok()
    } else {
        None
    }
}

/// Whether a member, by name alone, is a document to keep.
fn is_doc_name(name: &str) -> bool {
    matches!(
        name,
        "manifest.json" | "index.json" | "oci-layout" | "repositories"
    ) || (!name.contains('/') && name.ends_with(".json"))
}

/// Whether a member, by name alone, is legacy metadata nobody reads (`<id>/VERSION`, `<id>/json`).
fn is_legacy_metadata(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.contains('/') && !name.starts_with("blobs/") && (file == "VERSION" || file == "json")
}

/// Reads a `docker save` stream (legacy `manifest.json` layout, or an OCI layout inside as Docker
/// 25+ writes it) once, analysing each layer with `analyzers` as it passes, and returns the
/// image chosen by `selector` (as `atalaia_artifact::open_image` chooses; the single image when
/// the selector is empty).
///
/// `image` names the image in errors. Nothing is written to disk; memory holds the JSON members
/// (at most 256 MiB) and the per-layer analyses. The limits of `opts.limits` apply to each layer
/// (decompressed size, entries) and `max_entries` also to the outer archive.
///
/// With `opts.cache`, every layer analysed is stored under its diff ID; a plain-tar member whose
/// name is its digest (`blobs/sha256/<hex>` of Docker 25+, `<hex>.tar` of Podman and skopeo) and
/// whose analysis is cached is only hashed (and checked), not analysed again. A legacy Docker
/// member (`<v1-id>/layer.tar`) does not name its diff ID before it is read, so it is analysed.
pub fn analyze_save_stream<R: Read>(
    reader: R,
    image: &str,
    selector: &ImageSelector,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
) -> Result<StreamedImage, DaemonError> {
    analyze_save_stream_with(reader, image, selector, analyzers, opts, &|| None)
}

/// [`analyze_save_stream`] with a way to ask whether the transport under `reader` failed (its
/// message), so that a broken connection is reported as such rather than as a bad layer.
pub(crate) fn analyze_save_stream_with<R: Read>(
    reader: R,
    image: &str,
    selector: &ImageSelector,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
    transport_failure: &dyn Fn() -> Option<String>,
) -> Result<StreamedImage, DaemonError> {
    let collected = collect(reader, image, analyzers, opts, transport_failure)?;
    resolve(collected, selector)
}

fn collect<R: Read>(
    reader: R,
    image: &str,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
    transport_failure: &dyn Fn() -> Option<String>,
) -> Result<Collected, DaemonError> {
    let stream_err = |err: io::Error| match transport_failure() {
        Some(msg) => DaemonError::Stream {
            image: image.to_owned(),
            err: io::Error::new(err.kind(), msg),
        },
        None => DaemonError::Stream {
            image: image.to_owned(),
            err,
        },
    };
    let mut c = Collected {
        image: image.to_owned(),
        members: HashMap::new(),
        blobs: Vec::new(),
        stats: StreamStats::default(),
    };
    let mut doc_bytes = 0u64;
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(stream_err)? {
        let mut entry = entry.map_err(stream_err)?;
        c.stats.members += 1;
        if c.stats.members > opts.limits.max_entries {
            return Err(DaemonError::LimitExceeded {
                image: image.to_owned(),
                limit: format!("{} archive members", opts.limits.max_entries),
            });
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(name) = normalize_path(&raw_name).filter(|n| !n.is_empty()) else {
            continue;
        };
        let ty = entry.header().entry_type();
        if ty.is_symlink() || ty.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|t| String::from_utf8_lossy(&t).into_owned())
                .unwrap_or_default();
            let resolved = if ty.is_hard_link() || target.starts_with('/') {
                normalize_path(&target)
            } else {
                let parent = name.rsplit_once('/').map_or("", |(p, _)| p);
                normalize_path(&format!("{parent}/{target}"))
            };
            if let Some(t) = resolved.filter(|t| !t.is_empty()) {
                c.members.insert(name, Member::Link(t));
            }
            continue;
        }
        if !(ty.is_file() || ty.is_contiguous()) {
            continue;
        }
        let size = entry.size();
        let mut keep_doc = |c: &mut Collected, entry: &mut dyn Read, name: String| {
            if size > MAX_DOC_BYTES {
                return Err(DaemonError::BadArchive {
                    image: image.to_owned(),
                    problem: format!(
                        "`{name}` is {size} bytes, larger than the {MAX_DOC_BYTES}-byte limit \
                         for JSON documents"
                    ),
                });
            }
            doc_bytes += size;
            if doc_bytes > MAX_DOCS_TOTAL {
                return Err(DaemonError::LimitExceeded {
                    image: image.to_owned(),
                    limit: format!("{MAX_DOCS_TOTAL} bytes of JSON documents"),
                });
            }
            let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            entry.read_to_end(&mut buf).map_err(stream_err)?;
            c.members.insert(name, Member::Doc(buf));
            Ok(())
        };
        if is_doc_name(&name) {
            keep_doc(&mut c, &mut entry, name)?;
            continue;
        }
        if is_legacy_metadata(&name) {
            c.members.insert(name, Member::Skipped);
            continue;
        }
        let mut head = [0u8; 512];
        let n = read_up_to(&mut entry, &mut head).map_err(stream_err)?;
        let head = &head[..n];
        let compression = sniff(head);
        let is_layer = compression != Compression::None || is_tar_header(head);
        if !is_layer {
            if size <= MAX_DOC_BYTES {
                let mut chained = io::Cursor::new(head.to_vec()).chain(&mut entry);
                keep_doc(&mut c, &mut chained, name)?;
            } else {
                c.members.insert(name, Member::Skipped);
            }
            continue;
        }
        // A member named by a digest (`blobs/sha256/<hex>`, Podman's `<hex>.tar`) that is a plain
        // tar is named by its diff ID: a cached analysis is used and the bytes are only hashed.
        let cached = match (&opts.cache, compression, named_digest(&name)) {
            (Some(cache), Compression::None, Some(diff_id)) => cache
                .get(&layer_cache_key(diff_id.as_str(), analyzers, &opts.limits))
                .map(|a| (diff_id, a)),
            _ => None,
        };
        let blob = match cached {
            Some((diff_id, analysis)) => {
                let mut raw = Hashing::new(io::Cursor::new(head.to_vec()).chain(&mut entry));
                io::copy(&mut raw, &mut io::sink()).map_err(stream_err)?;
                let digest = raw.digest();
                if digest != diff_id {
                    return Err(DaemonError::DigestMismatch {
                        image: image.to_owned(),
                        what: format!("Layer `{name}`"),
                        expected: diff_id,
                        actual: digest,
                    });
                }
                c.stats.layers_cached += 1;
                Blob {
                    diff_id: digest.clone(),
                    digest,
                    size: raw.bytes,
                    compression,
                    analysis,
                }
            }
            None => {
                let blob = analyze_member(
                    io::Cursor::new(head.to_vec()).chain(&mut entry),
                    compression,
                    &name,
                    image,
                    analyzers,
                    opts,
                    transport_failure,
                )?;
                if let Some(cache) = &opts.cache {
                    let key = layer_cache_key(blob.diff_id.as_str(), analyzers, &opts.limits);
                    cache.put(&key, blob.diff_id.as_str(), &blob.analysis);
                }
                c.stats.layers_analysed += 1;
                blob
            }
        };
        if let Some(hex) = name.strip_prefix("blobs/sha256/") {
            if hex != blob.digest.hex() {
                return Err(DaemonError::DigestMismatch {
                    image: image.to_owned(),
                    what: format!("Blob `{name}`"),
                    expected: format!("sha256:{hex}").parse().map_err(|_| {
                        DaemonError::BadArchive {
                            image: image.to_owned(),
                            problem: format!("`{name}` is not named by a valid digest"),
                        }
                    })?,
                    actual: blob.digest,
                });
            }
        }
        c.stats.layer_bytes += blob.size;
        c.blobs.push(Some(blob));
        c.members.insert(name, Member::Blob(c.blobs.len() - 1));
    }
    Ok(c)
}

/// Analyses one layer member: hashes its stored bytes and its decompressed bytes in the same
/// pass that walks it.
fn analyze_member(
    stored: impl Read,
    compression: Compression,
    name: &str,
    image: &str,
    analyzers: &[Arc<dyn Analyzer>],
    opts: &AnalyzeOptions,
    transport_failure: &dyn Fn() -> Option<String>,
) -> Result<Blob, DaemonError> {
    let layer_err = |err: ArtifactError| match transport_failure() {
        Some(msg) => DaemonError::Stream {
            image: image.to_owned(),
            err: io::Error::other(msg),
        },
        None => DaemonError::Layer {
            image: image.to_owned(),
            layer: name.to_owned(),
            err: Box::new(err),
        },
    };
    let decompress_err = |err: io::Error| DaemonError::BadArchive {
        image: image.to_owned(),
        problem: format!("layer `{name}`: the {compression} decoder could not start: {err}"),
    };
    let mut raw = Hashing::new(stored);
    let (analysis, diff_id) = match compression {
        Compression::None => {
            let a = analyze_layer_stream(&mut raw, analyzers, opts).map_err(layer_err)?;
            (a, None)
        }
        Compression::Gzip | Compression::Zstd => {
            // The same inflaters as image files (ISA-L for gzip when built with it).
            let decoder =
                LayerDecoder::new(BufReader::with_capacity(INFLATE_BUF, &mut raw), compression)
                    .map_err(decompress_err)?;
            let mut diff = Hashing::new(decoder);
            let a = analyze_layer_stream(&mut diff, analyzers, opts).map_err(layer_err)?;
            (a, Some(diff.digest()))
        }
    };
    // Bytes after the end of the compressed stream still belong to the blob and its digest.
    io::copy(&mut raw, &mut io::sink()).map_err(|err| match transport_failure() {
        Some(msg) => DaemonError::Stream {
            image: image.to_owned(),
            err: io::Error::new(err.kind(), msg),
        },
        None => DaemonError::Stream {
            image: image.to_owned(),
            err,
        },
    })?;
    let digest = raw.digest();
    Ok(Blob {
        diff_id: diff_id.unwrap_or_else(|| digest.clone()),
        digest,
        size: raw.bytes,
        compression,
        analysis,
    })
}

// ---------------------------------------------------------------------------------------------
// Resolution: atalaia-artifact's resolver over the members kept from the stream

/// What a layer is in the stream store: the member it was found at (links followed) and the
/// index of its analysis.
#[derive(Debug, Clone)]
struct StreamBlob {
    member: String,
    index: usize,
}

/// A failure while resolving: the resolver's own, or one this store knows better.
enum Fail {
    Artifact(ArtifactError),
    Daemon(DaemonError),
}

impl From<ArtifactError> for Fail {
    fn from(err: ArtifactError) -> Self {
        Fail::Artifact(err)
    }
}

/// The members of a `docker save` stream kept in memory, as an [`ImageStore`]: documents are
/// the JSON members, layers the members analysed (and hashed) as they passed.
struct StreamStore<'a> {
    c: &'a Collected,
    path: PathBuf,
}

impl ImageStore for StreamStore<'_> {
    type Blob = StreamBlob;
    type Error = Fail;

    fn path(&self) -> &Path {
        &self.path
    }

    fn is_archive(&self) -> bool {
        true
    }

    fn contains(&self, name: &str) -> bool {
        self.c.doc(name).is_some()
    }

    fn document(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, Fail> {
        Ok(self.c.doc(name).map(Cow::Borrowed))
    }

    fn layer(&self, name: &str, what: &str, named_by: &str) -> Result<StreamBlob, Fail> {
        match self.c.locate(name) {
            Some((key, Member::Blob(i))) => Ok(StreamBlob {
                member: key.to_owned(),
                index: *i,
            }),
            Some((key, Member::Doc(_) | Member::Skipped)) => Err(Fail::Daemon(self.c.bad(
                format!("layer `{key}` named by {named_by} is not a tar, gzip or zstd stream"),
            ))),
            Some((_, Member::Link(_))) | None => Err(Fail::Daemon(DaemonError::MissingLayer {
                image: self.c.image.clone(),
                layer: what.to_owned(),
                named_by: named_by.to_owned(),
            })),
        }
    }

    fn blob_size(&self, blob: &StreamBlob) -> u64 {
        self.c.blob(blob.index).map_or(0, |b| b.size)
    }

    fn compression(&self, blob: &StreamBlob) -> Result<Compression, Fail> {
        Ok(self.c.blob(blob.index).map_err(Fail::Daemon)?.compression)
    }

    fn stored_digest(&self, blob: &StreamBlob) -> Result<Digest, Fail> {
        Ok(self
            .c
            .blob(blob.index)
            .map_err(Fail::Daemon)?
            .digest
            .clone())
    }

    /// The stream hashed every layer as it passed: its digest is checked here, with its size.
    fn check_layer(
        &self,
        _image: &str,
        blob: &StreamBlob,
        digest: &Digest,
        size: Option<u64>,
        named_by: &str,
    ) -> Result<(), Fail> {
        let b = self.c.blob(blob.index).map_err(Fail::Daemon)?;
        if &b.digest != digest {
            return Err(Fail::Daemon(DaemonError::DigestMismatch {
                image: self.c.image.clone(),
                what: format!("Layer `{}`", blob.member),
                expected: digest.clone(),
                actual: b.digest.clone(),
            }));
        }
        if let Some(expected) = size.filter(|s| *s != b.size) {
            return Err(Fail::Daemon(self.c.bad(format!(
                "layer `{digest}` is {} bytes but {named_by} says {expected}",
                b.size
            ))));
        }
        Ok(())
    }
}

/// The resolver's errors in this crate's terms (the stream has no path: `path` is the image).
fn from_artifact(image: &str, err: ArtifactError) -> DaemonError {
    let bad = |problem: String| DaemonError::BadArchive {
        image: image.to_owned(),
        problem,
    };
    match err {
        ArtifactError::BadJson { file, err, .. } => DaemonError::ArchiveJson {
            image: image.to_owned(),
            file,
            err,
        },
        ArtifactError::MissingBlob { file, blob, .. } => {
            bad(format!("it lacks `{blob}`, named by {file}"))
        }
        ArtifactError::BlobDigestMismatch {
            expected, actual, ..
        } => DaemonError::DigestMismatch {
            image: image.to_owned(),
            what: format!("Blob `{expected}`"),
            expected,
            actual,
        },
        ArtifactError::BlobSizeMismatch {
            digest,
            expected,
            actual,
            ..
        } => bad(format!(
            "blob `{digest}` is {actual} bytes but its descriptor says {expected}"
        )),
        ArtifactError::BadDocument { file, problem, .. } => bad(format!("{file}: {problem}")),
        ArtifactError::NotAnImage { .. } => {
            bad("it has neither `manifest.json` nor `index.json`".to_owned())
        }
        ArtifactError::UnsupportedMediaType {
            file, media_type, ..
        } => bad(format!(
            "{file} has the unsupported media type `{media_type}`"
        )),
        ArtifactError::Ambiguous { available, .. } => {
            bad(format!("it holds several images ({available}); name one"))
        }
        ArtifactError::NoMatchingImage {
            wanted, available, ..
        } => bad(format!(
            "it holds no image matching {wanted} (it has {available})"
        )),
        ArtifactError::NoMatchingPlatform {
            index,
            platform,
            available,
            ..
        } => bad(format!(
            "index `{index}` has no image for platform `{platform}` (it has {available})"
        )),
        other => bad(other.to_string()),
    }
}

impl Collected {
    fn bad(&self, problem: String) -> DaemonError {
        DaemonError::BadArchive {
            image: self.image.clone(),
            problem,
        }
    }

    /// The member `name`, links followed.
    fn locate(&self, name: &str) -> Option<(&str, &Member)> {
        let mut name = normalize_path(name)?;
        for _ in 0..MAX_LINK_HOPS {
            let (key, m) = self.members.get_key_value(name.as_str())?;
            match m {
                Member::Link(t) => name = t.clone(),
                other => return Some((key.as_str(), other)),
            }
        }
        None
    }

    fn doc(&self, name: &str) -> Option<&[u8]> {
        match self.locate(name) {
            Some((_, Member::Doc(b))) => Some(b),
            _ => None,
        }
    }

    fn blob(&self, i: usize) -> Result<&Blob, DaemonError> {
        self.blobs
            .get(i)
            .and_then(Option::as_ref)
            .ok_or_else(|| self.bad(format!("internal: layer blob {i} is gone")))
    }
}

/// Chooses the image with atalaia-artifact's resolver, checks each layer's diff ID against what
/// its bytes hashed to, and orders the analyses as the layers.
fn resolve(mut c: Collected, selector: &ImageSelector) -> Result<StreamedImage, DaemonError> {
    let store = StreamStore {
        c: &c,
        path: PathBuf::from(&c.image),
    };
    let resolved = match resolve_image(&store, &c.image, selector) {
        Ok(r) => r,
        Err(Fail::Daemon(e)) => return Err(e),
        Err(Fail::Artifact(e)) => return Err(from_artifact(&c.image, e)),
    };
    for (i, l) in resolved.layers.iter().enumerate() {
        let b = c.blob(l.blob.index)?;
        if b.diff_id != l.info.diff_id {
            return Err(DaemonError::DigestMismatch {
                image: c.image.clone(),
                what: format!("The diff ID of layer {} (`{}`)", i + 1, l.blob.member),
                expected: l.info.diff_id.clone(),
                actual: b.diff_id.clone(),
            });
        }
    }
    let metadata = resolved.metadata();
    // How often each blob is used: a blob used once is moved out, others cloned.
    let mut uses: HashMap<usize, usize> = HashMap::new();
    for l in &resolved.layers {
        *uses.entry(l.blob.index).or_default() += 1;
    }
    let mut analyses = Vec::with_capacity(resolved.layers.len());
    for l in &resolved.layers {
        let left = uses.entry(l.blob.index).or_default();
        *left -= 1;
        let analysis = if *left == 0 {
            c.blobs[l.blob.index].take().map(|b| b.analysis)
        } else {
            c.blobs[l.blob.index].as_ref().map(|b| b.analysis.clone())
        };
        analyses.push(
            analysis
                .ok_or_else(|| c.bad(format!("internal: layer `{}` is gone", l.blob.member)))?,
        );
    }
    c.stats.layers_dropped = c.blobs.iter().filter(|b| b.is_some()).count() as u64;
    Ok(StreamedImage {
        metadata,
        layers: analyses,
        stats: c.stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_headers_are_recognised() {
        let mut h = tar::Header::new_gnu();
        h.set_path("etc/os-release").unwrap();
        h.set_size(3);
        h.set_cksum();
        assert!(is_tar_header(h.as_bytes()));
        let mut broken = h.as_bytes().to_vec();
        broken[0] ^= 1;
        assert!(!is_tar_header(&broken));
        assert!(is_tar_header(&[0u8; 512]));
        assert!(!is_tar_header(b"{\"schemaVersion\":2}"));
        let mut json = br#"{"architecture":"amd64"}"#.to_vec();
        json.resize(600, b' ');
        assert!(!is_tar_header(&json));
    }

    #[test]
    fn digests_from_names() {
        let hex = "a".repeat(64);
        assert_eq!(
            named_digest(&format!("blobs/sha256/{hex}")).unwrap().hex(),
            hex
        );
        assert_eq!(named_digest(&format!("{hex}.tar")).unwrap().hex(), hex);
        assert!(named_digest(&format!("x/{hex}.tar")).is_none());
        assert!(named_digest("abc/layer.tar").is_none());
        assert!(named_digest(&format!("blobs/sha256/{}", "A".repeat(64))).is_none());
    }

    /// The shared resolver's errors keep the meaning this crate gave them before it used it.
    #[test]
    fn resolver_errors_map_to_daemon_errors() {
        let d: Digest = format!("sha256:{}", "a".repeat(64)).parse().unwrap();
        let e: Digest = format!("sha256:{}", "b".repeat(64)).parse().unwrap();
        let path = PathBuf::from("img");
        let err = from_artifact(
            "img",
            ArtifactError::MissingBlob {
                path: path.clone(),
                file: "manifest.json".into(),
                blob: "x.json".into(),
            },
        );
        assert!(
            matches!(&err, DaemonError::BadArchive { problem, .. } if problem.contains("lacks `x.json`")),
            "{err}"
        );
        let err = from_artifact(
            "img",
            ArtifactError::BlobDigestMismatch {
                image: "img".into(),
                expected: d.clone(),
                actual: e.clone(),
            },
        );
        assert!(
            matches!(&err, DaemonError::DigestMismatch { expected, actual, .. } if *expected == d && *actual == e),
            "{err}"
        );
        let err = from_artifact("img", ArtifactError::NotAnImage { path: path.clone() });
        assert!(
            err.to_string()
                .contains("neither `manifest.json` nor `index.json`"),
            "{err}"
        );
        let json = serde_json::from_slice::<serde_json::Value>(b"{").unwrap_err();
        let err = from_artifact(
            "img",
            ArtifactError::BadJson {
                path,
                file: "index.json".into(),
                err: json,
            },
        );
        assert!(
            matches!(&err, DaemonError::ArchiveJson { file, .. } if file == "index.json"),
            "{err}"
        );
    }

    #[test]
    fn member_names() {
        assert!(is_doc_name("manifest.json"));
        assert!(is_doc_name("2a05.json"));
        assert!(!is_doc_name("abc/json"));
        assert!(is_legacy_metadata("abc/json"));
        assert!(is_legacy_metadata("abc/VERSION"));
        assert!(!is_legacy_metadata("abc/layer.tar"));
        assert!(!is_legacy_metadata("blobs/sha256/json"));
    }
}
