//! Walking a tar stream or a directory, handing each entry to a visitor once.
//!
//! The tar walk is a function of any `impl Read` so that it can be fuzzed. It reads the stream
//! exactly once, front to back, through one 256 KiB buffer; bytes of an entry the visitor does not
//! read are skipped by seeking forward inside that buffer, never copied out of it. After the
//! end-of-archive marker the rest of the stream is drained, so a verifying reader underneath (see
//! [`crate::Layer::open`]) sees its end and checks its digests.
//!
//! Stream errors are never swallowed: if a visitor's read fails because the stream under it
//! failed (truncation, a digest mismatch, a limit), the walk returns that error even when the
//! visitor ignored it.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};
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

/// The walk's read buffer: a `BufReader` that can also seek forward, so that `tar` skips the bytes
/// of entries nobody reads by moving a position inside the buffer, instead of copying them out
/// 32 KiB at a time (most of a layer's bytes are skipped). Only `SeekFrom::Current(n >= 0)` is
/// supported; the position it returns is the number of bytes consumed so far, as `tar` expects.
struct StreamBuf<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    /// Bytes handed out or skipped, from the start of the stream.
    offset: u64,
}

impl<R: Read> StreamBuf<R> {
    fn new(inner: R, capacity: usize) -> Self {
        StreamBuf {
            inner,
            buf: vec![0u8; capacity].into_boxed_slice(),
            pos: 0,
            filled: 0,
            offset: 0,
        }
    }

    /// Refills the buffer when it is used up; returns the bytes available (empty at the end).
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.filled {
            self.pos = 0;
            self.filled = 0;
            self.filled = loop {
                match self.inner.read(&mut self.buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    r => break r?,
                }
            };
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    /// Skips `n` bytes; an error if the stream ends first.
    fn skip(&mut self, mut n: u64) -> io::Result<()> {
        loop {
            let avail = (self.filled - self.pos) as u64;
            if n <= avail {
                self.pos += n as usize;
                self.offset += n;
                return Ok(());
            }
            n -= avail;
            self.offset += avail;
            self.pos = self.filled;
            if self.fill()?.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the tar stream ends inside an entry",
                ));
            }
        }
    }

    /// Reads and discards everything left.
    fn drain(&mut self) -> io::Result<()> {
        while !self.fill()?.is_empty() {
            self.offset += (self.filled - self.pos) as u64;
            self.pos = self.filled;
        }
        Ok(())
    }
}

impl<R: Read> Read for StreamBuf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = if self.pos >= self.filled && out.len() >= self.buf.len() {
            // A large read with an empty buffer goes straight through.
            self.inner.read(out)?
        } else {
            let avail = self.fill()?;
            let n = avail.len().min(out.len());
            out[..n].copy_from_slice(&avail[..n]);
            self.pos += n;
            n
        };
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R: Read> io::Seek for StreamBuf<R> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        match to {
            io::SeekFrom::Current(n) if n >= 0 => {
                self.skip(n as u64)?;
                Ok(self.offset)
            }
            _ => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "a layer stream only seeks forward",
            )),
        }
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
    let mut archive = tar::Archive::new(StreamBuf::new(counter, STREAM_BUFFER));
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
        let entries = archive.entries_with_seek().map_err(stream_err)?;
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
    archive.into_inner().drain().map_err(stream_err)?;
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
            // `DirEntry::metadata` is an lstat relative to the open directory: no path walk
            // from the root for each of a tree's many thousand files.
            let r = self.entry(&child.path(), child.metadata(), rel, depth);
            rel.truncate(base);
            r?;
        }
        Ok(())
    }

    fn entry(
        &mut self,
        abs: &Path,
        meta: io::Result<std::fs::Metadata>,
        rel: &mut String,
        depth: usize,
    ) -> Result<(), ArtifactError> {
        self.stats.entries += 1;
        if self.stats.entries > self.limits.max_entries {
            return Err(ArtifactError::LimitExceeded {
                what: self.what.clone(),
                limit: LimitKind::Entries,
                value: self.limits.max_entries,
            });
        }
        // Never follows a symlink: lstat, and a file opened is checked to be the one stat'ed.
        let meta = match meta {
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
        // Opened only when the visitor reads: most files of a tree are skipped by path.
        let file = LazyFile {
            path: abs,
            dev: meta.dev(),
            ino: meta.ino(),
            file: None,
        };
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

/// A walked file, opened on its first read and checked to be the one the walk stat'ed (a file
/// swapped for a symlink or another file in between is not read).
struct LazyFile<'p> {
    path: &'p Path,
    dev: u64,
    ino: u64,
    file: Option<File>,
}

impl Read for LazyFile<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.file.is_none() {
            let file = File::open(self.path)?;
            let m = file.metadata()?;
            if m.dev() != self.dev || m.ino() != self.ino {
                return Err(io::Error::other("file changed while being walked; skipped"));
            }
            self.file = Some(file);
        }
        match self.file.as_mut() {
            Some(f) => f.read(buf),
            None => Ok(0),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, SeekFrom};

    /// A reader that hands out at most 5 bytes per call.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(5).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn stream_buf_reads_skips_and_counts() {
        let data: Vec<u8> = (0..100u8).collect();
        let mut s = StreamBuf::new(Trickle(&data), 8);
        let mut b = [0u8; 3];
        s.read_exact(&mut b).unwrap();
        assert_eq!(b, [0, 1, 2]);
        // Within the buffer, then across several refills.
        assert_eq!(s.seek(SeekFrom::Current(1)).unwrap(), 4);
        assert_eq!(s.stream_position().unwrap(), 4);
        assert_eq!(s.seek(SeekFrom::Current(40)).unwrap(), 44);
        s.read_exact(&mut b).unwrap();
        assert_eq!(b, [44, 45, 46]);
        // A read larger than the buffer.
        let mut big = [0u8; 20];
        let mut got = 0;
        while got < big.len() {
            got += s.read(&mut big[got..]).unwrap();
        }
        assert_eq!(big[0], 47);
        assert_eq!(big[19], 66);
        assert_eq!(s.stream_position().unwrap(), 67);
        // Only forward, relative seeks.
        assert!(s.seek(SeekFrom::Current(-1)).is_err());
        assert!(s.seek(SeekFrom::Start(0)).is_err());
        assert!(s.seek(SeekFrom::End(0)).is_err());
        // Past the end is an error; the rest drains.
        let e = s.seek(SeekFrom::Current(1000)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        s.drain().unwrap();
        assert_eq!(s.read(&mut b).unwrap(), 0);
    }
}
