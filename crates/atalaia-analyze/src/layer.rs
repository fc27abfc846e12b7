//! One pass over one layer (or one directory tree): every entry is offered to the analyzers, each
//! wanted file is read once into a reused buffer and handed to the analyzers that want it, and
//! the layer's own view of the filesystem is recorded.
//!
//! The result, [`LayerAnalysis`], depends only on the layer's bytes and the analyzers' versions,
//! so it is what a layer cache stores (keyed by diff ID and [`crate::analyzer_versions`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use atalaia_artifact::{ArtifactError, Entry, EntryKind, Limits, WalkStats};
use serde::{Deserialize, Serialize};

use crate::{AnalyzeError, Analyzer, FileInput, Finding};

/// Files bigger than this are streamed (not held in memory) when only streaming analyzers
/// want them.
const STREAM_OVER_BYTES: u64 = 8 << 20;

/// A regular file of a layer (or a hard link to one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileNode {
    /// Whether analyzers read the file. Files nobody wants are recorded anyway: an upper layer's
    /// file at a path hides what a lower layer's file there produced.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub analyzed: bool,
    /// What the analyzers found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// Why the file could not be (fully) analysed: too large, unparsable, an analyzer's partial
    /// read. Reported only if the file is in the final filesystem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One path of a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// A regular file.
    File(FileNode),
    /// A directory.
    Dir,
    /// A symbolic link, target as stored (absolute or relative).
    Symlink(String),
    /// A hard link whose target was not analysed (so it carries no findings); its target path.
    Hardlink(String),
    /// A device, fifo or socket.
    Other,
}

impl Node {
    /// The findings of a file; none for anything else.
    pub fn findings(&self) -> &[Finding] {
        match self {
            Node::File(f) => &f.findings,
            _ => &[],
        }
    }
}

/// What one layer holds, as far as analysis is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerAnalysis {
    /// Every path of the layer (normalised, no leading `/`) with what is there.
    pub entries: BTreeMap<String, Node>,
    /// Paths deleted from lower layers (`.wh.NAME`), with everything under them.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub whiteouts: BTreeSet<String>,
    /// Directories whose lower-layer contents are hidden (`.wh..wh..opq`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub opaque_dirs: BTreeSet<String>,
    /// Problems with the layer as a whole that did not stop the walk (entries the walker
    /// skipped), as `path: reason`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Entries seen.
    pub entry_count: u64,
    /// Files read and handed to analyzers.
    pub files_read: u64,
    /// Bytes read and handed to analyzers.
    pub bytes_read: u64,
}

/// Walks one layer with `walk` (a closure over [`atalaia_artifact::walk_tar`] or
/// [`atalaia_artifact::walk_dir`]) and runs `analyzers` over the files they want.
pub(crate) fn analyze_walk(
    analyzers: &[Arc<dyn Analyzer>],
    limits: &Limits,
    walk: impl FnOnce(
        &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
    ) -> Result<WalkStats, ArtifactError>,
) -> Result<LayerAnalysis, ArtifactError> {
    let mut out = LayerAnalysis::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut wanting: Vec<usize> = Vec::with_capacity(analyzers.len());
    // Sizes of the files analysed so far, for hard links to them (link entries have no size).
    let mut sizes: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let stats = walk(&mut |entry: &mut Entry<'_>| {
        let path = entry.path;
        match &entry.kind {
            EntryKind::Dir => {
                out.entries.insert(path.to_owned(), Node::Dir);
            }
            EntryKind::Symlink { target } => {
                out.entries
                    .insert(path.to_owned(), Node::Symlink(target.clone()));
            }
            EntryKind::Whiteout => {
                out.whiteouts.insert(path.to_owned());
            }
            EntryKind::OpaqueDir => {
                out.opaque_dirs.insert(path.to_owned());
            }
            EntryKind::Other => {
                out.entries.insert(path.to_owned(), Node::Other);
            }
            EntryKind::Hardlink { target } => {
                let size = sizes.get(target.as_str()).copied().unwrap_or(0);
                let node = hardlink_node(analyzers, &out.entries, path, target, size, entry.mode);
                out.entries.insert(path.to_owned(), node);
            }
            EntryKind::File => {
                wanting.clear();
                wanting.extend(
                    analyzers
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.wants(path, entry.size, entry.mode))
                        .map(|(i, _)| i),
                );
                let mut node = FileNode::default();
                let over = entry.size > limits.max_file_bytes;
                let all_stream = wanting.iter().all(|&i| analyzers[i].streams());
                if wanting.is_empty() {
                    // Nobody wants it: the walker skips its bytes.
                } else if over || (all_stream && entry.size > STREAM_OVER_BYTES) {
                    // Too big to hold: streaming analyzers read it in bounded memory (up to the
                    // per-file limit, where the walker's reader ends); the others skip it.
                    if over && !all_stream {
                        node.warnings.push(format!(
                            "not analysed: {} bytes is over the per-file limit of {} bytes (raise it with `--max-file-bytes`)",
                            entry.size, limits.max_file_bytes
                        ));
                    }
                    if let Some(&i) = wanting.iter().find(|&&i| analyzers[i].streams()) {
                        let a = &analyzers[i];
                        node.analyzed = true;
                        out.files_read += 1;
                        out.bytes_read += entry.size.min(limits.max_file_bytes);
                        match a.analyze_stream(path, &mut *entry.reader) {
                            Ok(findings) => node.findings.extend(findings),
                            Err(e) => node.warnings.push(format!("{}: {e}", a.name())),
                        }
                        if over {
                            node.warnings.push(format!(
                                "{}: read only the first {} bytes of {} (the per-file limit; raise it with `--max-file-bytes`)",
                                a.name(),
                                limits.max_file_bytes,
                                entry.size
                            ));
                        }
                    }
                } else {
                    buf.clear();
                    // `size` comes from the archive; cap the reservation by the limit.
                    buf.reserve(
                        usize::try_from(entry.size.min(limits.max_file_bytes)).unwrap_or(0),
                    );
                    entry
                        .reader
                        .read_to_end(&mut buf)
                        .map_err(|err| ArtifactError::Visit {
                            path: path.to_owned(),
                            err: Box::new(err),
                        })?;
                    out.files_read += 1;
                    out.bytes_read += buf.len() as u64;
                    node.analyzed = true;
                    sizes.insert(path.to_owned(), entry.size);
                    let input = FileInput {
                        path,
                        bytes: &buf,
                        mode: entry.mode,
                    };
                    for &i in &wanting {
                        match analyzers[i].analyze(&input) {
                            Ok(findings) => node.findings.extend(findings),
                            Err(AnalyzeError::Parse { reason, .. }) => {
                                node.warnings
                                    .push(format!("{}: {reason}", analyzers[i].name()));
                            }
                            Err(e) => node.warnings.push(format!("{}: {e}", analyzers[i].name())),
                        }
                    }
                }
                out.entries.insert(path.to_owned(), Node::File(node));
            }
        }
        Ok(())
    })?;
    out.entry_count = stats.entries;
    out.warnings = stats
        .warnings
        .into_iter()
        .map(|w| format!("{}: {}", w.path, w.reason))
        .collect();
    Ok(out)
}

/// A hard link gets its target's findings when the target was analysed in this layer and an
/// analyzer wants the link's own path too (with application paths renamed to the link's).
fn hardlink_node(
    analyzers: &[Arc<dyn Analyzer>],
    entries: &BTreeMap<String, Node>,
    path: &str,
    target: &str,
    size: u64,
    mode: u32,
) -> Node {
    match entries.get(target) {
        Some(Node::File(t)) if t.analyzed => {
            if !analyzers.iter().any(|a| a.wants(path, size, mode)) {
                return Node::File(FileNode::default());
            }
            let mut node = t.clone();
            for f in &mut node.findings {
                rename_finding(f, target, path);
            }
            Node::File(node)
        }
        Some(Node::File(_)) => {
            let mut node = FileNode::default();
            if analyzers.iter().any(|a| a.wants(path, size, mode)) {
                node.warnings.push(format!(
                    "not analysed: hard link to `/{target}`, which no analyzer read"
                ));
            }
            Node::File(node)
        }
        _ => Node::Hardlink(target.to_owned()),
    }
}

/// Rewrites paths naming `from` in a finding copied to the hard link `to`.
pub(crate) fn rename_finding(f: &mut Finding, from: &str, to: &str) {
    let fix = |p: &mut String| {
        if p == from {
            to.clone_into(p);
        } else if p.strip_prefix('/') == Some(from) {
            *p = format!("/{to}");
        }
    };
    match f {
        Finding::Application(app) => {
            fix(&mut app.file_path);
            for p in &mut app.packages {
                fix(&mut p.file_path);
            }
        }
        Finding::Os(os) => {
            if let Some(s) = os.source.as_mut() {
                fix(s);
            }
        }
        Finding::OsPackages(_)
        | Finding::InstalledFiles { .. }
        | Finding::Warning { .. }
        | Finding::Secret(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApkAnalyzer, OsReleaseAnalyzer};

    /// Walks a list of (path, kind, content) as if it were a layer.
    fn walk(items: &[(&str, EntryKind, &str)], limits: &Limits) -> LayerAnalysis {
        let analyzers: Vec<Arc<dyn Analyzer>> =
            vec![Arc::new(OsReleaseAnalyzer), Arc::new(ApkAnalyzer)];
        analyze_walk(&analyzers, limits, |visit| {
            for (path, kind, content) in items {
                let mut reader = content.as_bytes();
                let mut e = Entry {
                    path,
                    kind: kind.clone(),
                    size: content.len() as u64,
                    mode: 0o644,
                    reader: &mut reader,
                };
                visit(&mut e)?;
            }
            Ok(WalkStats {
                entries: items.len() as u64,
                ..WalkStats::default()
            })
        })
        .unwrap()
    }

    #[test]
    fn records_every_entry_and_reads_only_wanted_files() {
        let l = walk(
            &[
                ("etc", EntryKind::Dir, ""),
                ("etc/alpine-release", EntryKind::File, "3.20.3\n"),
                ("etc/motd", EntryKind::File, "hello"),
                (
                    "etc/alpine-release.bak",
                    EntryKind::Hardlink {
                        target: "etc/alpine-release".into(),
                    },
                    "",
                ),
                (
                    "lib/apk/db/installed",
                    EntryKind::Hardlink {
                        target: "etc/motd".into(),
                    },
                    "",
                ),
                (
                    "usr/lib/os-release",
                    EntryKind::Symlink {
                        target: "../../etc/os-release".into(),
                    },
                    "",
                ),
                ("var/gone", EntryKind::Whiteout, ""),
                ("opt", EntryKind::OpaqueDir, ""),
                ("dev/null", EntryKind::Other, ""),
            ],
            &Limits::default(),
        );
        assert_eq!((l.entry_count, l.files_read, l.bytes_read), (9, 1, 7));
        assert!(
            matches!(&l.entries["etc/alpine-release"], Node::File(f) if f.analyzed && f.findings.len() == 1)
        );
        assert_eq!(l.entries["etc/motd"], Node::File(FileNode::default()));
        // A link no analyzer wants carries nothing; a wanted link to an unread file warns.
        assert_eq!(
            l.entries["etc/alpine-release.bak"],
            Node::File(FileNode::default())
        );
        assert!(
            matches!(&l.entries["lib/apk/db/installed"], Node::File(f) if f.warnings.len() == 1 && !f.analyzed)
        );
        assert_eq!(
            l.entries["usr/lib/os-release"],
            Node::Symlink("../../etc/os-release".into())
        );
        assert_eq!(l.entries["dev/null"], Node::Other);
        assert!(l.whiteouts.contains("var/gone") && l.opaque_dirs.contains("opt"));
    }

    #[test]
    fn parse_errors_and_oversized_files_become_file_warnings() {
        let limits = Limits {
            max_file_bytes: 16,
            ..Limits::default()
        };
        let l = walk(
            &[
                ("lib/apk/db/installed", EntryKind::File, "garbage\n"),
                (
                    "etc/os-release",
                    EntryKind::File,
                    "ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine\"\n",
                ),
            ],
            &limits,
        );
        let Node::File(db) = &l.entries["lib/apk/db/installed"] else {
            panic!()
        };
        assert!(db.analyzed && db.findings.is_empty());
        assert!(
            db.warnings[0].starts_with("apk: line 1"),
            "{:?}",
            db.warnings
        );
        let Node::File(big) = &l.entries["etc/os-release"] else {
            panic!()
        };
        assert!(
            !big.analyzed && big.warnings[0].contains("per-file limit"),
            "{:?}",
            big.warnings
        );
    }
}
