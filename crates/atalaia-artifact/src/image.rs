//! Opening images: `docker save` tarballs (legacy `manifest.json` layout, or an OCI layout inside
//! the tarball) and OCI image layout directories.
//!
//! A tarball is indexed once (member name → offset and size, symlinks and hard links resolved
//! inside the tarball); its blobs are then read in place by seeking, never extracted. Every JSON
//! document read from a blob is checked against its digest; layer blobs are checked as they are
//! streamed (see [`crate::layer`]).
//!
//! Layer digests of legacy `docker save` tarballs: the manifest gives no blob digests, so a layer's
//! `digest` is the SHA-256 of the layer file as stored. For the usual uncompressed layer this is
//! exactly its diff ID (no extra pass is needed; it is verified while streaming); for a compressed
//! one the file is hashed once when the image is opened.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use atalaia_types::{ArtifactMetadata, Digest, LayerInfo};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::error::Compression;
use crate::layer::{sniff, BlobLocation, LayerSource};
use crate::path::normalize;
use crate::{ArtifactError, ImageSelector, ImageSource, Layer};

/// Index, manifest and config documents larger than this are refused.
const MAX_DOC_BYTES: u64 = 64 << 20;
/// Image indexes nested deeper than this are refused.
const MAX_INDEX_DEPTH: usize = 4;
/// Symlink hops followed inside a tarball.
const MAX_LINK_HOPS: usize = 16;
/// Members of an image tarball (images have a few per layer; this bounds the index's memory).
const MAX_TAR_MEMBERS: usize = 1_000_000;

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME: &str = "io.containerd.image.name";
const DEFAULT_PLATFORM: &str = "linux/amd64";

/// Whether a layer media type is one this reader handles (plain, gzip or zstd tar).
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

// ---------------------------------------------------------------------------------------------
// Input parsing

/// Splits `PATH`, `PATH:REF` or `PATH@DIGEST`. The whole string wins when it exists as a path.
fn split_input(input: &str) -> Result<(PathBuf, Option<String>, Option<String>), ArtifactError> {
    if Path::new(input).exists() {
        return Ok((PathBuf::from(input), None, None));
    }
    if let Some((p, d)) = input.rsplit_once('@') {
        if !p.is_empty() && Path::new(p).exists() {
            return Ok((PathBuf::from(p), None, Some(d.to_owned())));
        }
    }
    // The reference may itself hold `:` (`docker.io/library/alpine:3.20`): the longest prefix
    // that exists is the path.
    for (i, _) in input.rmatch_indices(':') {
        let (p, r) = (&input[..i], &input[i + 1..]);
        if !p.is_empty() && !r.is_empty() && Path::new(p).exists() {
            return Ok((PathBuf::from(p), Some(r.to_owned()), None));
        }
    }
    Err(ArtifactError::NotFound {
        input: input.to_owned(),
    })
}

/// Parses `sha256:HEX` (or a bare 64-digit hex, taken as SHA-256).
pub(crate) fn parse_digest(value: &str) -> Result<Digest, ArtifactError> {
    let full = if value.len() == 64 && !value.contains(':') {
        format!("sha256:{value}")
    } else {
        value.to_owned()
    };
    match full.parse::<Digest>() {
        Ok(d) if d.algorithm() == "sha256" => Ok(d),
        _ => Err(ArtifactError::BadDigest {
            value: value.to_owned(),
        }),
    }
}

/// `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WantedPlatform {
    os: String,
    arch: String,
    variant: Option<String>,
}

fn normalize_arch(arch: &str) -> &str {
    match arch {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

impl WantedPlatform {
    fn parse(value: &str) -> Result<WantedPlatform, ArtifactError> {
        let bad = || ArtifactError::BadPlatform {
            value: value.to_owned(),
        };
        let mut parts = value.split('/');
        let os = parts.next().filter(|s| !s.is_empty()).ok_or_else(bad)?;
        let arch = parts.next().filter(|s| !s.is_empty()).ok_or_else(bad)?;
        let variant = parts.next().map(str::to_owned);
        if parts.next().is_some() || variant.as_deref() == Some("") {
            return Err(bad());
        }
        Ok(WantedPlatform {
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
            // `linux/arm64/v8` matches an arm64 manifest that names no variant.
            (Some(w), None) => self.arch == "arm64" && w == "v8",
        }
    }
}

impl std::fmt::Display for WantedPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
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

// ---------------------------------------------------------------------------------------------
// Stores: a directory or an indexed tarball

struct Member {
    offset: u64,
    size: u64,
    /// Normalised target of a symlink or hard link.
    link: Option<String>,
}

enum Store {
    Dir(PathBuf),
    Tar {
        path: Arc<PathBuf>,
        members: HashMap<String, Member>,
    },
}

fn blob_name(d: &Digest) -> String {
    format!("blobs/{}/{}", d.algorithm(), d.hex())
}

impl Store {
    fn open(path: &Path) -> Result<Store, ArtifactError> {
        let io_err = |err| ArtifactError::Io {
            path: path.to_owned(),
            err,
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if meta.is_dir() {
            return Ok(Store::Dir(path.to_owned()));
        }
        let mut file = File::open(path).map_err(io_err)?;
        let mut head = [0u8; 4];
        let n = read_up_to(&mut file, &mut head).map_err(io_err)?;
        if sniff(&head[..n]) != Compression::None {
            return Err(ArtifactError::NotATar {
                path: path.to_owned(),
                err: io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the file is compressed; decompress it first",
                ),
            });
        }
        let file = File::open(path).map_err(io_err)?;
        let not_tar = |err| ArtifactError::NotATar {
            path: path.to_owned(),
            err,
        };
        let mut archive = tar::Archive::new(BufReader::with_capacity(64 * 1024, file));
        let mut members = HashMap::new();
        for entry in archive.entries_with_seek().map_err(not_tar)? {
            let entry = entry.map_err(not_tar)?;
            let Some(name) = normalize(&String::from_utf8_lossy(&entry.path_bytes())) else {
                continue;
            };
            let ty = entry.header().entry_type();
            let link = if ty.is_symlink() || ty.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                let resolved = if ty.is_hard_link() || target.starts_with('/') {
                    normalize(&target)
                } else {
                    let parent = name.rsplit_once('/').map_or("", |(p, _)| p);
                    normalize(&format!("{parent}/{target}"))
                };
                match resolved {
                    Some(t) if !t.is_empty() => Some(t),
                    _ => continue,
                }
            } else if ty.is_file() || ty.is_contiguous() {
                None
            } else {
                continue;
            };
            if members.len() >= MAX_TAR_MEMBERS {
                return Err(ArtifactError::BadDocument {
                    path: path.to_owned(),
                    file: "(tarball)".to_owned(),
                    problem: format!("it has more than {MAX_TAR_MEMBERS} members; not an image"),
                });
            }
            members.insert(
                name,
                Member {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                    link,
                },
            );
        }
        Ok(Store::Tar {
            path: Arc::new(path.to_owned()),
            members,
        })
    }

    fn path(&self) -> &Path {
        match self {
            Store::Dir(p) => p,
            Store::Tar { path, .. } => path,
        }
    }

    fn is_tar(&self) -> bool {
        matches!(self, Store::Tar { .. })
    }

    /// Where a member (tar) or file (directory) is, symlinks resolved; `None` if absent.
    fn locate(&self, name: &str) -> Option<BlobLocation> {
        match self {
            Store::Dir(root) => {
                let p = root.join(name);
                let meta = std::fs::metadata(&p).ok().filter(|m| m.is_file())?;
                Some(BlobLocation {
                    file: Arc::new(p),
                    offset: 0,
                    len: meta.len(),
                })
            }
            Store::Tar { path, members } => {
                let mut name = normalize(name)?;
                for _ in 0..MAX_LINK_HOPS {
                    let m = members.get(&name)?;
                    match &m.link {
                        Some(target) => name = target.clone(),
                        None => {
                            return Some(BlobLocation {
                                file: path.clone(),
                                offset: m.offset,
                                len: m.size,
                            })
                        }
                    }
                }
                None
            }
        }
    }

    /// Reads a small document. `None` if absent.
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, ArtifactError> {
        let Some(loc) = self.locate(name) else {
            return Ok(None);
        };
        if loc.len > MAX_DOC_BYTES {
            return Err(ArtifactError::BadDocument {
                path: self.path().to_owned(),
                file: name.to_owned(),
                problem: format!(
                    "{} bytes is larger than the {MAX_DOC_BYTES}-byte limit for JSON documents",
                    loc.len
                ),
            });
        }
        let io_err = |err| ArtifactError::Io {
            path: loc.file.to_path_buf(),
            err,
        };
        let mut r = loc.open().map_err(io_err)?;
        let mut buf = Vec::with_capacity(loc.len as usize);
        r.read_to_end(&mut buf).map_err(io_err)?;
        Ok(Some(buf))
    }

    fn read_required(&self, name: &str, named_by: &str) -> Result<Vec<u8>, ArtifactError> {
        self.read(name)?.ok_or_else(|| ArtifactError::MissingBlob {
            path: self.path().to_owned(),
            file: named_by.to_owned(),
            blob: name.to_owned(),
        })
    }

    /// Reads a blob by digest and checks its digest (and size when known).
    fn read_blob(
        &self,
        ctx: &Ctx,
        d: &Digest,
        size: Option<u64>,
        named_by: &str,
    ) -> Result<Vec<u8>, ArtifactError> {
        let bytes = self.read_required(&blob_name(d), named_by)?;
        let actual = Digest::sha256_from_bytes(&Sha256::digest(&bytes));
        if &actual != d {
            return Err(ArtifactError::BlobDigestMismatch {
                image: ctx.name.clone(),
                expected: d.clone(),
                actual,
            });
        }
        if let Some(expected) = size.filter(|s| *s != bytes.len() as u64) {
            return Err(ArtifactError::BlobSizeMismatch {
                image: ctx.name.clone(),
                digest: d.clone(),
                expected,
                actual: bytes.len() as u64,
            });
        }
        Ok(bytes)
    }
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

// ---------------------------------------------------------------------------------------------
// Documents

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
            s.push_str(&format!(" {}", p.describe()));
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

/// An index or a manifest: which one is decided by its fields as much as its media type.
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

fn parse_json<T: serde::de::DeserializeOwned>(
    store: &Store,
    file: &str,
    bytes: &[u8],
) -> Result<T, ArtifactError> {
    serde_json::from_slice(bytes).map_err(|err| ArtifactError::BadJson {
        path: store.path().to_owned(),
        file: file.to_owned(),
        err,
    })
}

fn descriptor_digest(store: &Store, file: &str, d: &Descriptor) -> Result<Digest, ArtifactError> {
    match d.digest.parse::<Digest>() {
        Ok(g) if g.algorithm() == "sha256" => Ok(g),
        Ok(_) => Err(ArtifactError::BadDocument {
            path: store.path().to_owned(),
            file: file.to_owned(),
            problem: format!(
                "digest `{}` uses an unsupported algorithm (only sha256 is supported)",
                d.digest
            ),
        }),
        Err(_) => Err(ArtifactError::BadDocument {
            path: store.path().to_owned(),
            file: file.to_owned(),
            problem: format!("`{}` is not a valid digest", d.digest),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Opening

/// What was asked for.
struct Ctx {
    /// Display name of the image.
    name: String,
    reference: Option<String>,
    digest: Option<Digest>,
    platform: WantedPlatform,
}

pub(crate) fn open(input: &str, sel: &ImageSelector) -> Result<ImageSource, ArtifactError> {
    let (path, in_ref, in_digest) = split_input(input)?;
    let reference = sel.reference.clone().or(in_ref);
    let digest = match (&sel.digest, in_digest) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(d)) => Some(parse_digest(&d)?),
        (None, None) => None,
    };
    let platform = WantedPlatform::parse(sel.platform.as_deref().unwrap_or(DEFAULT_PLATFORM))?;
    let name = match (&digest, &reference) {
        (Some(d), _) => format!("{}@{d}", path.display()),
        (None, Some(r)) => format!("{}:{r}", path.display()),
        (None, None) => path.display().to_string(),
    };
    let ctx = Ctx {
        name,
        reference,
        digest,
        platform,
    };
    let store = Store::open(&path)?;
    if store.locate("index.json").is_some() {
        open_oci(&store, &ctx)
    } else if store.is_tar() && store.locate("manifest.json").is_some() {
        open_docker(&store, &ctx)
    } else {
        Err(ArtifactError::NotAnImage { path })
    }
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

fn open_oci(store: &Store, ctx: &Ctx) -> Result<ImageSource, ArtifactError> {
    let index: AnyManifest = parse_json(
        store,
        "index.json",
        &store.read_required("index.json", "index.json")?,
    )?;
    let top = index.manifests.unwrap_or_default();
    let chosen = if let Some(d) = &ctx.digest {
        match top.iter().find(|m| m.digest == d.as_str()) {
            Some(m) => m.clone(),
            None => find_nested(store, ctx, &top, d, 0)?.ok_or_else(|| {
                ArtifactError::NoMatchingImage {
                    path: store.path().to_owned(),
                    wanted: format!("digest `{d}`"),
                    available: list(&top),
                }
            })?,
        }
    } else {
        let candidates: Vec<&Descriptor> = match &ctx.reference {
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
                return Err(match &ctx.reference {
                    Some(r) => ArtifactError::NoMatchingImage {
                        path: store.path().to_owned(),
                        wanted: format!("reference `{r}`"),
                        available: list(&top),
                    },
                    None => ArtifactError::BadDocument {
                        path: store.path().to_owned(),
                        file: "index.json".to_owned(),
                        problem: "it lists no manifests".to_owned(),
                    },
                })
            }
            [one] => (*one).clone(),
            many => {
                // Several top-level entries: a platform may tell them apart.
                let fit: Vec<&&Descriptor> = many
                    .iter()
                    .filter(|m| m.platform.as_ref().is_some_and(|p| ctx.platform.matches(p)))
                    .collect();
                let all_have_platforms = many.iter().all(|m| m.platform.is_some());
                match fit.as_slice() {
                    [one] => (**one).clone(),
                    // Same image, several platforms, none the one asked for.
                    [] if all_have_platforms && ctx.reference.is_some() => {
                        return Err(ArtifactError::NoMatchingPlatform {
                            path: store.path().to_owned(),
                            index: "index.json".to_owned(),
                            platform: ctx.platform.to_string(),
                            available: many
                                .iter()
                                .filter_map(|m| m.platform.as_ref().map(Platform::describe))
                                .collect::<Vec<_>>()
                                .join(", "),
                        })
                    }
                    _ => {
                        return Err(ArtifactError::Ambiguous {
                            path: store.path().to_owned(),
                            available: list(&top),
                        })
                    }
                }
            }
        }
    };
    let (manifest_digest, manifest) = resolve(store, ctx, chosen.clone(), 0)?;
    let mut repo_tags = Vec::new();
    if store.is_tar() {
        // A `docker save` from Docker 25+ has both layouts; its manifest.json carries the tags.
        if let Some(bytes) = store.read("manifest.json")? {
            if let Ok(entries) = serde_json::from_slice::<Vec<DockerEntry>>(&bytes) {
                if let Some(cfg) = &manifest.config {
                    for e in entries {
                        if normalize(&e.config).as_deref()
                            == Some(blob_name_str(&cfg.digest).as_str())
                        {
                            repo_tags.extend(e.repo_tags.unwrap_or_default());
                        }
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
    // A full image name (containerd's annotation) plus the manifest digest is a repo digest.
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
        .ok_or_else(|| ArtifactError::BadDocument {
            path: store.path().to_owned(),
            file: manifest_file.clone(),
            problem: "it has no `config`".to_owned(),
        })?;
    if !(config.media_type.is_empty()
        || config.media_type == OCI_CONFIG
        || config.media_type == DOCKER_CONFIG)
    {
        return Err(ArtifactError::UnsupportedMediaType {
            path: store.path().to_owned(),
            file: format!("config `{}`", config.digest),
            media_type: config.media_type.clone(),
        });
    }
    let config_digest = descriptor_digest(store, &manifest_file, config)?;
    let config_bytes = store.read_blob(ctx, &config_digest, config.size, &manifest_file)?;
    let mut layers = Vec::new();
    for l in manifest.layers.as_deref().unwrap_or_default() {
        if !is_layer_media_type(&l.media_type) {
            return Err(ArtifactError::UnsupportedMediaType {
                path: store.path().to_owned(),
                file: format!("layer `{}`", l.digest),
                media_type: l.media_type.clone(),
            });
        }
        let digest = descriptor_digest(store, &manifest_file, l)?;
        let location =
            store
                .locate(&blob_name(&digest))
                .ok_or_else(|| ArtifactError::MissingBlob {
                    path: store.path().to_owned(),
                    file: manifest_file.clone(),
                    blob: digest.to_string(),
                })?;
        if let Some(expected) = l.size.filter(|s| *s != location.len) {
            return Err(ArtifactError::BlobSizeMismatch {
                image: ctx.name.clone(),
                digest,
                expected,
                actual: location.len,
            });
        }
        layers.push(PendingLayer {
            location,
            digest,
            media_type: l.media_type.clone(),
        });
    }
    let names = Names {
        repo_tags,
        repo_digests,
        manifest_digest: Some(manifest_digest),
    };
    build(store, ctx, config_digest, &config_bytes, layers, names)
}

fn blob_name_str(digest: &str) -> String {
    match digest.split_once(':') {
        Some((alg, hex)) => format!("blobs/{alg}/{hex}"),
        None => digest.to_owned(),
    }
}

/// Looks for a manifest digest inside nested indexes.
fn find_nested(
    store: &Store,
    ctx: &Ctx,
    descs: &[Descriptor],
    wanted: &Digest,
    depth: usize,
) -> Result<Option<Descriptor>, ArtifactError> {
    if depth >= MAX_INDEX_DEPTH {
        return Ok(None);
    }
    for d in descs.iter().filter(|d| d.is_index()) {
        let Ok(digest) = descriptor_digest(store, "index.json", d) else {
            continue;
        };
        let bytes = store.read_blob(ctx, &digest, d.size, &format!("index `{}`", d.digest))?;
        let inner: AnyManifest = parse_json(store, &format!("index `{digest}`"), &bytes)?;
        let children = inner.manifests.unwrap_or_default();
        if let Some(m) = children.iter().find(|m| m.digest == wanted.as_str()) {
            return Ok(Some(m.clone()));
        }
        if let Some(m) = find_nested(store, ctx, &children, wanted, depth + 1)? {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

/// Follows indexes down to one image manifest, choosing by platform.
fn resolve(
    store: &Store,
    ctx: &Ctx,
    desc: Descriptor,
    depth: usize,
) -> Result<(Digest, AnyManifest), ArtifactError> {
    let file = format!("manifest `{}`", desc.digest);
    if depth > MAX_INDEX_DEPTH {
        return Err(ArtifactError::BadDocument {
            path: store.path().to_owned(),
            file,
            problem: format!("image indexes are nested more than {MAX_INDEX_DEPTH} deep"),
        });
    }
    let digest = descriptor_digest(store, "index.json", &desc)?;
    let bytes = store.read_blob(ctx, &digest, desc.size, &file)?;
    let m: AnyManifest = parse_json(store, &file, &bytes)?;
    let is_index = m.media_type == OCI_INDEX
        || m.media_type == DOCKER_LIST
        || (m.manifests.is_some() && m.config.is_none());
    if is_index {
        let children = m.manifests.unwrap_or_default();
        let pick = children
            .iter()
            .find(|c| c.platform.as_ref().is_some_and(|p| ctx.platform.matches(p)))
            .or_else(|| match children.as_slice() {
                [only] if only.platform.is_none() => Some(only),
                _ => None,
            });
        return match pick {
            Some(c) => resolve(store, ctx, c.clone(), depth + 1),
            None => Err(ArtifactError::NoMatchingPlatform {
                path: store.path().to_owned(),
                index: desc.digest.clone(),
                platform: ctx.platform.to_string(),
                available: {
                    let ps: Vec<String> = children
                        .iter()
                        .map(|c| {
                            c.platform
                                .as_ref()
                                .map_or_else(|| "unknown".to_owned(), Platform::describe)
                        })
                        .collect();
                    if ps.is_empty() {
                        "none".to_owned()
                    } else {
                        ps.join(", ")
                    }
                },
            }),
        };
    }
    let known =
        m.media_type.is_empty() || m.media_type == OCI_MANIFEST || m.media_type == DOCKER_MANIFEST;
    if !known || m.schema_version == Some(1) || m.config.is_none() {
        return Err(ArtifactError::UnsupportedMediaType {
            path: store.path().to_owned(),
            file,
            media_type: if m.media_type.is_empty() {
                "(none)".to_owned()
            } else {
                m.media_type.clone()
            },
        });
    }
    Ok((digest, m))
}

/// What the image is known by.
struct Names {
    repo_tags: Vec<String>,
    repo_digests: Vec<String>,
    manifest_digest: Option<Digest>,
}

struct PendingLayer {
    location: BlobLocation,
    digest: Digest,
    media_type: String,
}

#[derive(Deserialize)]
struct HistoryLine {
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    empty_layer: bool,
}

/// Builds the image from its config and located layers.
fn build(
    store: &Store,
    ctx: &Ctx,
    image_id: Digest,
    config_bytes: &[u8],
    layers: Vec<PendingLayer>,
    names: Names,
) -> Result<ImageSource, ArtifactError> {
    let config_file = format!("config `{image_id}`");
    let config: serde_json::Value = parse_json(store, &config_file, config_bytes)?;
    let bad = |problem: String| ArtifactError::BadDocument {
        path: store.path().to_owned(),
        file: config_file.clone(),
        problem,
    };
    let diff_ids: Vec<Digest> = match config.pointer("/rootfs/diff_ids") {
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .map(|v| match v.as_str().map(parse_digest) {
                Some(Ok(d)) => Ok(d),
                _ => Err(bad(format!(
                    "`rootfs.diff_ids` holds `{v}`, not a sha256 digest"
                ))),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(bad("it has no `rootfs.diff_ids` list".to_owned())),
    };
    if diff_ids.len() != layers.len() {
        return Err(bad(format!(
            "it lists {} diff IDs for {} layers",
            diff_ids.len(),
            layers.len()
        )));
    }
    let history: Vec<HistoryLine> = match config.get("history") {
        Some(h) => serde_json::from_value(h.clone()).map_err(|err| ArtifactError::BadJson {
            path: store.path().to_owned(),
            file: config_file.clone(),
            err,
        })?,
        None => Vec::new(),
    };
    let mut created = history
        .into_iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.created_by);
    let image: Arc<str> = Arc::from(ctx.name.as_str());
    let mut out = Vec::with_capacity(layers.len());
    for (l, diff_id) in layers.into_iter().zip(&diff_ids) {
        let info = LayerInfo {
            size: l.location.len,
            digest: l.digest.clone(),
            diff_id: diff_id.clone(),
            created_by: created.next().flatten(),
        };
        let source = Arc::new(LayerSource {
            location: l.location,
            image: image.clone(),
            blob_digest: l.digest,
            diff_id: diff_id.clone(),
        });
        out.push(Layer {
            info,
            media_type: l.media_type,
            source,
        });
    }
    let metadata = ArtifactMetadata {
        size: out.iter().map(|l| l.info.size).sum(),
        image_id: Some(image_id),
        diff_ids,
        repo_tags: names.repo_tags,
        repo_digests: names.repo_digests,
        manifest_digest: names.manifest_digest,
        image_config: config,
        layers: out.iter().map(|l| l.info.clone()).collect(),
    };
    Ok(ImageSource {
        name: ctx.name.clone(),
        metadata,
        layers: out,
    })
}

fn open_docker(store: &Store, ctx: &Ctx) -> Result<ImageSource, ArtifactError> {
    let entries: Vec<DockerEntry> = parse_json(
        store,
        "manifest.json",
        &store.read_required("manifest.json", "manifest.json")?,
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
    // Config bytes and their digest (the image ID) for each candidate.
    let config_of = |e: &DockerEntry| -> Result<(Digest, Vec<u8>), ArtifactError> {
        let bytes = store.read_required(&e.config, "manifest.json")?;
        Ok((Digest::sha256_from_bytes(&Sha256::digest(&bytes)), bytes))
    };
    let mut chosen = None;
    if let Some(d) = &ctx.digest {
        for e in &entries {
            let (id, bytes) = config_of(e)?;
            if &id == d {
                chosen = Some((e, id, bytes));
                break;
            }
        }
        if chosen.is_none() {
            return Err(ArtifactError::NoMatchingImage {
                path: store.path().to_owned(),
                wanted: format!("image ID `{d}`"),
                available: available(),
            });
        }
    } else if let Some(r) = &ctx.reference {
        let Some(e) = entries
            .iter()
            .find(|e| e.repo_tags.iter().flatten().any(|t| ref_eq(t, r)))
        else {
            return Err(ArtifactError::NoMatchingImage {
                path: store.path().to_owned(),
                wanted: format!("reference `{r}`"),
                available: available(),
            });
        };
        let (id, bytes) = config_of(e)?;
        chosen = Some((e, id, bytes));
    } else {
        match entries.as_slice() {
            [e] => {
                let (id, bytes) = config_of(e)?;
                chosen = Some((e, id, bytes));
            }
            [] => {
                return Err(ArtifactError::BadDocument {
                    path: store.path().to_owned(),
                    file: "manifest.json".to_owned(),
                    problem: "it lists no images".to_owned(),
                })
            }
            _ => {
                return Err(ArtifactError::Ambiguous {
                    path: store.path().to_owned(),
                    available: available(),
                })
            }
        }
    }
    let Some((entry, image_id, config_bytes)) = chosen else {
        return Err(ArtifactError::NotAnImage {
            path: store.path().to_owned(),
        });
    };
    // A config named by its digest must hash to it.
    let stem = entry
        .config
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".json");
    if let Ok(named) = parse_digest(stem) {
        if named != image_id {
            return Err(ArtifactError::BlobDigestMismatch {
                image: ctx.name.clone(),
                expected: named,
                actual: image_id,
            });
        }
    }
    let config: serde_json::Value = parse_json(store, &entry.config, &config_bytes)?;
    let diff_ids: Vec<Option<Digest>> = config
        .pointer("/rootfs/diff_ids")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().and_then(|s| parse_digest(s).ok()))
                .collect()
        })
        .unwrap_or_default();
    let mut layers = Vec::with_capacity(entry.layers.len());
    for (i, name) in entry.layers.iter().enumerate() {
        let location = store
            .locate(name)
            .ok_or_else(|| ArtifactError::MissingBlob {
                path: store.path().to_owned(),
                file: "manifest.json".to_owned(),
                blob: name.clone(),
            })?;
        let io_err = |err| ArtifactError::Io {
            path: store.path().to_owned(),
            err,
        };
        let mut head = [0u8; 4];
        let n = read_up_to(&mut location.open().map_err(io_err)?, &mut head).map_err(io_err)?;
        let compression = sniff(&head[..n]);
        let (digest, media_type) = match (compression, diff_ids.get(i).cloned().flatten()) {
            // The stored bytes are the tar: their digest is the diff ID (verified when streamed).
            (Compression::None, Some(d)) => (d, "application/vnd.docker.image.rootfs.diff.tar"),
            (c, _) => {
                let mut h = Sha256::new();
                io::copy(&mut location.open().map_err(io_err)?, &mut h).map_err(io_err)?;
                let mt = match c {
                    Compression::Gzip => "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    Compression::Zstd => "application/vnd.docker.image.rootfs.diff.tar.zstd",
                    Compression::None => "application/vnd.docker.image.rootfs.diff.tar",
                };
                (Digest::sha256_from_bytes(&h.finalize()), mt)
            }
        };
        layers.push(PendingLayer {
            location,
            digest,
            media_type: media_type.to_owned(),
        });
    }
    let repo_tags = entry.repo_tags.clone().unwrap_or_default();
    let names = Names {
        repo_tags,
        repo_digests: Vec::new(),
        manifest_digest: None,
    };
    build(store, ctx, image_id, &config_bytes, layers, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_refs_normalise() {
        assert_eq!(
            normalize_docker_ref("alpine"),
            "docker.io/library/alpine:latest"
        );
        assert_eq!(
            normalize_docker_ref("alpine:3.20"),
            "docker.io/library/alpine:3.20"
        );
        assert_eq!(
            normalize_docker_ref("corpus/alpine:1"),
            "docker.io/corpus/alpine:1"
        );
        assert_eq!(normalize_docker_ref("ghcr.io/a/b:2"), "ghcr.io/a/b:2");
        assert_eq!(
            normalize_docker_ref("localhost:5000/a"),
            "localhost:5000/a:latest"
        );
        assert!(ref_eq(
            "docker.io/corpus/alpine-3.20.3:latest",
            "corpus/alpine-3.20.3"
        ));
        assert!(!ref_eq(
            "docker.io/corpus/alpine-3.20.3:latest",
            "alpine-3.20.3"
        ));
    }

    #[test]
    fn platforms() {
        let p = |os: &str, a: &str, v: Option<&str>| Platform {
            os: os.into(),
            architecture: a.into(),
            variant: v.map(Into::into),
        };
        let amd = WantedPlatform::parse("linux/amd64").unwrap();
        assert!(amd.matches(&p("linux", "amd64", None)));
        assert!(!amd.matches(&p("linux", "arm64", None)));
        let v7 = WantedPlatform::parse("linux/arm/v7").unwrap();
        assert!(v7.matches(&p("linux", "arm", Some("v7"))));
        assert!(!v7.matches(&p("linux", "arm", Some("v6"))));
        assert!(WantedPlatform::parse("linux/arm64/v8")
            .unwrap()
            .matches(&p("linux", "arm64", None)));
        assert!(WantedPlatform::parse("linux").is_err());
        assert!(WantedPlatform::parse("linux/amd64/").is_err());
        assert!(WantedPlatform::parse("a/b/c/d").is_err());
    }

    #[test]
    fn digests_parse() {
        let hex = "a".repeat(64);
        assert_eq!(
            parse_digest(&hex).unwrap().as_str(),
            format!("sha256:{hex}")
        );
        assert!(parse_digest("sha256:abc").is_err());
        assert!(parse_digest("md5:abc").is_err());
    }
}
