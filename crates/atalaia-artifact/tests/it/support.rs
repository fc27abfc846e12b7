//! Helpers shared by the test modules.

use std::io::Read;

use atalaia_artifact::{ArtifactError, EntryKind, ImageSource, Limits};
use sha2::{Digest as _, Sha256};

/// One entry as a walk saw it, with a hash of the bytes read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) path: String,
    pub(crate) kind: EntryKind,
    pub(crate) size: u64,
    pub(crate) mode: u32,
    pub(crate) content: Option<String>,
}

/// Walks every layer of `image` (reading each to its end, so digests are verified) and returns
/// each layer's entries; every regular file is read whole and hashed.
pub(crate) fn walk_image(image: &ImageSource) -> Vec<Vec<Seen>> {
    image
        .layers
        .iter()
        .map(|layer| {
            let mut seen = Vec::new();
            let stats = layer
                .walk(&Limits::default(), &mut |e| {
                    let content = if e.kind == EntryKind::File {
                        let mut h = Sha256::new();
                        std::io::copy(e.reader, &mut h).map_err(|err| ArtifactError::Visit {
                            path: e.path.to_owned(),
                            err: Box::new(err),
                        })?;
                        Some(hex(&h.finalize()))
                    } else {
                        None
                    };
                    seen.push(Seen {
                        path: e.path.to_owned(),
                        kind: e.kind.clone(),
                        size: e.size,
                        mode: e.mode,
                        content,
                    });
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("walking {}: {}", layer.display_name(), chain(&e)));
            assert!(stats.warnings.is_empty(), "{:?}", stats.warnings);
            assert!(stats.entries >= seen.len() as u64);
            seen
        })
        .collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error and its causes, for failure messages.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!("\n  Caused by: {c}"));
        cur = c.source();
    }
    s
}

/// Reads a whole layer stream, returning the first error.
pub(crate) fn read_all(mut r: impl Read) -> std::io::Result<u64> {
    std::io::copy(&mut r, &mut std::io::sink())
}

/// Builds a tar stream entry by entry, writing names raw so that hostile paths can be made.
pub(crate) struct RawTar {
    out: Vec<u8>,
}

impl RawTar {
    pub(crate) fn new() -> Self {
        RawTar { out: Vec::new() }
    }

    /// Appends an entry with `name` written byte-for-byte into the header.
    pub(crate) fn entry(
        &mut self,
        name: &str,
        ty: tar::EntryType,
        link: Option<&str>,
        data: &[u8],
    ) -> &mut Self {
        let mut h = tar::Header::new_gnu();
        {
            let gnu = h.as_gnu_mut().unwrap();
            assert!(name.len() <= 100, "use a short name");
            gnu.name[..name.len()].copy_from_slice(name.as_bytes());
            if let Some(l) = link {
                gnu.linkname[..l.len()].copy_from_slice(l.as_bytes());
            }
        }
        h.set_entry_type(ty);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        self.out.extend_from_slice(h.as_bytes());
        self.out.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.out.extend(std::iter::repeat_n(0u8, pad));
        self
    }

    pub(crate) fn file(&mut self, name: &str, data: &[u8]) -> &mut Self {
        self.entry(name, tar::EntryType::Regular, None, data)
    }

    pub(crate) fn finish(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.out);
        out.extend(std::iter::repeat_n(0u8, 1024));
        out
    }
}
