//! The builder: walk the feed directories, recognise and parse every file, name the sources,
//! merge aliases into vulnerabilities, and write the SQLite file atomically.
//!
//! **Sources.** A source is the shallowest folder under a `--from` directory whose loaded files
//! all have one format and one issuer (OSV ID prefix, secdb distribution …): given
//! `vulndata/`, that yields `osv/pypa`, `osv/go`, `alpine-secdb`, `debian-tracker/DSA`,
//! `npm/vuln/core` … from the content alone. A `--from` directory that is one feed is named
//! after itself.
//!
//! **Aliases.** IDs a record says are the same (`id` + `aliases`) are unioned, except that two
//! different CVEs are never merged (an advisory listing two CVEs is stored under both). The
//! canonical ID of a group is its CVE, else its GHSA, else its smallest ID. Errata (DSA, DLA,
//! ALSA) are not aliases of the CVEs they fix: each CVE gets its own advisory row carrying the
//! errata's ID as `vendor_id`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::feed::{self, Detected, FeedRecord, FileOutput, Format, RecordKind};
use crate::model::{Advisory, Meta, SeverityEntry, SourceMeta, Vulnerability};
use crate::store::{Writer, SCHEMA_VERSION};
use crate::{normalize_package_name, VulnDbError};

/// Knobs of [`build`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BuildOptions {
    /// The build time to record (RFC 3339); now when `None`. Set it for reproducible files.
    pub built_at: Option<String>,
    /// Stop at the first feed file that fails to parse instead of recording it and going on.
    pub strict: bool,
    /// Parser threads; the available parallelism (at most 8) when 0.
    pub threads: usize,
}

impl BuildOptions {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`BuildOptions::built_at`].
    #[must_use]
    pub fn built_at(mut self, at: impl Into<String>) -> Self {
        self.built_at = Some(at.into());
        self
    }

    /// Sets [`BuildOptions::strict`].
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Sets [`BuildOptions::threads`].
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }
}

/// A file recognised but not loaded, or not loadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The file.
    pub path: PathBuf,
    /// Why it was not loaded.
    pub reason: String,
}

/// What [`build`] did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BuildSummary {
    /// The file written.
    pub output: PathBuf,
    /// The sources loaded (also in the database's `sources` table).
    pub sources: Vec<SourceMeta>,
    /// Vulnerabilities written (after alias merging).
    pub vulnerabilities: u64,
    /// Advisory rows written.
    pub advisories: u64,
    /// Files whose content matched no known format.
    pub unknown_files: Vec<PathBuf>,
    /// Files recognised and deliberately not loaded (aggregate indexes, schemas, duplicates).
    pub skipped_files: Vec<SkippedFile>,
    /// Files recognised as a feed that failed to parse (with [`BuildOptions::strict`] off).
    pub failed_files: Vec<SkippedFile>,
    /// Entries left out of loaded files, and why.
    pub warnings: Vec<String>,
    /// Wall-clock time of the build.
    pub elapsed: Duration,
}

struct Parsed {
    root: usize,
    rel: PathBuf,
    format: Format,
    output: FileOutput,
}

enum Outcome {
    Parsed(Box<Parsed>),
    Unknown(PathBuf),
    Skipped(SkippedFile),
    Failed(SkippedFile, VulnDbError),
}

/// Builds the database at `output` from the feed directories (or files) in `sources`.
///
/// The file is written beside `output` under a temporary name, fsynced and renamed over it, so a
/// reader never sees a partial file and a failed build leaves the old one in place.
pub fn build(
    sources: &[PathBuf],
    output: &Path,
    opts: &BuildOptions,
) -> Result<BuildSummary, VulnDbError> {
    let start = Instant::now();
    if sources.is_empty() {
        return Err(VulnDbError::NoSources);
    }
    let mut files = Vec::new();
    for (i, root) in sources.iter().enumerate() {
        let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => VulnDbError::MissingSource { path: root.clone() },
            _ => VulnDbError::io(root, e),
        })?;
        if meta.is_dir() {
            walk(root, root, i, &mut files)?;
        } else {
            files.push((i, root.clone(), PathBuf::new()));
        }
    }

    let outcomes = parse_all(&files, opts)?;

    let mut summary = BuildSummary {
        output: output.to_owned(),
        sources: Vec::new(),
        vulnerabilities: 0,
        advisories: 0,
        unknown_files: Vec::new(),
        skipped_files: Vec::new(),
        failed_files: Vec::new(),
        warnings: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let mut parsed = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Parsed(p) => parsed.push(*p),
            Outcome::Unknown(p) => summary.unknown_files.push(p),
            Outcome::Skipped(s) => summary.skipped_files.push(s),
            Outcome::Failed(s, e) => {
                if opts.strict {
                    return Err(e);
                }
                summary.failed_files.push(s);
            }
        }
    }

    // Name the sources and count what each yielded.
    let names = source_names(sources, &parsed);
    let mut source_meta: BTreeMap<String, SourceMeta> = BTreeMap::new();
    for (p, name) in parsed.iter_mut().zip(&names) {
        let m = source_meta
            .entry(name.clone())
            .or_insert_with(|| SourceMeta {
                name: name.clone(),
                format: p.format.as_str().to_owned(),
                revision: None,
                files: 0,
                records: 0,
                withdrawn: 0,
            });
        m.files += 1;
        m.records += p.output.record_count;
        m.withdrawn += p.output.withdrawn;
        if let Some(r) = &p.output.revision {
            if m.revision.as_ref().is_none_or(|old| r > old) {
                m.revision = Some(r.clone());
            }
        }
        summary.warnings.append(&mut p.output.warnings);
    }

    // Alias groups.
    let mut groups = Groups::default();
    for p in &parsed {
        for r in &p.output.records {
            match r.kind {
                RecordKind::Advisory => {
                    let a = groups.node(&r.id);
                    for alias in &r.aliases {
                        let b = groups.node(alias);
                        groups.union(a, b);
                    }
                }
                RecordKind::Errata => {
                    groups.node(&r.id);
                    for c in &r.cves {
                        groups.node(c);
                    }
                }
                RecordKind::Enrichment => {
                    groups.node(&r.id);
                }
            }
        }
    }
    let canonical = groups.canonical_ids();

    // Vulnerabilities and advisories.
    let mut vulns: HashMap<usize, Acc> = HashMap::new();
    let mut advisories = Vec::new();
    for pass in [false, true] {
        for (p, source) in parsed.iter().zip(&names) {
            for r in &p.output.records {
                if (r.kind == RecordKind::Enrichment) != pass {
                    continue;
                }
                let roots = roots_of(&mut groups, r);
                for &root in &roots {
                    let carries_details = r.kind != RecordKind::Errata || r.cves.is_empty();
                    let acc = vulns.entry(root).or_default();
                    if carries_details {
                        acc.add(r);
                    }
                    for a in &r.affected {
                        let vulnerability_id = canonical[&root].clone();
                        let vendor_id = (r.id != vulnerability_id).then(|| r.id.clone());
                        advisories.push(Advisory {
                            package: normalize_package_name(&a.namespace, &a.package),
                            namespace: a.namespace.clone(),
                            package_as_written: a.package.clone(),
                            vulnerability_id,
                            vendor_id,
                            source: source.clone(),
                            status: a.status,
                            ranges: a.ranges.clone(),
                            versions: crate::covered::uncovered_versions(&a.ranges, &a.versions),
                            requirements: a.requirements.clone(),
                            fixed_versions: a.fixed_versions.clone(),
                            severity: a.severity.clone(),
                            extra: a.extra.clone(),
                        });
                    }
                }
            }
        }
    }
    let members = groups.members();
    let mut vulnerabilities: Vec<Vulnerability> = vulns
        .into_iter()
        .map(|(root, acc)| {
            let id = canonical[&root].clone();
            let aliases = members
                .get(&root)
                .map(|m| m.iter().filter(|a| **a != id).cloned().collect())
                .unwrap_or_default();
            acc.into_vulnerability(id, aliases)
        })
        .collect();
    vulnerabilities.sort_by(|a, b| a.id.cmp(&b.id));
    advisories.sort_by(|a, b| {
        (&a.namespace, &a.package, &a.vulnerability_id, &a.vendor_id).cmp(&(
            &b.namespace,
            &b.package,
            &b.vulnerability_id,
            &b.vendor_id,
        ))
    });

    let built_at = match &opts.built_at {
        Some(t) => t.clone(),
        None => time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| "unknown".to_owned()),
    };
    let meta = Meta {
        schema_version: SCHEMA_VERSION,
        built_at,
        sources: source_meta.into_values().collect(),
    };

    write_atomically(output, |tmp| {
        let mut w = Writer::create(tmp)?;
        w.meta(&meta)?;
        for v in &vulnerabilities {
            w.vulnerability(v)?;
        }
        for group in
            advisories.chunk_by(|a, b| a.namespace == b.namespace && a.package == b.package)
        {
            w.package(&group[0].namespace, &group[0].package, group)?;
        }
        w.finish()
    })?;

    summary.sources = meta.sources;
    summary.vulnerabilities = vulnerabilities.len() as u64;
    summary.advisories = advisories.len() as u64;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

fn walk(
    root: &Path,
    dir: &Path,
    index: usize,
    files: &mut Vec<(usize, PathBuf, PathBuf)>,
) -> Result<(), VulnDbError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| VulnDbError::io(dir, e))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| VulnDbError::io(dir, e))?;
    entries.sort();
    for path in entries {
        let meta = std::fs::metadata(&path).map_err(|e| VulnDbError::io(&path, e))?;
        if meta.is_dir() {
            walk(root, &path, index, files)?;
        } else if meta.is_file() {
            let rel = path
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| path.clone());
            files.push((index, path, rel));
        }
    }
    Ok(())
}

fn parse_all(
    files: &[(usize, PathBuf, PathBuf)],
    opts: &BuildOptions,
) -> Result<Vec<Outcome>, VulnDbError> {
    let threads = match opts.threads {
        0 => std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8),
        n => n,
    }
    .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Outcome, VulnDbError>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((root, path, rel)) = files.get(i) else {
                    break;
                };
                let r = parse_one(*root, path, rel);
                if let Ok(mut guard) = results.lock() {
                    guard[i] = Some(r);
                }
            });
        }
    });
    let results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results
        .into_iter()
        .zip(files)
        .map(|(r, (_, path, _))| {
            r.unwrap_or_else(|| Err(VulnDbError::feed(path, "feed", "the parser thread stopped")))
        })
        .collect()
}

fn parse_one(root: usize, path: &Path, rel: &Path) -> Result<Outcome, VulnDbError> {
    let bytes = std::fs::read(path).map_err(|e| VulnDbError::io(path, e))?;
    Ok(match feed::detect(&bytes) {
        Detected::Feed(format) => match feed::parse(format, path, &bytes) {
            Ok(output) => Outcome::Parsed(Box::new(Parsed {
                root,
                rel: rel.to_owned(),
                format,
                output,
            })),
            Err(e) => Outcome::Failed(
                SkippedFile {
                    path: path.to_owned(),
                    reason: error_chain(&e),
                },
                e,
            ),
        },
        Detected::Skip(reason) => Outcome::Skipped(SkippedFile {
            path: path.to_owned(),
            reason: reason.to_owned(),
        }),
        Detected::Unknown => Outcome::Unknown(path.to_owned()),
    })
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The source name of every parsed file (see the module docs).
fn source_names(roots: &[PathBuf], parsed: &[Parsed]) -> Vec<String> {
    let label = |p: &Parsed| {
        format!(
            "{} {}",
            p.format.as_str(),
            p.output.label.as_deref().unwrap_or("")
        )
    };
    // (root, folder prefix) → labels under it.
    let mut labels: HashMap<(usize, PathBuf), BTreeSet<String>> = HashMap::new();
    for p in parsed {
        let mut prefix = PathBuf::new();
        labels
            .entry((p.root, prefix.clone()))
            .or_default()
            .insert(label(p));
        if let Some(parent) = p.rel.parent() {
            for c in parent.components() {
                prefix.push(c);
                labels
                    .entry((p.root, prefix.clone()))
                    .or_default()
                    .insert(label(p));
            }
        }
    }
    parsed
        .iter()
        .map(|p| {
            let root_name = || {
                roots[p.root].file_name().map_or_else(
                    || roots[p.root].display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            };
            let mut prefix = PathBuf::new();
            if labels
                .get(&(p.root, prefix.clone()))
                .is_some_and(|l| l.len() == 1)
            {
                return root_name();
            }
            for c in p.rel.parent().into_iter().flat_map(Path::components) {
                prefix.push(c);
                if labels
                    .get(&(p.root, prefix.clone()))
                    .is_some_and(|l| l.len() == 1)
                {
                    break;
                }
            }
            if prefix.as_os_str().is_empty() {
                root_name()
            } else {
                prefix.to_string_lossy().replace('\\', "/")
            }
        })
        .collect()
}

fn roots_of(groups: &mut Groups, r: &FeedRecord) -> Vec<usize> {
    let ids: Vec<&String> = match r.kind {
        RecordKind::Advisory => std::iter::once(&r.id).chain(&r.aliases).collect(),
        RecordKind::Errata if !r.cves.is_empty() => r.cves.iter().collect(),
        RecordKind::Errata | RecordKind::Enrichment => vec![&r.id],
    };
    let mut roots: Vec<usize> = Vec::new();
    for id in ids {
        let n = groups.node(id);
        let root = groups.find(n);
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
    roots
}

/// Union-find over IDs that never merges two different CVEs.
#[derive(Default)]
struct Groups {
    index: HashMap<String, usize>,
    ids: Vec<String>,
    parent: Vec<usize>,
    cve: Vec<Option<usize>>,
}

fn is_cve(id: &str) -> bool {
    id.starts_with("CVE-")
}

impl Groups {
    fn node(&mut self, id: &str) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len();
        self.index.insert(id.to_owned(), i);
        self.ids.push(id.to_owned());
        self.parent.push(i);
        self.cve.push(is_cve(id).then_some(i));
        i
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if let (Some(x), Some(y)) = (self.cve[ra], self.cve[rb]) {
            if x != y {
                return;
            }
        }
        let cve = self.cve[ra].or(self.cve[rb]);
        self.parent[rb] = ra;
        self.cve[ra] = cve;
    }

    fn members(&mut self) -> HashMap<usize, Vec<String>> {
        let mut m: HashMap<usize, Vec<String>> = HashMap::new();
        for i in 0..self.ids.len() {
            let r = self.find(i);
            m.entry(r).or_default().push(self.ids[i].clone());
        }
        for v in m.values_mut() {
            v.sort();
        }
        m
    }

    fn canonical_ids(&mut self) -> HashMap<usize, String> {
        let members = self.members();
        members
            .into_iter()
            .map(|(root, ids)| {
                let id = match self.cve[root] {
                    Some(c) => self.ids[c].clone(),
                    None => ids
                        .iter()
                        .find(|i| i.starts_with("GHSA-"))
                        .or_else(|| ids.first())
                        .cloned()
                        .unwrap_or_default(),
                };
                (root, id)
            })
            .collect()
    }
}

/// Details merged from every record of one vulnerability.
#[derive(Default)]
struct Acc {
    title: Option<String>,
    description: Option<String>,
    cwes: BTreeSet<String>,
    references: Vec<String>,
    seen_refs: std::collections::HashSet<String>,
    published: Option<String>,
    modified: Option<String>,
    severities: Vec<SeverityEntry>,
    kev: Option<crate::model::KevEntry>,
}

impl Acc {
    fn add(&mut self, r: &FeedRecord) {
        let d = &r.details;
        if self.title.is_none() {
            self.title.clone_from(&d.title);
        }
        if self.description.is_none() {
            self.description.clone_from(&d.description);
        }
        self.cwes.extend(d.cwes.iter().cloned());
        for u in &d.references {
            if self.seen_refs.insert(u.clone()) {
                self.references.push(u.clone());
            }
        }
        if let Some(p) = &d.published {
            if self.published.as_ref().is_none_or(|old| p < old) {
                self.published = Some(p.clone());
            }
        }
        if let Some(m) = &d.modified {
            if self.modified.as_ref().is_none_or(|old| m > old) {
                self.modified = Some(m.clone());
            }
        }
        for s in &d.severities {
            if !self.severities.contains(s) {
                self.severities.push(s.clone());
            }
        }
        if self.kev.is_none() {
            self.kev.clone_from(&r.kev);
        }
    }

    fn into_vulnerability(self, id: String, aliases: Vec<String>) -> Vulnerability {
        Vulnerability {
            id,
            aliases,
            title: self.title,
            description: self.description,
            cwes: self.cwes.into_iter().collect(),
            references: self.references,
            published: self.published,
            modified: self.modified,
            severities: self.severities,
            kev: self.kev,
        }
    }
}

/// Runs `write` on a temporary path beside `output`, then fsyncs and renames it over `output`.
fn write_atomically(
    output: &Path,
    write: impl FnOnce(&Path) -> Result<(), VulnDbError>,
) -> Result<(), VulnDbError> {
    let dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map_or_else(|| "vulndb".into(), |n| n.to_string_lossy().into_owned());
    // Unique per process and per call, so concurrent builds of one output never share a file.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&tmp);
    let result = write(&tmp).and_then(|()| {
        let f = std::fs::File::open(&tmp).map_err(|e| VulnDbError::io(&tmp, e))?;
        f.sync_all().map_err(|e| VulnDbError::io(&tmp, e))?;
        std::fs::rename(&tmp, output).map_err(|e| VulnDbError::io(output, e))?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
