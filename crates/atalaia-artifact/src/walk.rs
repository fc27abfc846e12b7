//! Walking a tar stream or a directory, handing each entry to a visitor once.
//!
//! The tar walk is a function of any `impl Read` so that it can be fuzzed. It reads the stream
//! exactly once, front to back, through one 256 KiB buffer; bytes of an entry the visitor does not
//! read are skipped by the `tar` crate without being copied anywhere but that buffer. After the
//! end-of-archive marker the rest of the stream is drained, so a verifying reader underneath (see
//! [`crate::Layer::open`]) sees its end and checks its digests.
//!
//! Stream errors are never swallowed: if a visitor's read fails because the stream under it
//! failed (truncation, a digest mismatch, a limit), the walk returns that error even when the
//! visitor ignored it.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::error::LimitKind;
use crate::path::{normalize_into, whiteout, Whiteout};
use crate::{ArtifactError, Entry, EntryKind, Limits, WalkStats, WalkWarning};

/// Read buffer for decompressed tar streams.
pub(crate) const STREAM_BUFFER: usize = 256 * 1024;

/// Counts bytes pulled from the stream and stops at the layer-size limit.
struct Counter<'a, R> {
    inner: R,
    count: &'a Cell<u64>,
    limit: u64,
    what: &'a str,
}

impl<R: Read> Read for Counter<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.count.get() + n as u64;
        self.count.set(total);
        if total > self.limit {
            return Err(ArtifactError::LimitExceeded {
                what: self.what.to_owned(),
                limit: LimitKind::LayerBytes,
                value: self.limit,
            }
            .into_io());
        }
        Ok(n)
    }
}

/// The reader handed to a visitor: keeps the first error of the stream underneath so that the
/// walk can report it even if the visitor drops it.
struct StashingReader<'s, R> {
    inner: R,
    stash: &'s mut Option<io::Error>,
}

impl<R: Read> Read for StashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let kind = e.kind();
                if self.stash.is_none() {
                    *self.stash = Some(e);
                }
                Err(io::Error::new(
                    kind,
                    "the stream under this entry failed; the walk reports the cause",
                ))
            }
        }
    }
}

/// Walks a tar stream once; `what` names it in errors (`Layer `…` of `…``).
pub(crate) fn walk_tar_impl<R: Read>(
    reader: R,
    what: &str,
    limits: &Limits,
    visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    let count = Cell::new(0u64);
    let counter = Counter {
        inner: reader,
        count: &count,
        limit: limits.max_layer_bytes,
        what,
    };
    let mut archive = tar::Archive::new(BufReader::with_capacity(STREAM_BUFFER, counter));
    let stream_err = |e: io::Error| -> ArtifactError {
        ArtifactError::from_io(e).unwrap_or_else(|err| ArtifactError::BadTar {
            what: what.to_owned(),
            err,
        })
    };

    let mut stats = WalkStats::default();
    let mut path = String::new();
    let mut scratch = String::new();
    let mut stash: Option<io::Error> = None;
    {
        let entries = archive.entries().map_err(stream_err)?;
        for entry in entries {
            let mut entry = entry.map_err(stream_err)?;
            stats.entries += 1;
            if stats.entries > limits.max_entries {
                return Err(ArtifactError::LimitExceeded {
                    what: what.to_owned(),
                    limit: LimitKind::Entries,
                    value: limits.max_entries,
                });
            }
            let ok = normalize_into(&String::from_utf8_lossy(&entry.path_bytes()), &mut scratch);
            if !ok {
                stats.warn(
                    String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
                    "path escapes the root through `..`; entry skipped",
                );
                continue;
            }
            let header = entry.header();
            let mode = header.mode().unwrap_or(0) & 0o7777;
            let ty = header.entry_type();
            let mut kind = if ty.is_file() || ty.is_contiguous() || ty.is_gnu_sparse() {
                EntryKind::File
            } else if ty.is_dir() {
                EntryKind::Dir
            } else if ty.is_symlink() {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned());
                EntryKind::Symlink {
                    target: target.unwrap_or_default(),
                }
            } else if ty.is_hard_link() {
                let raw = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                match crate::path::normalize(&raw) {
                    Some(target) if !target.is_empty() => EntryKind::Hardlink { target },
                    _ => {
                        stats.warn(
                            scratch.clone(),
                            "hard link target escapes the root or is empty; entry skipped",
                        );
                        continue;
                    }
                }
            } else if ty.is_pax_global_extensions() {
                continue;
            } else {
                EntryKind::Other
            };
            match whiteout(&scratch) {
                Whiteout::No => {
                    std::mem::swap(&mut path, &mut scratch);
                }
                Whiteout::File(dir, name) => {
                    path.clear();
                    if !dir.is_empty() {
                        path.push_str(dir);
                        path.push('/');
                    }
                    path.push_str(name);
                    kind = EntryKind::Whiteout;
                }
                Whiteout::Opaque(dir) => {
                    path.clear();
                    path.push_str(dir);
                    kind = EntryKind::OpaqueDir;
                }
                Whiteout::Invalid => {
                    stats.warn(
                        scratch.clone(),
                        "whiteout name hides nothing; entry skipped",
                    );
                    continue;
                }
            }
            if path.is_empty() && kind != EntryKind::OpaqueDir {
                // The root directory itself (`./`) carries nothing to analyse.
                continue;
            }
            let size = if kind == EntryKind::File {
                entry.size()
            } else {
                0
            };
            let result = if kind == EntryKind::File {
                let mut reader = StashingReader {
                    inner: (&mut entry).take(limits.max_file_bytes),
                    stash: &mut stash,
                };
                visit(&mut Entry {
                    path: &path,
                    kind,
                    size,
                    mode,
                    reader: &mut reader,
                })
            } else {
                visit(&mut Entry {
                    path: &path,
                    kind,
                    size,
                    mode,
                    reader: &mut io::empty(),
                })
            };
            if let Some(e) = stash.take() {
                return Err(stream_err(e));
            }
            result?;
        }
    }
    // Past the end-of-archive marker: drain so digest verification underneath runs.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(stream_err)?;
    stats.bytes = count.get();
    Ok(stats)
}

/// Directories deeper than this are not descended into (a warning is recorded).
const MAX_DIR_DEPTH: usize = 1024;

struct DirWalk<'v> {
    limits: Limits,
    what: String,
    stats: WalkStats,
    visit: &'v mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
    bytes: Cell<u64>,
}

/// Counts bytes a visitor reads from a file.
struct CountingRead<'a, R> {
    inner: R,
    count: &'a Cell<u64>,
}

impl<R: Read> Read for CountingRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

pub(crate) fn walk_dir_impl(
    root: &Path,
    limits: &Limits,
    visit: &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
) -> Result<WalkStats, ArtifactError> {
    let meta = fs_err::metadata(root).map_err(|err| ArtifactError::Io {
        path: root.to_owned(),
        err,
    })?;
    if !meta.is_dir() {
        return Err(ArtifactError::Io {
            path: root.to_owned(),
            err: io::Error::new(io::ErrorKind::InvalidInput, "not a directory"),
        });
    }
    let mut walk = DirWalk {
        limits: *limits,
        what: format!("Directory `{}`", root.display()),
        stats: WalkStats::default(),
        visit,
        bytes: Cell::new(0),
    };
    let mut rel = String::new();
    walk.dir(root, &mut rel, 0)?;
    walk.stats.bytes = walk.bytes.get();
    Ok(walk.stats)
}

impl DirWalk<'_> {
    /// Visits the children of `abs` (whose root-relative path is `rel`), sorted by name.
    fn dir(&mut self, abs: &Path, rel: &mut String, depth: usize) -> Result<(), ArtifactError> {
        let read = match std::fs::read_dir(abs) {
            Ok(r) => r,
            Err(e) => {
                self.stats
                    .warn(rel.clone(), format!("directory not readable: {e}"));
                return Ok(());
            }
        };
        let mut children = Vec::new();
        for child in read {
            match child {
                Ok(c) => children.push((c.file_name(), c)),
                Err(e) => self
                    .stats
                    .warn(rel.clone(), format!("directory listing failed: {e}")),
            }
        }
        children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (name, child) in children {
            let base = rel.len();
            if !rel.is_empty() {
                rel.push('/');
            }
            rel.push_str(&name.to_string_lossy());
            let r = self.entry(&child.path(), rel, depth);
            rel.truncate(base);
            r?;
        }
        Ok(())
    }

    fn entry(&mut self, abs: &Path, rel: &mut String, depth: usize) -> Result<(), ArtifactError> {
        self.stats.entries += 1;
        if self.stats.entries > self.limits.max_entries {
            return Err(ArtifactError::LimitExceeded {
                what: self.what.clone(),
                limit: LimitKind::Entries,
                value: self.limits.max_entries,
            });
        }
        // Never follows a symlink: lstat, and a file opened is checked to be the one stat'ed.
        let meta = match std::fs::symlink_metadata(abs) {
            Ok(m) => m,
            Err(e) => {
                self.stats.warn(rel.clone(), format!("not readable: {e}"));
                return Ok(());
            }
        };
        let mode = meta.permissions().mode() & 0o7777;
        let ft = meta.file_type();
        if ft.is_symlink() {
            let target = match std::fs::read_link(abs) {
                Ok(t) => t.to_string_lossy().into_owned(),
                Err(e) => {
                    self.stats
                        .warn(rel.clone(), format!("symlink not readable: {e}"));
                    return Ok(());
                }
            };
            let kind = EntryKind::Symlink { target };
            return (self.visit)(&mut Entry {
                path: rel,
                kind,
                size: 0,
                mode,
                reader: &mut io::empty(),
            });
        }
        if ft.is_dir() {
            (self.visit)(&mut Entry {
                path: rel,
                kind: EntryKind::Dir,
                size: 0,
                mode,
                reader: &mut io::empty(),
            })?;
            if depth >= MAX_DIR_DEPTH {
                self.stats.warn(
                    rel.clone(),
                    format!("deeper than {MAX_DIR_DEPTH} levels; not descended into"),
                );
                return Ok(());
            }
            return self.dir(abs, rel, depth + 1);
        }
        if !ft.is_file() {
            return (self.visit)(&mut Entry {
                path: rel,
                kind: EntryKind::Other,
                size: 0,
                mode,
                reader: &mut io::empty(),
            });
        }
        let file = match File::open(abs) {
            Ok(f) => f,
            Err(e) => {
                self.stats
                    .warn(rel.clone(), format!("file not readable: {e}"));
                return Ok(());
            }
        };
        match file.metadata() {
            Ok(m) if m.dev() == meta.dev() && m.ino() == meta.ino() => {}
            _ => {
                self.stats.warn(
                    rel.clone(),
                    "file changed while being walked; skipped".to_owned(),
                );
                return Ok(());
            }
        }
        let mut stash = None;
        let counted = CountingRead {
            inner: file.take(self.limits.max_file_bytes),
            count: &self.bytes,
        };
        let mut reader = StashingReader {
            inner: counted,
            stash: &mut stash,
        };
        let result = (self.visit)(&mut Entry {
            path: rel,
            kind: EntryKind::File,
            size: meta.len(),
            mode,
            reader: &mut reader,
        });
        if let Some(e) = stash {
            self.stats.warn(rel.clone(), format!("read failed: {e}"));
            return Ok(());
        }
        result
    }
}

impl WalkStats {
    pub(crate) fn warn(&mut self, path: String, reason: impl Into<String>) {
        tracing::debug!(path, "walk warning");
        self.warnings.push(WalkWarning {
            path,
            reason: reason.into(),
        });
    }
}
