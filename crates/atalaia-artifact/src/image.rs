//! Opening images on disk: `docker save` tarballs (legacy `manifest.json` layout, or an OCI
//! layout inside the tarball) and OCI image layout directories, as [`ImageStore`]s for the shared
//! resolver in [`crate::resolve`].
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

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use atalaia_types::Digest;
use sha2::{Digest as _, Sha256};

use crate::error::Compression;
use crate::layer::{read_full, sniff, BlobLocation, LayerSource};
use crate::path::normalize;
use crate::resolve::{parse_digest, resolve_image, ImageStore};
use crate::{ArtifactError, ImageSelector, ImageSource, Layer};

/// Index, manifest and config documents larger than this are refused.
const MAX_DOC_BYTES: u64 = 64 << 20;
/// Symlink hops followed inside a tarball.
const MAX_LINK_HOPS: usize = 16;
/// Members of an image tarball (images have a few per layer; this bounds the index's memory).
const MAX_TAR_MEMBERS: usize = 1_000_000;

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
        let n = read_full(&mut file, &mut head).map_err(io_err)?;
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

    fn io_err(&self, err: io::Error) -> ArtifactError {
        ArtifactError::Io {
            path: self.path().to_owned(),
            err,
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
}

// ---------------------------------------------------------------------------------------------
// Opening

pub(crate) fn open(input: &str, sel: &ImageSelector) -> Result<ImageSource, ArtifactError> {
    let (path, in_ref, in_digest) = split_input(input)?;
    let reference = sel.reference.clone().or(in_ref);
    let digest = match (&sel.digest, in_digest) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(d)) => Some(parse_digest(&d)?),
        (None, None) => None,
    };
    let name = match (&digest, &reference) {
        (Some(d), _) => format!("{}@{d}", path.display()),
        (None, Some(r)) => format!("{}:{r}", path.display()),
        (None, None) => path.display().to_string(),
    };
    let selector = ImageSelector {
        reference,
        digest,
        platform: sel.platform.clone(),
    };
    let store = Store::open(&path)?;
    let resolved = resolve_image(&store, &name, &selector)?;
    let metadata = resolved.metadata();
    let image: Arc<str> = Arc::from(name.as_str());
    let layers = resolved
        .layers
        .into_iter()
        .map(|l| Layer {
            source: Arc::new(LayerSource {
                location: l.blob,
                image: image.clone(),
                blob_digest: l.info.digest.clone(),
                diff_id: l.info.diff_id.clone(),
            }),
            info: l.info,
            media_type: l.media_type,
        })
        .collect();
    Ok(ImageSource {
        name,
        metadata,
        layers,
    })
}

impl ImageStore for Store {
    type Blob = BlobLocation;
    type Error = ArtifactError;

    fn path(&self) -> &Path {
        Store::path(self)
    }

    fn is_archive(&self) -> bool {
        self.is_tar()
    }

    fn contains(&self, name: &str) -> bool {
        self.locate(name).is_some()
    }

    fn document(&self, name: &str) -> Result<Option<Cow<'_, [u8]>>, ArtifactError> {
        Ok(self.read(name)?.map(Cow::Owned))
    }

    fn layer(&self, name: &str, what: &str, named_by: &str) -> Result<BlobLocation, ArtifactError> {
        self.locate(name).ok_or_else(|| ArtifactError::MissingBlob {
            path: self.path().to_owned(),
            file: named_by.to_owned(),
            blob: what.to_owned(),
        })
    }

    fn blob_size(&self, blob: &BlobLocation) -> u64 {
        blob.len
    }

    fn compression(&self, blob: &BlobLocation) -> Result<Compression, ArtifactError> {
        let mut head = [0u8; 4];
        let n = read_full(&mut blob.open().map_err(|err| self.io_err(err))?, &mut head)
            .map_err(|err| self.io_err(err))?;
        Ok(sniff(&head[..n]))
    }

    fn stored_digest(&self, blob: &BlobLocation) -> Result<Digest, ArtifactError> {
        let mut h = Sha256::new();
        io::copy(&mut blob.open().map_err(|err| self.io_err(err))?, &mut h)
            .map_err(|err| self.io_err(err))?;
        Ok(Digest::sha256_from_bytes(&h.finalize()))
    }

    fn check_layer(
        &self,
        image: &str,
        blob: &BlobLocation,
        digest: &Digest,
        size: Option<u64>,
        _named_by: &str,
    ) -> Result<(), ArtifactError> {
        // The digest is checked while the layer is streamed, where its bytes are read anyway.
        match size.filter(|s| *s != blob.len) {
            Some(expected) => Err(ArtifactError::BlobSizeMismatch {
                image: image.to_owned(),
                digest: digest.clone(),
                expected,
                actual: blob.len,
            }),
            None => Ok(()),
        }
    }
}
