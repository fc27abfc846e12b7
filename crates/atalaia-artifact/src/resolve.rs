//! Image resolution over a blob store: `index.json` (OCI) or `manifest.json` (`docker save`) →
//! the chosen manifest → its config → its layers, diff IDs, history lines and names.
//!
//! The same code serves every place an image's documents can be: an OCI layout directory and an
//! indexed `docker save` tarball on disk (`crate::image`), and the members of a `docker save`
//! stream that were kept in memory as it passed (atalaia-daemon). A store only answers "what
//! bytes has this document" and "which layer is this member"; choosing the image (by reference,
//! digest or platform), following nested indexes, checking document digests and sizes, reading
//! the config's diff IDs and history, and naming the image are done here, once.
//!
//! ```text
//! resolve_image(store, name, selector)
//!   ├─ store.contains("index.json")     → OCI: index → (nested indexes, by platform) → manifest
//!   │                                      → config blob → layer descriptors → store.layer(…)
//!   ├─ store.is_archive() + manifest.json → docker save: entry (by tag, image ID or the only one)
//!   │                                      → config file → layer members → store.layer(…)
//!   └─ config: rootfs.diff_ids, history  → ResolvedImage { layers: [ResolvedLayer { blob, info }] }
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use atalaia_types::{ArtifactMetadata, Digest, LayerInfo};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::error::Compression;
use crate::manifest::{is_layer_media_type, normalize_arch, select_platform, PlatformRef};
use crate::path::normalize;
use crate::{ArtifactError, ImageSelector};

/// Image indexes nested deeper than this are refused.
const MAX_INDEX_DEPTH: usize = 4;

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";
const CONTAINERD_NAME: &str = "io.containerd.image.name";
const DEFAULT_PLATFORM: &str = "linux/amd64";

/// Where [`resolve_image`] reads an image's documents and finds its layer blobs.
///
/// Names are member names as a `docker save` tarball or an OCI layout holds them
/// (`index.json`, `manifest.json`, `blobs/sha256/<hex>`, `<id>/layer.tar`); a store resolves
/// links between members itself. Errors are [`ArtifactError`]s or the store's own (a store that
/// knows more about a failure, such as a stream that already hashed its layers, says so in its
/// own error type).
pub trait ImageStore {
    /// A layer blob as the store holds it (a file location, an analysed stream member...).
    type Blob;
    /// The store's error type; the resolver's own errors are [`ArtifactError`]s.
    type Error: From<ArtifactError>;

    /// The image file, directory or stream name, for errors.
    fn path(&self) -> &Path;
    /// Whether the store is a `docker save` archive (its `manifest.json` is read: for legacy
    /// images, and for the repo tags of an OCI layout inside the archive).
    fn is_archive(&self) -> bool;
    /// Whether a document (or any member) `name` exists.
    fn contains(&self, name: &str) -> bool;
    /// The bytes of a small JSON document; `None` when absent.
    fn document(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, Self::Error>;
    /// The layer blob at member `name`, named by `named_by` (a document) as `what` (the
    /// manifest's digest, or the member name of a legacy `docker save` manifest). A store
    /// reports a missing member its own way (the disk stores as [`ArtifactError::MissingBlob`]).
    fn layer(&self, name: &str, what: &str, named_by: &str) -> Result<Self::Blob, Self::Error>;
    /// The stored size of a blob.
    fn blob_size(&self, blob: &Self::Blob) -> u64;
    /// A blob's compression, by its magic bytes.
    fn compression(&self, blob: &Self::Blob) -> Result<Compression, Self::Error>;
    /// The SHA-256 of a blob as stored (asked for compressed layers of legacy `docker save`
    /// archives, whose manifest gives no digests).
    fn stored_digest(&self, blob: &Self::Blob) -> Result<Digest, Self::Error>;
    /// Checks a blob against its descriptor in `named_by` (digest, and size when given) as far
    /// as the store can now; a disk store checks sizes here and digests while streaming.
    fn check_layer(
        &self,
        image: &str,
        blob: &Self::Blob,
        digest: &Digest,
        size: Option<u64>,
        named_by: &str,
    ) -> Result<(), Self::Error>;
}

/// One layer of a resolved image.
#[derive(Debug, Clone)]
pub struct ResolvedLayer<B> {
    /// The blob, as the store holds it.
    pub blob: B,
    /// The layer as its manifest names it: a digest (OCI) or a member name (legacy `docker save`).
    pub name: String,
    /// Digests, stored size and history line.
    pub info: LayerInfo,
    /// The layer's media type: the manifest's, or (legacy `docker save`) the one its bytes show.
    pub media_type: String,
}

/// An image chosen from a store: its config, names and layers (lowest first).
#[derive(Debug, Clone)]
pub struct ResolvedImage<B> {
    /// The image ID: the digest of the config.
    pub image_id: Digest,
    /// The config, parsed.
    pub config: serde_json::Value,
    /// `rootfs.diff_ids` of the config, one per layer.
    pub diff_ids: Vec<Digest>,
    /// Repo tags (`manifest.json`'s `RepoTags`, or the reference annotation).
    pub repo_tags: Vec<String>,
    /// Repo digests (a full image name annotation plus the manifest digest).
    pub repo_digests: Vec<String>,
    /// The digest of the chosen manifest (OCI images only).
    pub manifest_digest: Option<Digest>,
    /// The layers, lowest first.
    pub layers: Vec<ResolvedLayer<B>>,
}

impl<B> ResolvedImage<B> {
    /// The image's metadata, as reports carry it.
    pub fn metadata(&self) -> ArtifactMetadata {
        ArtifactMetadata {
            size: self.layers.iter().map(|l| l.info.size).sum(),
            image_id: Some(self.image_id.clone()),
            diff_ids: self.diff_ids.clone(),
            repo_tags: self.repo_tags.clone(),
            repo_digests: self.repo_digests.clone(),
            manifest_digest: self.manifest_digest.clone(),
            image_config: self.config.clone(),
            layers: self.layers.iter().map(|l| l.info.clone()).collect(),
        }
    }
}

/// Chooses the image `selector` names in `store` (the only one when it names none) and reads its
/// config and layers. `name` names the image in errors. Index, manifest and config documents are
/// checked against their digests (and sizes when given); layers as far as
/// [`ImageStore::check_layer`] can.
pub fn resolve_image<S: ImageStore>(
    store: &S,
    name: &str,
    selector: &ImageSelector,
) -> Result<ResolvedImage<S::Blob>, S::Error> {
    let platform = WantedPlatform::parse(selector.platform.as_deref().unwrap_or(DEFAULT_PLATFORM))?;
    let ctx = Ctx {
        name,
        reference: selector.reference.as_deref(),
        digest: selector.digest.as_ref(),
        platform,
    };
    if store.contains("index.json") {
        open_oci(store, &ctx)
    } else if store.is_archive() && store.contains("manifest.json") {
        open_docker(store, &ctx)
    } else {
        Err(ArtifactError::NotAnImage {
            path: store.path().to_owned(),
        }
        .into())
    }
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

// ---------------------------------------------------------------------------------------------
// Platforms and references

/// `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WantedPlatform {
    os: String,
    arch: String,
    variant: Option<String>,
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

    fn as_ref(&self) -> PlatformRef<'_> {
        PlatformRef {
            os: &self.os,
            architecture: &self.arch,
            variant: self.variant.as_deref(),
        }
    }

    fn matches(&self, p: &Platform) -> bool {
        self.as_ref().accepts(p.as_ref())
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
    fn as_ref(&self) -> PlatformRef<'_> {
        PlatformRef {
            os: &self.os,
            architecture: &self.architecture,
            variant: self.variant.as_deref(),
        }
    }

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

#[derive(Deserialize)]
struct HistoryLine {
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    empty_layer: bool,
}

fn blob_name(d: &Digest) -> String {
    format!("blobs/{}/{}", d.algorithm(), d.hex())
}

fn blob_name_str(digest: &str) -> String {
    match digest.split_once(':') {
        Some((alg, hex)) => format!("blobs/{alg}/{hex}"),
        None => digest.to_owned(),
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

/// What was asked for.
struct Ctx<'a> {
    /// Display name of the image.
    name: &'a str,
    reference: Option<&'a str>,
    digest: Option<&'a Digest>,
    platform: WantedPlatform,
}

fn parse_json<S: ImageStore, T: serde::de::DeserializeOwned>(
    store: &S,
    file: &str,
    bytes: &[u8],
) -> Result<T, ArtifactError> {
    serde_json::from_slice(bytes).map_err(|err| ArtifactError::BadJson {
        path: store.path().to_owned(),
        file: file.to_owned(),
        err,
    })
}

fn descriptor_digest<S: ImageStore>(
    store: &S,
    file: &str,
    d: &Descriptor,
) -> Result<Digest, ArtifactError> {
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

/// A document that must exist.
fn read_required<'s, S: ImageStore>(
    store: &'s S,
    name: &str,
    named_by: &str,
) -> Result<Cow<'s, [u8]>, S::Error> {
    store.document(name)?.ok_or_else(|| {
        ArtifactError::MissingBlob {
            path: store.path().to_owned(),
            file: named_by.to_owned(),
            blob: name.to_owned(),
        }
        .into()
    })
}

/// A document blob by digest, its digest (and size when known) checked.
fn read_blob<'s, S: ImageStore>(
    store: &'s S,
    ctx: &Ctx<'_>,
    d: &Digest,
    size: Option<u64>,
    named_by: &str,
) -> Result<Cow<'s, [u8]>, S::Error> {
    let bytes = read_required(store, &blob_name(d), named_by)?;
    let actual = Digest::sha256_from_bytes(&Sha256::digest(&bytes));
    if &actual != d {
        return Err(ArtifactError::BlobDigestMismatch {
            image: ctx.name.to_owned(),
            expected: d.clone(),
            actual,
        }
        .into());
    }
    if let Some(expected) = size.filter(|s| *s != bytes.len() as u64) {
        return Err(ArtifactError::BlobSizeMismatch {
            image: ctx.name.to_owned(),
            digest: d.clone(),
            expected,
            actual: bytes.len() as u64,
        }
        .into());
    }
    Ok(bytes)
}

// ---------------------------------------------------------------------------------------------
// OCI

fn open_oci<S: ImageStore>(store: &S, ctx: &Ctx<'_>) -> Result<ResolvedImage<S::Blob>, S::Error> {
    let index: AnyManifest = parse_json(
        store,
        "index.json",
        &read_required(store, "index.json", "index.json")?,
    )?;
    let top = index.manifests.unwrap_or_default();
    let chosen = if let Some(d) = ctx.digest {
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
        let candidates: Vec<&Descriptor> = match ctx.reference {
            Some(r) => top
                .iter()
                .filter(|m| {
                    m.annotation(REF_NAME) == Some(r)
                        || m.annotation(CONTAINERD_NAME).is_some_and(|n| ref_eq(n, r))
                })
                .collect(),
            None => top.iter().collect(),
        };
        match candidates.as_slice() {
            [] => {
                return Err(match ctx.reference {
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
                }
                .into())
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
                        }
                        .into())
                    }
                    _ => {
                        return Err(ArtifactError::Ambiguous {
                            path: store.path().to_owned(),
                            available: list(&top),
                        }
                        .into())
                    }
                }
            }
        }
    };
    let (manifest_digest, manifest) = resolve_manifest(store, ctx, chosen.clone(), 0)?;
    let mut repo_tags = Vec::new();
    if store.is_archive() {
        // A `docker save` from Docker 25+ has both layouts; its manifest.json carries the tags.
        if let Some(bytes) = store.document("manifest.json")? {
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
        }
        .into());
    }
    let config_digest = descriptor_digest(store, &manifest_file, config)?;
    let config_bytes = read_blob(store, ctx, &config_digest, config.size, &manifest_file)?;
    let mut layers = Vec::new();
    for l in manifest.layers.as_deref().unwrap_or_default() {
        if !is_layer_media_type(&l.media_type) {
            return Err(ArtifactError::UnsupportedMediaType {
                path: store.path().to_owned(),
                file: format!("layer `{}`", l.digest),
                media_type: l.media_type.clone(),
            }
            .into());
        }
        let digest = descriptor_digest(store, &manifest_file, l)?;
        let blob = store.layer(&blob_name(&digest), digest.as_str(), &manifest_file)?;
        store.check_layer(ctx.name, &blob, &digest, l.size, &manifest_file)?;
        layers.push(PendingLayer {
            blob,
            name: digest.to_string(),
            digest,
            media_type: l.media_type.clone(),
        });
    }
    let names = Names {
        repo_tags,
        repo_digests,
        manifest_digest: Some(manifest_digest),
    };
    build(store, config_digest, &config_bytes, layers, names)
}

/// Looks for a manifest digest inside nested indexes.
fn find_nested<S: ImageStore>(
    store: &S,
    ctx: &Ctx<'_>,
    descs: &[Descriptor],
    wanted: &Digest,
    depth: usize,
) -> Result<Option<Descriptor>, S::Error> {
    if depth >= MAX_INDEX_DEPTH {
        return Ok(None);
    }
    for d in descs.iter().filter(|d| d.is_index()) {
        let Ok(digest) = descriptor_digest(store, "index.json", d) else {
            continue;
        };
        let bytes = read_blob(
            store,
            ctx,
            &digest,
            d.size,
            &format!("index `{}`", d.digest),
        )?;
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
fn resolve_manifest<S: ImageStore>(
    store: &S,
    ctx: &Ctx<'_>,
    desc: Descriptor,
    depth: usize,
) -> Result<(Digest, AnyManifest), S::Error> {
    let file = format!("manifest `{}`", desc.digest);
    if depth > MAX_INDEX_DEPTH {
        return Err(ArtifactError::BadDocument {
            path: store.path().to_owned(),
            file,
            problem: format!("image indexes are nested more than {MAX_INDEX_DEPTH} deep"),
        }
        .into());
    }
    let digest = descriptor_digest(store, "index.json", &desc)?;
    let bytes = read_blob(store, ctx, &digest, desc.size, &file)?;
    let m: AnyManifest = parse_json(store, &file, &bytes)?;
    let is_index = m.media_type == OCI_INDEX
        || m.media_type == DOCKER_LIST
        || (m.manifests.is_some() && m.config.is_none());
    if is_index {
        let children = m.manifests.unwrap_or_default();
        let pick = select_platform(&children, ctx.platform.as_ref(), |c| {
            c.platform.as_ref().map(Platform::as_ref)
        });
        return match pick {
            Some(c) => resolve_manifest(store, ctx, c.clone(), depth + 1),
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
            }
            .into()),
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
        }
        .into());
    }
    Ok((digest, m))
}

// ---------------------------------------------------------------------------------------------
// docker save (legacy manifest.json)

fn open_docker<S: ImageStore>(
    store: &S,
    ctx: &Ctx<'_>,
) -> Result<ResolvedImage<S::Blob>, S::Error> {
    let entries: Vec<DockerEntry> = parse_json(
        store,
        "manifest.json",
        &read_required(store, "manifest.json", "manifest.json")?,
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
    let config_of = |e: &DockerEntry| -> Result<(Digest, Vec<u8>), S::Error> {
        let bytes = read_required(store, &e.config, "manifest.json")?;
        Ok((
            Digest::sha256_from_bytes(&Sha256::digest(&bytes)),
            bytes.into_owned(),
        ))
    };
    let (entry, image_id, config_bytes) = if let Some(d) = ctx.digest {
        let mut chosen = None;
        for e in &entries {
            let (id, bytes) = config_of(e)?;
            if &id == d {
                chosen = Some((e, id, bytes));
                break;
            }
        }
        chosen.ok_or_else(|| ArtifactError::NoMatchingImage {
            path: store.path().to_owned(),
            wanted: format!("image ID `{d}`"),
            available: available(),
        })?
    } else if let Some(r) = ctx.reference {
        let Some(e) = entries
            .iter()
            .find(|e| e.repo_tags.iter().flatten().any(|t| ref_eq(t, r)))
        else {
            return Err(ArtifactError::NoMatchingImage {
                path: store.path().to_owned(),
                wanted: format!("reference `{r}`"),
                available: available(),
            }
            .into());
        };
        let (id, bytes) = config_of(e)?;
        (e, id, bytes)
    } else {
        match entries.as_slice() {
            [e] => {
                let (id, bytes) = config_of(e)?;
                (e, id, bytes)
            }
            [] => {
                return Err(ArtifactError::BadDocument {
                    path: store.path().to_owned(),
                    file: "manifest.json".to_owned(),
                    problem: "it lists no images".to_owned(),
                }
                .into())
            }
            _ => {
                return Err(ArtifactError::Ambiguous {
                    path: store.path().to_owned(),
                    available: available(),
                }
                .into())
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
    if let Ok(named) = parse_digest(stem) {
        if named != image_id {
            return Err(ArtifactError::BlobDigestMismatch {
                image: ctx.name.to_owned(),
                expected: named,
                actual: image_id,
            }
            .into());
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
        let blob = store.layer(name, name, "manifest.json")?;
        let compression = store.compression(&blob)?;
        let (digest, media_type) = match (compression, diff_ids.get(i).cloned().flatten()) {
            // The stored bytes are the tar: their digest is the diff ID (verified when streamed).
            (Compression::None, Some(d)) => (d, "application/vnd.docker.image.rootfs.diff.tar"),
            (c, _) => {
                let mt = match c {
                    Compression::Gzip => "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    Compression::Zstd => "application/vnd.docker.image.rootfs.diff.tar.zstd",
                    Compression::None => "application/vnd.docker.image.rootfs.diff.tar",
                };
                (store.stored_digest(&blob)?, mt)
            }
        };
        layers.push(PendingLayer {
            blob,
            name: name.clone(),
            digest,
            media_type: media_type.to_owned(),
        });
    }
    let names = Names {
        repo_tags: entry.repo_tags.clone().unwrap_or_default(),
        repo_digests: Vec::new(),
        manifest_digest: None,
    };
    build(store, image_id, &config_bytes, layers, names)
}

// ---------------------------------------------------------------------------------------------
// The image from its config and located layers

/// What the image is known by.
struct Names {
    repo_tags: Vec<String>,
    repo_digests: Vec<String>,
    manifest_digest: Option<Digest>,
}

struct PendingLayer<B> {
    blob: B,
    name: String,
    digest: Digest,
    media_type: String,
}

fn build<S: ImageStore>(
    store: &S,
    image_id: Digest,
    config_bytes: &[u8],
    layers: Vec<PendingLayer<S::Blob>>,
    names: Names,
) -> Result<ResolvedImage<S::Blob>, S::Error> {
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
        _ => return Err(bad("it has no `rootfs.diff_ids` list".to_owned()).into()),
    };
    if diff_ids.len() != layers.len() {
        return Err(bad(format!(
            "it lists {} diff IDs for {} layers",
            diff_ids.len(),
            layers.len()
        ))
        .into());
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
    let layers = layers
        .into_iter()
        .zip(&diff_ids)
        .map(|(l, diff_id)| ResolvedLayer {
            info: LayerInfo {
                size: store.blob_size(&l.blob),
                digest: l.digest,
                diff_id: diff_id.clone(),
                created_by: created.next().flatten(),
            },
            blob: l.blob,
            name: l.name,
            media_type: l.media_type,
        })
        .collect();
    Ok(ResolvedImage {
        image_id,
        config,
        diff_ids,
        repo_tags: names.repo_tags,
        repo_digests: names.repo_digests,
        manifest_digest: names.manifest_digest,
        layers,
    })
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

    /// A store of documents in memory whose layers are plain tars named by their digest.
    struct Mem {
        docs: HashMap<String, Vec<u8>>,
        layers: HashMap<String, Vec<u8>>,
    }

    impl ImageStore for Mem {
        type Blob = Vec<u8>;
        type Error = ArtifactError;
        fn path(&self) -> &Path {
            Path::new("mem")
        }
        fn is_archive(&self) -> bool {
            true
        }
        fn contains(&self, name: &str) -> bool {
            self.docs.contains_key(name)
        }
        fn document(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, ArtifactError> {
            Ok(self.docs.get(name).map(|b| Cow::Borrowed(b.as_slice())))
        }
        fn layer(&self, name: &str, what: &str, named_by: &str) -> Result<Vec<u8>, ArtifactError> {
            self.layers
                .get(name)
                .cloned()
                .ok_or_else(|| ArtifactError::MissingBlob {
                    path: self.path().to_owned(),
                    file: named_by.to_owned(),
                    blob: what.to_owned(),
                })
        }
        fn blob_size(&self, blob: &Vec<u8>) -> u64 {
            blob.len() as u64
        }
        fn compression(&self, blob: &Vec<u8>) -> Result<Compression, ArtifactError> {
            Ok(crate::layer::sniff(blob))
        }
        fn stored_digest(&self, blob: &Vec<u8>) -> Result<Digest, ArtifactError> {
            Ok(Digest::sha256_from_bytes(&Sha256::digest(blob)))
        }
        fn check_layer(
            &self,
            image: &str,
            blob: &Vec<u8>,
            digest: &Digest,
            _size: Option<u64>,
            _named_by: &str,
        ) -> Result<(), ArtifactError> {
            let actual = self.stored_digest(blob)?;
            if &actual != digest {
                return Err(ArtifactError::BlobDigestMismatch {
                    image: image.to_owned(),
                    expected: digest.clone(),
                    actual,
                });
            }
            Ok(())
        }
    }

    fn sha(b: &[u8]) -> Digest {
        Digest::sha256_from_bytes(&Sha256::digest(b))
    }

    /// A legacy `docker save` image from memory: tags, diff IDs, history, layer sizes.
    #[test]
    fn legacy_images_resolve_from_any_store() {
        let layer = vec![7u8; 1024];
        let config = serde_json::to_vec(&serde_json::json!({
            "rootfs": {"type": "layers", "diff_ids": [sha(&layer).as_str()]},
            "history": [{"created_by": "ADD x", "empty_layer": false}]
        }))
        .unwrap();
        let config_name = format!("{}.json", sha(&config).hex());
        let manifest = serde_json::to_vec(&serde_json::json!([
            {"Config": config_name, "RepoTags": ["corpus/x:1"], "Layers": ["a/layer.tar"]}
        ]))
        .unwrap();
        let mut store = Mem {
            docs: HashMap::from([
                ("manifest.json".to_owned(), manifest),
                (config_name, config.clone()),
            ]),
            layers: HashMap::from([("a/layer.tar".to_owned(), layer.clone())]),
        };
        let img = resolve_image(&store, "x", &ImageSelector::default()).unwrap();
        assert_eq!(img.image_id, sha(&config));
        assert_eq!(img.repo_tags, vec!["corpus/x:1".to_owned()]);
        assert_eq!(img.layers.len(), 1);
        assert_eq!(img.layers[0].name, "a/layer.tar");
        assert_eq!(img.layers[0].info.digest, sha(&layer));
        assert_eq!(img.layers[0].info.size, 1024);
        assert_eq!(img.layers[0].info.created_by.as_deref(), Some("ADD x"));
        let meta = img.metadata();
        assert_eq!(meta.diff_ids, vec![sha(&layer)]);
        assert_eq!(meta.size, 1024);

        // A missing layer is the store's error; garbage JSON is a parse error naming the file.
        store.layers.clear();
        let err = resolve_image(&store, "x", &ImageSelector::default()).unwrap_err();
        assert!(
            matches!(err, ArtifactError::MissingBlob { ref blob, .. } if blob == "a/layer.tar")
        );
        store
            .docs
            .insert("manifest.json".to_owned(), b"[{\"Config\": 3".to_vec());
        let err = resolve_image(&store, "x", &ImageSelector::default()).unwrap_err();
        assert!(
            matches!(err, ArtifactError::BadJson { ref file, .. } if file == "manifest.json"),
            "{err}"
        );
        store.docs.clear();
        let err = resolve_image(&store, "x", &ImageSelector::default()).unwrap_err();
        assert!(matches!(err, ArtifactError::NotAnImage { .. }), "{err}");
    }
}
