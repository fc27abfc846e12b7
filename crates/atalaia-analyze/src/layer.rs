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
///
/// The walk itself is sequential (a tar stream has one reader), but with `workers > 1` the
/// files it reads are analysed on that many worker threads while the walk goes on: the walking
/// thread only reads bytes, so a layer of many files (or a large source tree) uses every core.
/// Files too big to hold are streamed on the walking thread, since their reader belongs to it.
/// The result does not depend on `workers`.
pub(crate) fn analyze_walk(
    analyzers: &[Arc<dyn Analyzer>],
    limits: &Limits,
    workers: usize,
    walk: impl FnOnce(
        &mut dyn FnMut(&mut Entry<'_>) -> Result<(), ArtifactError>,
    ) -> Result<WalkStats, ArtifactError>,
) -> Result<LayerAnalysis, ArtifactError> {
    if workers <= 1 {
        let mut inline = |job: FileJob| Dispatched::Done(analyze_file(analyzers, &job));
        let mut walker = Walker::new(analyzers, limits);
        let stats = walk(&mut |entry: &mut Entry<'_>| walker.visit(entry, &mut inline))?;
        return Ok(walker.finish(stats, Vec::new()));
    }
    // Jobs travel in batches: a tree of many tiny files (`node_modules`) would otherwise spend
    // more on waking a worker per file than on analysing it. Bounded, so the walk cannot run
    // ahead of the workers by more than a few batches (memory stays bounded by
    // `JOBS_PER_WORKER * workers` batches of at most `BATCH_FILES` files or `BATCH_BYTES` plus
    // one file of at most the per-file limit).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(u64, FileJob)>>(JOBS_PER_WORKER * workers);
    let rx = std::sync::Mutex::new(rx);
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done: Vec<(u64, String, FileNode)> = Vec::new();
                    loop {
                        // The lock is held only while waiting for the next batch.
                        let next = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok(batch) = next else { break };
                        for (seq, mut job) in batch {
                            let node = analyze_file(analyzers, &job);
                            job.bytes.clear();
                            if let Ok(mut spare) = spare.lock() {
                                if spare.len() < JOBS_PER_WORKER * workers {
                                    spare.push(std::mem::take(&mut job.bytes));
                                }
                            }
                            done.push((seq, job.path, node));
                        }
                    }
                    done
                })
            })
            .collect();
        let mut walker = Walker::new(analyzers, limits);
        let mut seq = 0u64;
        let mut batch: Vec<(u64, FileJob)> = Vec::new();
        let mut batch_bytes = 0usize;
        let result = {
            let walker = &mut walker;
            walk(&mut |entry: &mut Entry<'_>| {
                let mut send = |job: FileJob| {
                    seq += 1;
                    batch_bytes += job.bytes.len();
                    batch.push((seq, job));
                    if batch.len() >= BATCH_FILES || batch_bytes >= BATCH_BYTES {
                        // A send fails only if every worker is gone (a panic, re-raised at join).
                        let _ = tx.send(std::mem::take(&mut batch));
                        batch_bytes = 0;
                    }
                    Dispatched::Queued(seq)
                };
                walker.visit_with_buffer(entry, &mut send, &spare)
            })
        };
        if !batch.is_empty() {
            let _ = tx.send(std::mem::take(&mut batch));
        }
        drop(tx);
        let done: Vec<(u64, String, FileNode)> = handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect();
        let stats = result?;
        Ok(walker.finish(stats, done))
    })
}

/// Jobs queued per worker thread.
const JOBS_PER_WORKER: usize = 4;

/// Files per batch handed to a worker at most.
const BATCH_FILES: usize = 64;

/// A batch is handed over once its files hold this many bytes.
const BATCH_BYTES: usize = 256 * 1024;

/// A file read whole, to be handed to the analyzers that want it.
struct FileJob {
    path: String,
    bytes: Vec<u8>,
    mode: u32,
    /// Indexes of the analyzers that want it.
    wanting: Vec<usize>,
}

/// What became of a file handed to the analyzers.
enum Dispatched {
    /// Analysed on the walking thread.
    Done(FileNode),
    /// Queued for a worker, as job number `seq`.
    Queued(u64),
}

/// Runs the analyzers that want a file over its bytes.
fn analyze_file(analyzers: &[Arc<dyn Analyzer>], job: &FileJob) -> FileNode {
    let mut node = FileNode {
        analyzed: true,
        ..FileNode::default()
    };
    let input = FileInput {
        path: &job.path,
        bytes: &job.bytes,
        mode: job.mode,
    };
    for &i in &job.wanting {
        match analyzers[i].analyze(&input) {
            Ok(findings) => node.findings.extend(findings),
            Err(AnalyzeError::Parse { reason, .. }) => {
                node.warnings
                    .push(format!("{}: {reason}", analyzers[i].name()));
            }
            Err(e) => node.warnings.push(format!("{}: {e}", analyzers[i].name())),
        }
    }
    node
}

/// The walking side of [`analyze_walk`]: records every entry, reads wanted files and hands them
/// to a `dispatch` function (inline or to workers), and streams the big ones itself.
struct Walker<'a> {
    analyzers: &'a [Arc<dyn Analyzer>],
    limits: &'a Limits,
    out: LayerAnalysis,
    /// Sizes of the files analysed so far, for hard links to them (link entries have no size).
    sizes: std::collections::HashMap<String, u64>,
    /// Hard links, in walk order, resolved once every file's findings are in.
    links: Vec<(String, String, u64, u32)>,
    /// The latest job sent for a path still waiting for its result (a path may appear twice
    /// in one tar; the last entry wins).
    pending: std::collections::HashMap<String, u64>,
}

impl<'a> Walker<'a> {
    fn new(analyzers: &'a [Arc<dyn Analyzer>], limits: &'a Limits) -> Self {
        Walker {
            analyzers,
            limits,
            out: LayerAnalysis::default(),
            sizes: std::collections::HashMap::new(),
            links: Vec::new(),
            pending: std::collections::HashMap::new(),
        }
    }

    fn visit(
        &mut self,
        entry: &mut Entry<'_>,
        dispatch: &mut dyn FnMut(FileJob) -> Dispatched,
    ) -> Result<(), ArtifactError> {
        self.visit_inner(entry, dispatch, None)
    }

    fn visit_with_buffer(
        &mut self,
        entry: &mut Entry<'_>,
        dispatch: &mut dyn FnMut(FileJob) -> Dispatched,
        spare: &std::sync::Mutex<Vec<Vec<u8>>>,
    ) -> Result<(), ArtifactError> {
        self.visit_inner(entry, dispatch, Some(spare))
    }

    fn insert(&mut self, path: &str, node: Node) {
        if !self.pending.is_empty() {
            self.pending.remove(path);
        }
        self.out.entries.insert(path.to_owned(), node);
    }

    fn visit_inner(
        &mut self,
        entry: &mut Entry<'_>,
        dispatch: &mut dyn FnMut(FileJob) -> Dispatched,
        spare: Option<&std::sync::Mutex<Vec<Vec<u8>>>>,
    ) -> Result<(), ArtifactError> {
        let path = entry.path;
        match &entry.kind {
            EntryKind::Dir => self.insert(path, Node::Dir),
            EntryKind::Symlink { target } => self.insert(path, Node::Symlink(target.clone())),
            EntryKind::Whiteout => {
                self.out.whiteouts.insert(path.to_owned());
            }
            EntryKind::OpaqueDir => {
                self.out.opaque_dirs.insert(path.to_owned());
            }
            EntryKind::Other => self.insert(path, Node::Other),
            EntryKind::Hardlink { target } => {
                let size = self.sizes.get(target.as_str()).copied().unwrap_or(0);
                self.links
                    .push((path.to_owned(), target.clone(), size, entry.mode));
                self.insert(path, Node::Hardlink(target.clone()));
            }
            EntryKind::File => {
                let analyzers = self.analyzers;
                let limits = self.limits;
                let wanting: Vec<usize> = analyzers
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.wants(path, entry.size, entry.mode))
                    .map(|(i, _)| i)
                    .collect();
                let over = entry.size > limits.max_file_bytes;
                let all_stream = wanting.iter().all(|&i| analyzers[i].streams());
                if wanting.is_empty() {
                    // Nobody wants it: the walker skips its bytes.
                    self.insert(path, Node::File(FileNode::default()));
                } else if over || (all_stream && entry.size > STREAM_OVER_BYTES) {
                    // Too big to hold: streaming analyzers read it in bounded memory (up to the
                    // per-file limit, where the walker's reader ends); the others skip it.
                    let mut node = FileNode::default();
                    if over && !all_stream {
                        node.warnings.push(format!(
                            "not analysed: {} bytes is over the per-file limit of {} bytes (raise it with `--max-file-bytes`)",
                            entry.size, limits.max_file_bytes
                        ));
                    }
                    if let Some(&i) = wanting.iter().find(|&&i| analyzers[i].streams()) {
                        let a = &analyzers[i];
                        node.analyzed = true;
                        self.out.files_read += 1;
                        self.out.bytes_read += entry.size.min(limits.max_file_bytes);
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
                    self.insert(path, Node::File(node));
                } else {
                    let mut bytes = spare
                        .and_then(|s| s.lock().ok().and_then(|mut s| s.pop()))
                        .unwrap_or_default();
                    // `size` comes from the archive; cap the reservation by the limit.
                    bytes.reserve(
                        usize::try_from(entry.size.min(limits.max_file_bytes)).unwrap_or(0),
                    );
                    entry
                        .reader
                        .read_to_end(&mut bytes)
                        .map_err(|err| ArtifactError::Visit {
                            path: path.to_owned(),
                            err: Box::new(err),
                        })?;
                    self.out.files_read += 1;
                    self.out.bytes_read += bytes.len() as u64;
                    self.sizes.insert(path.to_owned(), entry.size);
                    let job = FileJob {
                        path: path.to_owned(),
                        bytes,
                        mode: entry.mode,
                        wanting,
                    };
                    match dispatch(job) {
                        Dispatched::Done(node) => self.insert(path, Node::File(node)),
                        Dispatched::Queued(seq) => {
                            // A placeholder until the worker's result arrives in `finish`.
                            let placeholder = FileNode {
                                analyzed: true,
                                ..FileNode::default()
                            };
                            self.insert(path, Node::File(placeholder));
                            self.pending.insert(path.to_owned(), seq);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Puts the workers' results in place (only where the entry is still the one they were
    /// computed for), resolves hard links in walk order, and adds the walk's statistics.
    fn finish(mut self, stats: WalkStats, done: Vec<(u64, String, FileNode)>) -> LayerAnalysis {
        for (seq, path, node) in done {
            if self.pending.get(&path) == Some(&seq) {
                self.out.entries.insert(path, Node::File(node));
            }
        }
        for (path, target, size, mode) in std::mem::take(&mut self.links) {
            // Skip links a later entry of the same path replaced.
            if !matches!(self.out.entries.get(&path), Some(Node::Hardlink(t)) if *t == target) {
                continue;
            }
            let node = hardlink_node(
                self.analyzers,
                &self.out.entries,
                &path,
                &target,
                size,
                mode,
            );
            self.out.entries.insert(path, node);
        }
        let mut out = self.out;
        out.entry_count = stats.entries;
        out.warnings = stats
            .warnings
            .into_iter()
            .map(|w| format!("{}: {}", w.path, w.reason))
            .collect();
        out
    }
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
        | Finding::Secret(_)
        | Finding::ConfigFile(_)
        | Finding::Manifest(_) => {}
        Finding::Pom(model) => fix(&mut model.path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApkAnalyzer, OsReleaseAnalyzer};

    /// Walks a list of (path, kind, content) as if it were a layer, inline and with worker
    /// threads, and checks both give the same result.
    fn walk(items: &[(&str, EntryKind, &str)], limits: &Limits) -> LayerAnalysis {
        let inline = walk_with(items, limits, 1);
        for workers in [2, 3] {
            assert_eq!(
                walk_with(items, limits, workers),
                inline,
                "{workers} workers"
            );
        }
        inline
    }

    fn walk_with(
        items: &[(&str, EntryKind, &str)],
        limits: &Limits,
        workers: usize,
    ) -> LayerAnalysis {
        let analyzers: Vec<Arc<dyn Analyzer>> =
            vec![Arc::new(OsReleaseAnalyzer), Arc::new(ApkAnalyzer)];
        analyze_walk(&analyzers, limits, workers, |visit| {
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
    fn a_path_repeated_in_one_layer_keeps_its_last_entry_with_workers_too() {
        // Each repetition is queued to a worker; only the last entry's result may stand, and a
        // hard link sees the findings of the file as it was when the walk ended.
        let l = walk(
            &[
                ("etc/alpine-release", EntryKind::File, "3.19.1\n"),
                ("etc/alpine-release", EntryKind::File, "3.20.3\n"),
                (
                    "usr/lib/os-release",
                    EntryKind::Hardlink {
                        target: "etc/alpine-release".into(),
                    },
                    "",
                ),
                (
                    "etc/os-release",
                    EntryKind::File,
                    "ID=alpine\nVERSION_ID=3.18.0\n",
                ),
                ("etc/os-release", EntryKind::Dir, ""),
            ],
            &Limits::default(),
        );
        let release = |node: &Node| match node {
            Node::File(f) => f
                .findings
                .iter()
                .find_map(|f| match f {
                    Finding::Os(os) => Some(os.version.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        assert_eq!(release(&l.entries["etc/alpine-release"]), "3.20.3");
        assert_eq!(release(&l.entries["usr/lib/os-release"]), "3.20.3");
        assert_eq!(l.entries["etc/os-release"], Node::Dir);
        assert_eq!(l.files_read, 3);
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
