//! Analysing a `docker save` stream as it arrives, without writing it anywhere.
//!
//! ```text
//! outer tar, read once in order
//!   ├─ small JSON members (manifest.json, index.json, oci-layout, repositories, <id>.json,
//!   │  JSON blobs) ─────────────────────────────────────────► kept in memory (bounded)
//!   ├─ layer members (<id>/layer.tar, <diff>.tar, blobs/sha256/<hex>; tar, gzip or zstd by
//!   │  magic bytes) ─► sha256(stored) ─► decompress ─► sha256(diff) ─► analyzers ─► LayerAnalysis
//!   └─ symlinks / hard links between members ──────────────► remembered, resolved at the end
//! end of the archive: manifest → config → layers in diff-ID order (blobs the manifest does not
//! name are dropped; a named layer never seen is an error) → the same ArtifactMetadata that
//! atalaia-artifact gives for the same tarball on disk.
//! ```
//!
//! Layers usually come before the manifest in the stream (Docker writes members in name order),
//! so every member that looks like a layer is analysed when it passes, and matched to the
//! manifest once the manifest is known.

use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::sync::Arc;

use atalaia_analyze::{
    analyze_layer_stream, build_inventory, collect_secrets, layer_cache_key, Analysis,
    AnalyzeOptions, Analyzer, LayerAnalysis,
};
use atalaia_artifact::{normalize_path, ArtifactError, Compression, ImageSelector};
use atalaia_types::{ArtifactMetadata, Digest, LayerInfo};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::DaemonError;

/// A JSON member larger than this is refused.
const MAX_DOC_BYTES: u64 = 64 << 20;
/// All JSON members together may not exceed this.
const MAX_DOCS_TOTAL: u64 = 256 << 20;
/// Symlink hops followed between members.
const MAX_LINK_HOPS: usize = 16;
/// Image indexes nested deeper than this are refused.
const MAX_INDEX_DEPTH: usize = 4;
/// Buffer in front of a gzip decoder.
const INFLATE_BUF: usize = 256 << 10;

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME: &str = "io.containerd.image.name";
const DEFAULT_PLATFORM: &str = "linux/amd64";

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
        problem: format!("layer `{name}`: the zstd decoder could not start: {err}"),
    };
    let mut raw = Hashing::new(stored);
    let (analysis, diff_id) = match compression {
        Compression::None => {
            let a = analyze_layer_stream(&mut raw, analyzers, opts).map_err(layer_err)?;
            (a, None)
        }
        Compression::Gzip => {
            let decoder = flate2::bufread::MultiGzDecoder::new(BufReader::with_capacity(
                INFLATE_BUF,
                &mut raw,
            ));
            let mut diff = Hashing::new(decoder);
            let a = analyze_layer_stream(&mut diff, analyzers, opts).map_err(layer_err)?;
            (a, Some(diff.digest()))
        }
        Compression::Zstd => {
            let decoder = zstd::stream::read::Decoder::new(&mut raw).map_err(decompress_err)?;
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
// Documents (the same shapes atalaia-artifact reads)

#[derive(Debug, Clone, Deserialize)]
struct Descriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: String,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    annotations: Option<HashMap<String, String>>,
    #[serde(default)]
    platform: Option<Platform>,
}

impl Descriptor {
    fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.as_ref()?.get(key).map(String::as_str)
    }

    fn describe(&self) -> String {
        let mut s = match self
            .annotation(REF_NAME)
            .or(self.annotation(CONTAINERD_NAME))
        {
            Some(r) => format!("`{r}` (`{}`)", self.digest),
            None => format!("`{}`", self.digest),
        };
        if let Some(p) = &self.platform {
            s.push(' ');
            s.push_str(&p.describe());
        }
        s
    }

    fn is_index(&self) -> bool {
        self.media_type == OCI_INDEX || self.media_type == DOCKER_LIST
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Platform {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
}

impl Platform {
    fn describe(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{}/{v}", self.os, self.architecture),
            None => format!("{}/{}", self.os, self.architecture),
        }
    }
}

#[derive(Debug, Deserialize)]
struct AnyManifest {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    #[serde(rename = "schemaVersion", default)]
    schema_version: Option<u64>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    #[serde(default)]
    layers: Vec<String>,
}

#[derive(Deserialize)]
struct HistoryLine {
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    empty_layer: bool,
}

fn is_layer_media_type(mt: &str) -> bool {
    matches!(
        mt,
        "application/vnd.oci.image.layer.v1.tar"
            | "application/vnd.oci.image.layer.v1.tar+gzip"
            | "application/vnd.oci.image.layer.v1.tar+zstd"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
            | "application/vnd.docker.image.rootfs.diff.tar"
            | "application/vnd.docker.image.rootfs.diff.tar.gzip"
            | "application/vnd.docker.image.rootfs.diff.tar.zstd"
            | "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    )
}

/// `sha256:HEX`, or a bare 64-digit hex taken as SHA-256.
fn parse_digest(value: &str) -> Option<Digest> {
    let full = if value.len() == 64 && !value.contains(':') {
        format!("sha256:{value}")
    } else {
        value.to_owned()
    };
    full.parse::<Digest>()
        .ok()
        .filter(|d| d.algorithm() == "sha256")
}

fn normalize_arch(arch: &str) -> &str {
    match arch {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// `os/arch[/variant]`.
struct WantedPlatform {
    os: String,
    arch: String,
    variant: Option<String>,
}

impl WantedPlatform {
    fn parse(value: &str) -> Option<WantedPlatform> {
        let mut parts = value.split('/');
        let os = parts.next().filter(|s| !s.is_empty())?;
        let arch = parts.next().filter(|s| !s.is_empty())?;
        let variant = parts.next().map(str::to_owned);
        if parts.next().is_some() || variant.as_deref() == Some("") {
            return None;
        }
        Some(WantedPlatform {
            os: os.to_owned(),
            arch: normalize_arch(arch).to_owned(),
            variant,
        })
    }

    fn matches(&self, p: &Platform) -> bool {
        if p.os != self.os || normalize_arch(&p.architecture) != self.arch {
            return false;
        }
        match (&self.variant, &p.variant) {
            (None, _) => true,
            (Some(w), Some(v)) => w == v,
            (Some(w), None) => self.arch == "arm64" && w == "v8",
        }
    }

    fn describe(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{}/{v}", self.os, self.arch),
            None => format!("{}/{}", self.os, self.arch),
        }
    }
}

/// Docker reference normalisation, for matching `alpine:3.20` with `docker.io/library/alpine:3.20`.
fn normalize_docker_ref(r: &str) -> String {
    let (name, suffix) = match r.find('@') {
        Some(i) => (&r[..i], r[i..].to_owned()),
        None => {
            let last = r.rsplit('/').next().unwrap_or(r);
            if last.contains(':') {
                let i = r.rfind(':').unwrap_or(r.len());
                (&r[..i], r[i..].to_owned())
            } else {
                (r, ":latest".to_owned())
            }
        }
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name.to_owned()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{suffix}")
}

fn ref_eq(candidate: &str, wanted: &str) -> bool {
    candidate == wanted || normalize_docker_ref(candidate) == normalize_docker_ref(wanted)
}

fn list(descs: &[Descriptor]) -> String {
    if descs.is_empty() {
        return "none".to_owned();
    }
    descs
        .iter()
        .map(Descriptor::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Resolution

/// A layer of the chosen image, before the config's diff IDs are matched to it.
struct PendingLayer {
    blob: usize,
    /// The layer digest as image.rs gives it.
    digest: Digest,
    /// The member it came from, for messages.
    member: String,
}

struct Names {
    repo_tags: Vec<String>,
    repo_digests: Vec<String>,
    manifest_digest: Option<Digest>,
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

    fn doc_required(&self, name: &str, named_by: &str) -> Result<&[u8], DaemonError> {
        self.doc(name)
            .ok_or_else(|| self.bad(format!("it lacks `{name}`, named by {named_by}")))
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        file: &str,
        bytes: &[u8],
    ) -> Result<T, DaemonError> {
        serde_json::from_slice(bytes).map_err(|err| DaemonError::ArchiveJson {
            image: self.image.clone(),
            file: file.to_owned(),
            err,
        })
    }

    fn descriptor_digest(&self, file: &str, d: &Descriptor) -> Result<Digest, DaemonError> {
        match d.digest.parse::<Digest>() {
            Ok(g) if g.algorithm() == "sha256" => Ok(g),
            Ok(_) => Err(self.bad(format!(
                "{file}: digest `{}` uses an unsupported algorithm (only sha256 is supported)",
                d.digest
            ))),
            Err(_) => Err(self.bad(format!("{file}: `{}` is not a valid digest", d.digest))),
        }
    }

    /// A JSON blob by digest, its digest and size checked.
    fn blob_doc(
        &self,
        d: &Digest,
        size: Option<u64>,
        named_by: &str,
    ) -> Result<&[u8], DaemonError> {
        let name = format!("blobs/{}/{}", d.algorithm(), d.hex());
        let bytes = self.doc_required(&name, named_by)?;
        let actual = Digest::sha256_from_bytes(&Sha256::digest(bytes));
        if &actual != d {
            return Err(DaemonError::DigestMismatch {
                image: self.image.clone(),
                what: format!("Blob `{name}`"),
                expected: d.clone(),
                actual,
            });
        }
        if let Some(expected) = size.filter(|s| *s != bytes.len() as u64) {
            return Err(self.bad(format!(
                "blob `{d}` is {} bytes but {named_by} says {expected}",
                bytes.len()
            )));
        }
        Ok(bytes)
    }

    /// The analysed layer at member `name`.
    fn layer_member(&self, name: &str, named_by: &str) -> Result<(String, usize), DaemonError> {
        match self.locate(name) {
            Some((key, Member::Blob(i))) => Ok((key.to_owned(), *i)),
            Some((key, Member::Doc(_) | Member::Skipped)) => Err(self.bad(format!(
                "layer `{key}` named by {named_by} is not a tar, gzip or zstd stream"
            ))),
            Some((_, Member::Link(_))) | None => Err(DaemonError::MissingLayer {
                image: self.image.clone(),
                layer: name.to_owned(),
                named_by: named_by.to_owned(),
            }),
        }
    }

    fn blob(&self, i: usize) -> Result<&Blob, DaemonError> {
        self.blobs
            .get(i)
            .and_then(Option::as_ref)
            .ok_or_else(|| self.bad(format!("internal: layer blob {i} is gone")))
    }
}

fn resolve(c: Collected, selector: &ImageSelector) -> Result<StreamedImage, DaemonError> {
    let platform_text = selector.platform.as_deref().unwrap_or(DEFAULT_PLATFORM);
    let platform = WantedPlatform::parse(platform_text).ok_or_else(|| {
        c.bad(format!(
            "`{platform_text}` is not a platform (`os/arch[/variant]`)"
        ))
    })?;
    let (config_id, config_bytes, layers, names) = if c.doc("index.json").is_some() {
        resolve_oci(&c, selector, &platform)?
    } else if c.doc("manifest.json").is_some() {
        resolve_docker(&c, selector)?
    } else {
        return Err(c.bad("it has neither `manifest.json` nor `index.json`".to_owned()));
    };
    build(c, config_id, &config_bytes, layers, names)
}

fn resolve_docker(
    c: &Collected,
    selector: &ImageSelector,
) -> Result<(Digest, Vec<u8>, Vec<PendingLayer>, Names), DaemonError> {
    let entries: Vec<DockerEntry> = c.json(
        "manifest.json",
        c.doc_required("manifest.json", "the archive")?,
    )?;
    let describe = |e: &DockerEntry| match e.repo_tags.as_deref() {
        Some([first, ..]) => format!("`{first}`"),
        _ => format!("`{}`", e.config),
    };
    let available = || {
        if entries.is_empty() {
            "none".to_owned()
        } else {
            entries.iter().map(describe).collect::<Vec<_>>().join(", ")
        }
    };
    let config_of = |e: &DockerEntry| -> Result<(Digest, Vec<u8>), DaemonError> {
        let bytes = c.doc_required(&e.config, "manifest.json")?;
        Ok((
            Digest::sha256_from_bytes(&Sha256::digest(bytes)),
            bytes.to_vec(),
        ))
    };
    let (entry, image_id, config_bytes) = if let Some(d) = &selector.digest {
        let mut found = None;
        for e in &entries {
            let (id, bytes) = config_of(e)?;
            if &id == d {
                found = Some((e, id, bytes));
                break;
            }
        }
        found.ok_or_else(|| {
            c.bad(format!(
                "it holds no image with ID `{d}` (it has {})",
                available()
            ))
        })?
    } else if let Some(r) = &selector.reference {
        let e = entries
            .iter()
            .find(|e| e.repo_tags.iter().flatten().any(|t| ref_eq(t, r)))
            .ok_or_else(|| c.bad(format!("it holds no image `{r}` (it has {})", available())))?;
        let (id, bytes) = config_of(e)?;
        (e, id, bytes)
    } else {
        match entries.as_slice() {
            [e] => {
                let (id, bytes) = config_of(e)?;
                (e, id, bytes)
            }
            [] => return Err(c.bad("its `manifest.json` lists no images".to_owned())),
            _ => {
                return Err(c.bad(format!(
                    "it holds several images ({}); name one",
                    available()
                )))
            }
        }
    };
    // A config named by its digest must hash to it.
    let stem = entry
        .config
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".json");
    if let Some(named) = parse_digest(stem) {
        if named != image_id {
            return Err(DaemonError::DigestMismatch {
                image: c.image.clone(),
                what: format!("Config `{}`", entry.config),
                expected: named,
                actual: image_id,
            });
        }
    }
    let config: serde_json::Value = c.json(&entry.config, &config_bytes)?;
    let diff_ids: Vec<Option<Digest>> = config
        .pointer("/rootfs/diff_ids")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().and_then(parse_digest))
                .collect()
        })
        .unwrap_or_default();
    let mut layers = Vec::with_capacity(entry.layers.len());
    for (i, name) in entry.layers.iter().enumerate() {
        let (member, blob) = c.layer_member(name, "manifest.json")?;
        let b = c.blob(blob)?;
        // As atalaia-artifact: an uncompressed layer's digest is its diff ID, a compressed
        // one's the SHA-256 of the stored file (the same bytes, once the diff ID is verified).
        let digest = match (b.compression, diff_ids.get(i).cloned().flatten()) {
            (Compression::None, Some(d)) => d,
            _ => b.digest.clone(),
        };
        layers.push(PendingLayer {
            blob,
            digest,
            member,
        });
    }
    let names = Names {
        repo_tags: entry.repo_tags.clone().unwrap_or_default(),
        repo_digests: Vec::new(),
        manifest_digest: None,
    };
    Ok((image_id, config_bytes, layers, names))
}

/// Looks for a manifest digest inside nested indexes.
fn find_nested(
    c: &Collected,
    descs: &[Descriptor],
    wanted: &Digest,
    depth: usize,
) -> Result<Option<Descriptor>, DaemonError> {
    if depth >= MAX_INDEX_DEPTH {
        return Ok(None);
    }
    for d in descs.iter().filter(|d| d.is_index()) {
        let Ok(digest) = c.descriptor_digest("index.json", d) else {
            continue;
        };
        let file = format!("index `{}`", d.digest);
        let bytes = c.blob_doc(&digest, d.size, &file)?;
        let inner: AnyManifest = c.json(&file, bytes)?;
        let children = inner.manifests.unwrap_or_default();
        if let Some(m) = children.iter().find(|m| m.digest == wanted.as_str()) {
            return Ok(Some(m.clone()));
        }
        if let Some(m) = find_nested(c, &children, wanted, depth + 1)? {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

/// Follows indexes down to one image manifest, choosing by platform.
fn resolve_manifest(
    c: &Collected,
    platform: &WantedPlatform,
    desc: Descriptor,
    depth: usize,
) -> Result<(Digest, AnyManifest), DaemonError> {
    let file = format!("manifest `{}`", desc.digest);
    if depth > MAX_INDEX_DEPTH {
        return Err(c.bad(format!(
            "{file}: image indexes are nested more than {MAX_INDEX_DEPTH} deep"
        )));
    }
    let digest = c.descriptor_digest("index.json", &desc)?;
    let bytes = c.blob_doc(&digest, desc.size, &file)?;
    let m: AnyManifest = c.json(&file, bytes)?;
    let is_index = m.media_type == OCI_INDEX
        || m.media_type == DOCKER_LIST
        || (m.manifests.is_some() && m.config.is_none());
    if is_index {
        let children = m.manifests.unwrap_or_default();
        let pick = children
            .iter()
            .find(|ch| ch.platform.as_ref().is_some_and(|p| platform.matches(p)))
            .or_else(|| match children.as_slice() {
                [only] if only.platform.is_none() => Some(only),
                _ => None,
            });
        return match pick {
            Some(ch) => resolve_manifest(c, platform, ch.clone(), depth + 1),
            None => Err(c.bad(format!(
                "index `{}` has no image for platform `{}` (it has {})",
                desc.digest,
                platform.describe(),
                {
                    let ps: Vec<String> = children
                        .iter()
                        .map(|ch| {
                            ch.platform
                                .as_ref()
                                .map_or_else(|| "unknown".to_owned(), Platform::describe)
                        })
                        .collect();
                    if ps.is_empty() {
                        "none".to_owned()
                    } else {
                        ps.join(", ")
                    }
                }
            ))),
        };
    }
    let known =
        m.media_type.is_empty() || m.media_type == OCI_MANIFEST || m.media_type == DOCKER_MANIFEST;
    if !known || m.schema_version == Some(1) || m.config.is_none() {
        return Err(c.bad(format!(
            "{file} has the unsupported media type `{}`",
            if m.media_type.is_empty() {
                "(none)"
            } else {
                &m.media_type
            }
        )));
    }
    Ok((digest, m))
}

fn resolve_oci(
    c: &Collected,
    selector: &ImageSelector,
    platform: &WantedPlatform,
) -> Result<(Digest, Vec<u8>, Vec<PendingLayer>, Names), DaemonError> {
    let index: AnyManifest = c.json("index.json", c.doc_required("index.json", "the archive")?)?;
    let top = index.manifests.unwrap_or_default();
    let chosen = if let Some(d) = &selector.digest {
        match top.iter().find(|m| m.digest == d.as_str()) {
            Some(m) => m.clone(),
            None => find_nested(c, &top, d, 0)?.ok_or_else(|| {
                c.bad(format!(
                    "it holds no manifest `{d}` (it has {})",
                    list(&top)
                ))
            })?,
        }
    } else {
        let candidates: Vec<&Descriptor> = match &selector.reference {
            Some(r) => top
                .iter()
                .filter(|m| {
                    m.annotation(REF_NAME) == Some(r.as_str())
                        || m.annotation(CONTAINERD_NAME).is_some_and(|n| ref_eq(n, r))
                })
                .collect(),
            None => top.iter().collect(),
        };
        match candidates.as_slice() {
            [] => {
                return Err(match &selector.reference {
                    Some(r) => c.bad(format!("it holds no image `{r}` (it has {})", list(&top))),
                    None => c.bad("its `index.json` lists no manifests".to_owned()),
                })
            }
            [one] => (*one).clone(),
            many => {
                let fit: Vec<&&Descriptor> = many
                    .iter()
                    .filter(|m| m.platform.as_ref().is_some_and(|p| platform.matches(p)))
                    .collect();
                match fit.as_slice() {
                    [one] => (**one).clone(),
                    _ => {
                        return Err(c.bad(format!(
                            "it holds several images ({}); name one",
                            list(&top)
                        )))
                    }
                }
            }
        }
    };
    let (manifest_digest, manifest) = resolve_manifest(c, platform, chosen.clone(), 0)?;
    let mut repo_tags = Vec::new();
    // Docker 25+ writes both layouts; its manifest.json carries the tags.
    if let Some(bytes) = c.doc("manifest.json") {
        if let Ok(entries) = serde_json::from_slice::<Vec<DockerEntry>>(bytes) {
            if let Some(cfg) = &manifest.config {
                let cfg_name = match cfg.digest.split_once(':') {
                    Some((alg, hex)) => format!("blobs/{alg}/{hex}"),
                    None => cfg.digest.clone(),
                };
                for e in entries {
                    if normalize_path(&e.config).as_deref() == Some(cfg_name.as_str()) {
                        repo_tags.extend(e.repo_tags.unwrap_or_default());
                    }
                }
            }
        }
    }
    if repo_tags.is_empty() {
        if let Some(n) = chosen
            .annotation(CONTAINERD_NAME)
            .or(chosen.annotation(REF_NAME))
        {
            repo_tags.push(n.to_owned());
        }
    }
    let repo_digests = chosen
        .annotation(CONTAINERD_NAME)
        .map(|n| {
            let repo = n.split('@').next().unwrap_or(n);
            let repo = match repo.rfind(':') {
                Some(i) if !repo[i..].contains('/') => &repo[..i],
                _ => repo,
            };
            format!("{repo}@{manifest_digest}")
        })
        .into_iter()
        .collect();
    let manifest_file = format!("manifest `{manifest_digest}`");
    let config = manifest
        .config
        .as_ref()
        .ok_or_else(|| c.bad(format!("{manifest_file} has no `config`")))?;
    if !(config.media_type.is_empty()
        || config.media_type == OCI_CONFIG
        || config.media_type == DOCKER_CONFIG)
    {
        return Err(c.bad(format!(
            "config `{}` has the unsupported media type `{}`",
            config.digest, config.media_type
        )));
    }
    let config_digest = c.descriptor_digest(&manifest_file, config)?;
    let config_bytes = c
        .blob_doc(&config_digest, config.size, &manifest_file)?
        .to_vec();
    let mut layers = Vec::new();
    for l in manifest.layers.as_deref().unwrap_or_default() {
        if !is_layer_media_type(&l.media_type) {
            return Err(c.bad(format!(
                "layer `{}` has the unsupported media type `{}`",
                l.digest, l.media_type
            )));
        }
        let digest = c.descriptor_digest(&manifest_file, l)?;
        let name = format!("blobs/{}/{}", digest.algorithm(), digest.hex());
        let (member, blob) = match c.layer_member(&name, &manifest_file) {
            Err(DaemonError::MissingLayer { .. }) => {
                return Err(DaemonError::MissingLayer {
                    image: c.image.clone(),
                    layer: digest.to_string(),
                    named_by: manifest_file,
                })
            }
            other => other?,
        };
        let b = c.blob(blob)?;
        if b.digest != digest {
            return Err(DaemonError::DigestMismatch {
                image: c.image.clone(),
                what: format!("Layer `{member}`"),
                expected: digest,
                actual: b.digest.clone(),
            });
        }
        if let Some(expected) = l.size.filter(|s| *s != b.size) {
            return Err(c.bad(format!(
                "layer `{digest}` is {} bytes but {manifest_file} says {expected}",
                b.size
            )));
        }
        layers.push(PendingLayer {
            blob,
            digest,
            member,
        });
    }
    let names = Names {
        repo_tags,
        repo_digests,
        manifest_digest: Some(manifest_digest),
    };
    Ok((config_digest, config_bytes, layers, names))
}

/// Builds the metadata and orders the analyses, as atalaia-artifact's `build` does.
fn build(
    mut c: Collected,
    image_id: Digest,
    config_bytes: &[u8],
    layers: Vec<PendingLayer>,
    names: Names,
) -> Result<StreamedImage, DaemonError> {
    let config_file = format!("config `{image_id}`");
    let config: serde_json::Value = c.json(&config_file, config_bytes)?;
    let diff_ids: Vec<Digest> = match config.pointer("/rootfs/diff_ids") {
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().and_then(parse_digest).ok_or_else(|| {
                    c.bad(format!(
                        "{config_file}: `rootfs.diff_ids` holds `{v}`, not a sha256 digest"
                    ))
                })
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(c.bad(format!("{config_file} has no `rootfs.diff_ids` list"))),
    };
    if diff_ids.len() != layers.len() {
        return Err(c.bad(format!(
            "{config_file} lists {} diff IDs for {} layers",
            diff_ids.len(),
            layers.len()
        )));
    }
    let history: Vec<HistoryLine> = match config.get("history") {
        Some(h) => serde_json::from_value(h.clone()).map_err(|err| DaemonError::ArchiveJson {
            image: c.image.clone(),
            file: config_file.clone(),
            err,
        })?,
        None => Vec::new(),
    };
    let mut created = history
        .into_iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.created_by);
    // How often each blob is used: a blob used once is moved out, others cloned.
    let mut uses: HashMap<usize, usize> = HashMap::new();
    for l in &layers {
        *uses.entry(l.blob).or_default() += 1;
    }
    let mut infos = Vec::with_capacity(layers.len());
    let mut analyses = Vec::with_capacity(layers.len());
    for (i, (l, diff_id)) in layers.into_iter().zip(&diff_ids).enumerate() {
        let b = c.blob(l.blob)?;
        if &b.diff_id != diff_id {
            return Err(DaemonError::DigestMismatch {
                image: c.image.clone(),
                what: format!("The diff ID of layer {} (`{}`)", i + 1, l.member),
                expected: diff_id.clone(),
                actual: b.diff_id.clone(),
            });
        }
        infos.push(LayerInfo {
            size: b.size,
            digest: l.digest,
            diff_id: diff_id.clone(),
            created_by: created.next().flatten(),
        });
        let left = uses.entry(l.blob).or_default();
        *left -= 1;
        let analysis = if *left == 0 {
            c.blobs[l.blob].take().map(|b| b.analysis)
        } else {
            Some(b.analysis.clone())
        };
        analyses.push(
            analysis.ok_or_else(|| c.bad(format!("internal: layer `{}` is gone", l.member)))?,
        );
    }
    c.stats.layers_dropped = c.blobs.iter().filter(|b| b.is_some()).count() as u64;
    let metadata = ArtifactMetadata {
        size: infos.iter().map(|l| l.size).sum(),
        image_id: Some(image_id),
        diff_ids,
        repo_tags: names.repo_tags,
        repo_digests: names.repo_digests,
        manifest_digest: names.manifest_digest,
        image_config: config,
        layers: infos,
    };
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

    #[test]
    fn refs_normalise() {
        assert!(ref_eq(
            "docker.io/corpus/alpine-3.20.3:latest",
            "corpus/alpine-3.20.3"
        ));
        assert!(!ref_eq("docker.io/corpus/a:latest", "a"));
        assert_eq!(
            normalize_docker_ref("alpine"),
            "docker.io/library/alpine:latest"
        );
    }
}
