//! Match an inventory's packages against vulnerability advisories.
//!
//! ```text
//! atalaia-types (Inventory) ──┐
//! atalaia-version (compare) ──┼──► detect(inventory, &dyn AdvisoryStore, opts) ──► DetectReport
//! AdvisoryStore (trait) ◄─────┘        ▲ implemented for atalaia_vulndb::VulnDb and MemoryStore
//! ```
//!
//! Detection depends on the [`AdvisoryStore`] trait, not on SQLite, so the report and CLI code
//! can test with a [`MemoryStore`].
//!
//! **OS packages** are matched by their *source* package (`src_name`, else the name) in the
//! distribution release's namespace (`alpine 3.10`, `debian 12`, from
//! [`atalaia_types::OsRelease::feed_release`]) and compared with the distribution's scheme on the
//! full source version (`epoch:version-release`); only the OS vendor's feed is consulted, so
//! backported fixes are respected. **Language packages** are matched by ecosystem namespace
//! (`PyPI`, `npm`, `crates.io`, `Go`, `Maven`, …) and normalised name.
//!
//! Per finding: the fix shown is the smallest fix above the installed version; the status is
//! `fixed` when there is a fix, else the advisory's (default `affected`); `not_affected`
//! advisories yield nothing. Advisories naming the same vulnerability (a CVE, its GHSA, its
//! PYSEC) are one finding whose `VendorIDs` list them all. Findings are deduplicated on
//! (VulnerabilityID, PkgID, PkgName, InstalledVersion, PkgPath) and sorted as Trivy sorts them
//! (PkgName, PkgID, InstalledVersion, severity descending, VulnerabilityID).
//!
//! A language package whose file an OS package installed (a Python package under
//! `/usr/lib/python3/dist-packages` from a `.deb`, a Go binary from an `.apk`) is matched only
//! through that OS package, against the OS feed, as Trivy does: the OS packages'
//! `installed_files` (dpkg `info/*.list`, apk `R:` lines) name the files they own.
//!
//! Every finding's `PkgIdentifier.UID` is [`package_uid`], the ID reports give packages.
//!
//! Speed: each `(namespace, package)` is read once per run as a packed blob
//! ([`atalaia_vulndb::PackageAdvisories`]: no string copied per advisory), the installed
//! version is parsed once per scheme, listed and range versions once per package; matching
//! records light hits, then every vulnerability's details are read at once in the store's key
//! order ([`AdvisoryStore::vulnerability_records`], packed [`atalaia_vulndb::VulnerabilityRecord`]s),
//! each (vulnerability, source) is rated once, and each finding is built once, in its sorted place.
//! Large inventories use every core twice over: threads take chunks of packages to match
//! (a shared queue of chunks), then, once their hits are merged, each reads and rates a run of the
//! vulnerabilities found.
//!
//! A version that does not parse is a [`DetectWarning`], never an abort; only a failing store
//! is an error.
#![deny(missing_docs)]

mod enrich;
mod error;
mod fxhash;
mod matcher;
mod model;
mod store;
mod uid;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use atalaia_types::{
    Ecosystem, Inventory, OsFamily, Package, PackageLayer, SharedStr, SharedStrList,
};
use atalaia_version::Scheme;
use atalaia_vulndb::{PackageAdvisories, Status, VulnerabilityRecord};

pub use error::{DetectError, StoreError};
pub use model::{
    Cvss, DataSource, DetectReport, DetectWarning, DetectedVulnerability, Detection, PkgIdentifier,
    ResultKey, Severity,
};
pub use store::{AdvisoryStore, MemoryStore, PackageLookup};
pub use uid::package_uid;

use fxhash::{FxHashMap, FxHashSet};
use matcher::{Installed, Listed, Verdict};

/// Knobs of [`detect`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DetectOptions {
    /// Leave out findings that have no fixed version (`--ignore-unfixed`).
    pub ignore_unfixed: bool,
    /// Leave out findings with these statuses (`--ignore-status`; a finding's status is
    /// `fixed` when a fix exists, else the advisory's).
    pub ignore_statuses: HashSet<Status>,
    /// The most threads matching may use; 0 (the default) is one per core. Inventories of
    /// fewer than 2,000 packages are matched on one thread whatever this says.
    pub max_threads: usize,
}

impl DetectOptions {
    /// The defaults: every status but `not_affected` is reported.
    pub fn new() -> Self {
        DetectOptions::default()
    }

    /// Sets [`DetectOptions::ignore_unfixed`].
    pub fn ignore_unfixed(mut self, yes: bool) -> Self {
        self.ignore_unfixed = yes;
        self
    }

    /// Sets [`DetectOptions::max_threads`].
    pub fn max_threads(mut self, threads: usize) -> Self {
        self.max_threads = threads;
        self
    }

    /// Sets [`DetectOptions::ignore_statuses`].
    pub fn ignore_statuses(mut self, statuses: impl IntoIterator<Item = Status>) -> Self {
        self.ignore_statuses = statuses.into_iter().collect();
        self
    }
}

/// The advisory namespace of an OS release (`alpine 3.10`, `debian 12`, `wolfi`).
pub fn os_namespace(os: &atalaia_types::OsRelease) -> String {
    match os.family {
        OsFamily::Wolfi | OsFamily::Chainguard => os.family.as_str().to_owned(),
        family => format!("{} {}", family.as_str(), os.feed_release()),
    }
}

/// The advisory namespace of a language ecosystem (`PyPI`, `crates.io`, `Go`), or `None` for
/// OS ecosystems.
pub fn language_namespace(ecosystem: Ecosystem) -> Option<&'static str> {
    Some(match ecosystem {
        Ecosystem::PyPI => "PyPI",
        Ecosystem::Npm => "npm",
        Ecosystem::CratesIo => "crates.io",
        Ecosystem::Go => "Go",
        Ecosystem::Maven => "Maven",
        Ecosystem::RubyGems => "RubyGems",
        Ecosystem::Packagist => "Packagist",
        Ecosystem::NuGet => "NuGet",
        Ecosystem::Pub => "Pub",
        Ecosystem::Hex => "Hex",
        Ecosystem::SwiftURL => "SwiftURL",
        Ecosystem::Julia => "Julia",
        Ecosystem::ConanCenter => "ConanCenter",
        Ecosystem::CocoaPods => "CocoaPods",
        Ecosystem::Conda => "Conda",
        Ecosystem::Terraform => "Terraform",
        Ecosystem::Apk | Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Pacman => return None,
    })
}

/// Lookups shared across the packages of one run, and the findings in the making.
///
/// A run has three phases: matching records light [`Hit`]s (the per-finding strings that are
/// built anyway: ID, vendor IDs, fix) and the rating inputs ([`Spec`]) they need; then every
/// vulnerability's details are read at once, in the database's key order, and each spec rated
/// once ([`Template`]); last, hits are sorted and deduplicated by reference and each finding is
/// built once, in its final place.
struct Ctx<'s> {
    store: &'s dyn AdvisoryStore,
    /// The store's lookup for this context's packages.
    lookup: Box<dyn PackageLookup + 's>,
    /// By `namespace \0 package`.
    advisories: &'s AdvisoryCache,
    /// Where to find specs: see [`SpecIndex`].
    spec_index: SpecIndex,
    specs: Vec<Spec>,
    /// Packages with hits.
    pkgs: Vec<PkgParts>,
    hits: Vec<Hit>,
    /// One per spec, once [`Ctx::rate`] has run.
    templates: Vec<Template>,
    /// What the templates' `vuln` index.
    details: Vec<Details>,
    /// The buffer lookup keys are written into.
    key: String,
    scratch: Scratch,
    warnings: Vec<DetectWarning>,
    opts: &'s DetectOptions,
}

/// What rates the findings of one vulnerability from one advisory source (see [`Template`]).
struct Spec {
    vulnerability_id: SharedStr,
    /// The details row ([`atalaia_vulndb::AdvisoryRef::vulnerability_keys`]).
    detail_key: u64,
    source: Box<str>,
    namespace: Box<str>,
    severity: Option<Box<str>>,
    ghsa_vendor: bool,
    os: bool,
    /// [`SpecKey::hash`] of its key, kept for merging the specs of several threads.
    hash: u64,
}

impl Spec {
    fn key(&self) -> SpecKey<'_> {
        SpecKey {
            vulnerability_id: &self.vulnerability_id,
            source: &self.source,
            namespace: &self.namespace,
            severity: self.severity.as_deref(),
            ghsa_vendor: self.ghsa_vendor,
            os: self.os,
        }
    }
}

/// What makes two [`Spec`]s the same, borrowed.
#[derive(PartialEq, Eq, Hash)]
struct SpecKey<'a> {
    vulnerability_id: &'a str,
    source: &'a str,
    namespace: &'a str,
    severity: Option<&'a str>,
    ghsa_vendor: bool,
    os: bool,
}

impl SpecKey<'_> {
    fn hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = fxhash::FxHasher::default();
        Hash::hash(self, &mut h);
        h.finish()
    }
}

/// The specs of a context by [`SpecKey`], without an owned key per spec: a map from the key's
/// hash to the newest spec with that hash, and for each spec the previous one with its hash
/// (specs are found once per hit, so building a key string each time was a cost of its own).
#[derive(Default)]
struct SpecIndex {
    newest: FxHashMap<u64, u32>,
    /// By spec index: the previous spec with the same hash, or `u32::MAX`.
    previous: Vec<u32>,
}

impl SpecIndex {
    /// The spec with `key`, whose [`SpecKey::hash`] is `hash`.
    fn find(&self, specs: &[Spec], key: &SpecKey<'_>, hash: u64) -> Option<u32> {
        let mut i = *self.newest.get(&hash)?;
        while i != u32::MAX {
            if specs[i as usize].key() == *key {
                return Some(i);
            }
            i = self.previous[i as usize];
        }
        None
    }

    /// Records that the spec about to be pushed (index `specs.len()`) has a key whose hash is
    /// `hash`.
    fn add(&mut self, specs: &[Spec], hash: u64) -> u32 {
        let i = specs.len() as u32;
        let previous = self.newest.insert(hash, i).unwrap_or(u32::MAX);
        self.previous.push(previous);
        i
    }
}

/// The parts of a finding that depend only on the vulnerability, the advisory's data source
/// and its rating inputs: computed once per [`Spec`], cloned into each finding.
struct Template {
    data_source: Arc<DataSource>,
    severity: Severity,
    severity_source: SharedStr,
    vendor_severity: Arc<BTreeMap<String, u8>>,
    cvss: Arc<BTreeMap<String, Cvss>>,
    primary_url: SharedStr,
    /// Index in the run's [`Details`].
    vuln: usize,
}

/// The parts of a finding that depend only on the vulnerability: read once per run, shared by
/// every finding of it.
#[derive(Default)]
struct Details {
    title: SharedStr,
    description: SharedStr,
    cwe_ids: SharedStrList,
    references: SharedStrList,
    aliases: SharedStrList,
    published_date: Option<SharedStr>,
    last_modified_date: Option<SharedStr>,
    kev: bool,
}

impl Details {
    fn of(v: &VulnerabilityRecord) -> Details {
        Details {
            title: v.title().map(SharedStr::from).unwrap_or_default(),
            description: v.description().map(SharedStr::from).unwrap_or_default(),
            cwe_ids: SharedStrList::from_strs(v.cwes()),
            references: SharedStrList::from_strs(v.references()),
            aliases: SharedStrList::from_strs(v.aliases()),
            published_date: v.published().map(SharedStr::from),
            last_modified_date: v.modified().map(SharedStr::from),
            kev: v.is_kev(),
        }
    }
}

/// A package with findings: what every finding of it shares.
struct PkgParts {
    /// Index of its [`Detection`].
    detection: u32,
    pkg_id: SharedStr,
    pkg_name: SharedStr,
    installed_version: SharedStr,
    pkg_identifier: Arc<PkgIdentifier>,
    pkg_path: SharedStr,
    layer: Arc<PackageLayer>,
}

/// A finding before it is built. Its vulnerability ID is its spec's.
struct Hit {
    pkg: u32,
    spec: u32,
    vendor_ids: Vec<String>,
    fixed_version: String,
    status: Status,
}

/// What one thread's [`Ctx::run_shared`] matched, to be merged into another context.
#[derive(Default)]
struct Matched {
    specs: Vec<Spec>,
    pkgs: Vec<PkgParts>,
    hits: Vec<Hit>,
    warnings: Vec<DetectWarning>,
}

impl<'s> Ctx<'s> {
    fn new(
        store: &'s dyn AdvisoryStore,
        opts: &'s DetectOptions,
        cache: &'s AdvisoryCache,
    ) -> Self {
        Ctx {
            store,
            lookup: store.package_lookup(),
            advisories: cache,
            spec_index: SpecIndex::default(),
            specs: Vec::new(),
            pkgs: Vec::new(),
            hits: Vec::new(),
            templates: Vec::new(),
            details: Vec::new(),
            key: String::new(),
            scratch: Scratch::default(),
            warnings: Vec::new(),
            opts,
        }
    }

    fn match_jobs(&mut self, jobs: &[Job<'_>]) -> Result<(), DetectError> {
        for job in jobs {
            match job {
                Job::Match {
                    pkg,
                    namespace,
                    app_file_path,
                    detection,
                } => detect_package(self, pkg, namespace, *app_file_path, *detection)?,
                Job::Warn(w) => self.warnings.push(w.clone()),
            }
        }
        Ok(())
    }

    fn into_matched(self) -> Matched {
        Matched {
            specs: self.specs,
            pkgs: self.pkgs,
            hits: self.hits,
            warnings: self.warnings,
        }
    }

    /// Matches chunks of `chunks` as thread `me` of `queue` until none is left.
    fn run_shared(
        mut self,
        chunks: &[&[Job<'_>]],
        queue: &ChunkQueue,
        me: usize,
    ) -> Result<Part, DetectError> {
        let mut spans = Vec::new();
        while let Some(chunk) = queue.take(me) {
            let jobs = chunks[chunk];
            let (hits, pkgs, warnings) = (self.hits.len(), self.pkgs.len(), self.warnings.len());
            self.match_jobs(jobs)?;
            spans.push(ChunkSpan {
                chunk,
                hits: hits..self.hits.len(),
                pkgs: pkgs..self.pkgs.len(),
                warnings: warnings..self.warnings.len(),
            });
        }
        Ok(Part {
            matched: self.into_matched(),
            spans,
        })
    }

    /// Takes in what the threads of [`Ctx::run_shared`] matched, in inventory order (chunk by
    /// chunk), sharing the specs they have in common. This context must be empty.
    fn merge(&mut self, parts: Vec<Part>) {
        let mut spans: Vec<(usize, usize, ChunkSpan)> = Vec::new();
        let mut sources = Vec::with_capacity(parts.len());
        for (p, part) in parts.into_iter().enumerate() {
            let m = part.matched;
            let spec_of: Vec<u32> = m
                .specs
                .into_iter()
                .map(|spec| {
                    if let Some(mine) = self.spec_index.find(&self.specs, &spec.key(), spec.hash) {
                        return mine;
                    }
                    let mine = self.spec_index.add(&self.specs, spec.hash);
                    self.specs.push(spec);
                    mine
                })
                .collect();
            spans.extend(part.spans.into_iter().map(|s| (s.chunk, p, s)));
            // A thread takes chunks out of order once it helps another: taken by range below.
            sources.push((
                spec_of,
                m.hits.into_iter().map(Some).collect::<Vec<_>>(),
                m.pkgs.into_iter().map(Some).collect::<Vec<_>>(),
                m.warnings.into_iter().map(Some).collect::<Vec<_>>(),
            ));
        }
        spans.sort_unstable_by_key(|(chunk, _, _)| *chunk);
        for (_, p, span) in spans {
            let (spec_of, hits, pkgs, warnings) = &mut sources[p];
            // Hits name their package by its index in its thread's list.
            let pkg_offset = self.pkgs.len() as i64 - span.pkgs.start as i64;
            self.pkgs
                .extend(pkgs[span.pkgs].iter_mut().filter_map(Option::take));
            self.hits.extend(
                hits[span.hits]
                    .iter_mut()
                    .filter_map(Option::take)
                    .map(|mut h| {
                        h.pkg = (i64::from(h.pkg) + pkg_offset) as u32;
                        h.spec = spec_of[h.spec as usize];
                        h
                    }),
            );
            self.warnings
                .extend(warnings[span.warnings].iter_mut().filter_map(Option::take));
        }
    }

    fn advisories(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<Arc<PackageAdvisories>>, DetectError> {
        self.key.clear();
        self.key.push_str(namespace);
        self.key.push('\0');
        self.key.push_str(package);
        if let Some(a) = lock(self.advisories).get(self.key.as_str()) {
            return Ok(a.clone());
        }
        // Looked up outside the lock: another thread may look the same package up meanwhile,
        // and the first answer stored is kept.
        let found = self
            .lookup
            .package_advisories(namespace, package)
            .map_err(|err| DetectError::Store {
                namespace: namespace.to_owned(),
                package: package.to_owned(),
                err,
            })?
            .filter(|p| !p.is_empty())
            .map(Arc::new);
        Ok(lock(self.advisories)
            .entry(self.key.as_str().into())
            .or_insert(found)
            .clone())
    }

    /// The index of the [`Spec`] of a finding of `rated.vulnerability_id` from an advisory of
    /// `source` in `namespace`.
    fn spec(
        &mut self,
        source: &str,
        namespace: &str,
        rated: enrich::Rated<'_>,
        detail_key: u64,
        os: bool,
    ) -> u32 {
        let key = SpecKey {
            vulnerability_id: rated.vulnerability_id,
            source,
            namespace,
            severity: rated.severity,
            ghsa_vendor: rated.vendor_id.is_some_and(|v| v.starts_with("GHSA-")),
            os,
        };
        let hash = key.hash();
        if let Some(i) = self.spec_index.find(&self.specs, &key, hash) {
            return i;
        }
        let i = self.spec_index.add(&self.specs, hash);
        self.specs.push(Spec {
            vulnerability_id: SharedStr::from(rated.vulnerability_id),
            detail_key,
            source: source.into(),
            namespace: namespace.into(),
            severity: rated.severity.map(Into::into),
            ghsa_vendor: key.ghsa_vendor,
            os,
            hash,
        });
        i
    }

    fn warn(&mut self, pkg: &Package, vulnerability_id: &str, message: String) {
        self.warnings.push(DetectWarning {
            pkg_id: pkg.id.clone(),
            vulnerability_id: vulnerability_id.to_owned(),
            message,
        });
    }

    /// Reads the details of every vulnerability the specs name (once each, in the store's key
    /// order) and rates each spec: fills [`Ctx::templates`] and [`Ctx::details`]. With
    /// `workers`, and many vulnerabilities, the vulnerabilities are split into runs of rows, one
    /// per thread, each read and its specs rated on its own thread and handle.
    fn rate(
        &mut self,
        workers: &mut [Box<dyn AdvisoryStore + Send + '_>],
    ) -> Result<(), DetectError> {
        // Vulnerabilities by their details row (one per ID), or by ID when the store has none.
        let mut by_key: FxHashMap<u64, usize> = FxHashMap::default();
        let mut by_id: FxHashMap<&str, usize> = FxHashMap::default();
        let mut wanted: Vec<(u64, &str)> = Vec::new();
        let mut vuln_of_spec = Vec::with_capacity(self.specs.len());
        for s in &self.specs {
            let id: &str = &s.vulnerability_id;
            let new = || {
                wanted.push((s.detail_key, id));
                wanted.len() - 1
            };
            let i = if s.detail_key == 0 {
                *by_id.entry(id).or_insert_with(new)
            } else {
                *by_key.entry(s.detail_key).or_insert_with(new)
            };
            vuln_of_spec.push(i);
        }
        drop((by_key, by_id));
        // In row order, so that each thread reads a run of rows front to back.
        let mut by_key: Vec<usize> = (0..wanted.len()).collect();
        by_key.sort_unstable_by_key(|&i| wanted[i].0);
        let mut rank = vec![0usize; wanted.len()];
        for (r, &i) in by_key.iter().enumerate() {
            rank[i] = r;
        }
        let wanted: Vec<(u64, &str)> = by_key.iter().map(|&i| wanted[i]).collect();
        let vuln_of_spec: Vec<usize> = vuln_of_spec.into_iter().map(|v| rank[v]).collect();
        let threads = if wanted.len() >= 2 * VULNERABILITIES_PER_THREAD {
            workers.len() + 1
        } else {
            1
        };
        let per = wanted.len().div_ceil(threads).max(1);
        let (specs, wanted, vuln_of_spec) = (&self.specs, &wanted, &vuln_of_spec);
        let rated: Vec<Result<Rated, DetectError>> = if threads == 1 {
            vec![rate_range(
                self.store,
                specs,
                vuln_of_spec,
                wanted,
                0..wanted.len(),
            )]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = workers
                    .iter_mut()
                    .enumerate()
                    .map(|(t, worker)| {
                        let range =
                            ((t + 1) * per).min(wanted.len())..((t + 2) * per).min(wanted.len());
                        scope.spawn(move || {
                            rate_range(&**worker, specs, vuln_of_spec, wanted, range)
                        })
                    })
                    .collect();
                let mut all = vec![rate_range(
                    self.store,
                    specs,
                    vuln_of_spec,
                    wanted,
                    0..per.min(wanted.len()),
                )];
                all.extend(handles.into_iter().map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                }));
                all
            })
        };
        let mut templates: Vec<Option<Template>> = Vec::new();
        templates.resize_with(specs.len(), || None);
        let mut details = Vec::with_capacity(wanted.len());
        for r in rated {
            let r = r?;
            details.extend(r.details);
            for (i, t) in r.templates {
                templates[i] = Some(t);
            }
        }
        // Every spec's vulnerability is in exactly one range: every template is there.
        self.templates = templates.into_iter().flatten().collect();
        self.details = details;
        Ok(())
    }
}

/// Reading fewer vulnerabilities than this is not split across threads.
const VULNERABILITIES_PER_THREAD: usize = 1_000;

/// What [`rate_range`] made: the details of its vulnerabilities, and the templates of the specs
/// that name them, by spec index.
struct Rated {
    details: Vec<Details>,
    templates: Vec<(usize, Template)>,
}

/// Reads the details of `wanted[range]` and rates the specs whose vulnerability is among them
/// (`vuln_of_spec` gives each spec's index in `wanted`).
fn rate_range(
    store: &dyn AdvisoryStore,
    specs: &[Spec],
    vuln_of_spec: &[usize],
    wanted: &[(u64, &str)],
    range: std::ops::Range<usize>,
) -> Result<Rated, DetectError> {
    let records = store
        .vulnerability_records(&wanted[range.clone()])
        .map_err(|err| DetectError::Store {
            namespace: String::new(),
            package: wanted
                .get(range.start)
                .map(|w| w.1)
                .unwrap_or_default()
                .to_owned(),
            err,
        })?;
    let mut sources: FxHashMap<(&str, &str), Arc<DataSource>> = FxHashMap::default();
    let templates = specs
        .iter()
        .zip(vuln_of_spec)
        .enumerate()
        .filter(|(_, (_, vi))| range.contains(vi))
        .map(|(i, (s, &vi))| {
            let v = records.get(vi - range.start).and_then(Option::as_ref);
            // A run has a few sources and namespaces: each data source is made once.
            let data_source = sources
                .entry((&*s.source, &*s.namespace))
                .or_insert_with(|| Arc::new(enrich::data_source(&s.source, &s.namespace)))
                .clone();
            let rated = enrich::Rated {
                vulnerability_id: &s.vulnerability_id,
                vendor_id: s.ghsa_vendor.then_some("GHSA-"),
                severity: s.severity.as_deref(),
            };
            let rating = enrich::rate(&data_source, rated, v, s.os);
            let template = Template {
                primary_url: enrich::primary_url(&s.vulnerability_id, v).into(),
                data_source,
                severity: rating.severity,
                severity_source: rating.source.into(),
                vendor_severity: Arc::new(rating.vendor_severity),
                cvss: Arc::new(rating.cvss),
                vuln: vi,
            };
            (i, template)
        })
        .collect();
    let details = records
        .iter()
        .map(|r| r.as_ref().map(Details::of).unwrap_or_default())
        .collect();
    Ok(Rated { details, templates })
}

/// Matches every package of `inventory` against `store`: one [`Detection`] per OS package
/// database, then one per application, in inventory order.
///
/// Large inventories are matched on several threads when the store can hand out worker
/// handles ([`AdvisoryStore::worker`]): the packages are cut into chunks which the threads,
/// each on its own handle, take until none is left; the chunks' hits are
/// merged in inventory order, so the report is the same as a one-thread run's; then the
/// vulnerabilities found are read and rated in runs of rows, one per thread.
pub fn detect(
    inventory: &Inventory,
    store: &dyn AdvisoryStore,
    opts: &DetectOptions,
) -> Result<DetectReport, DetectError> {
    let os_namespace = inventory.os.as_ref().map(os_namespace);
    let (jobs, mut detections) = plan(inventory, os_namespace.as_deref());
    let threads = match_threads(jobs.len(), opts);
    let mut workers: Vec<Box<dyn AdvisoryStore + Send + '_>> =
        (1..threads).map_while(|_| store.worker()).collect();
    let cache = AdvisoryCache::default();
    let mut ctx = Ctx::new(store, opts, &cache);
    if workers.is_empty() {
        ctx.match_jobs(&jobs)?;
    } else {
        let chunks: Vec<&[Job<'_>]> = jobs.chunks(JOBS_PER_CHUNK).collect();
        let queue = ChunkQueue::new(chunks.len(), workers.len() + 1);
        let parts: Vec<Result<Part, DetectError>> = std::thread::scope(|scope| {
            let (chunks, queue, cache) = (&chunks, &queue, &cache);
            let handles: Vec<_> = workers
                .iter_mut()
                .enumerate()
                .map(|(i, worker)| {
                    scope.spawn(move || {
                        Ctx::new(&**worker, opts, cache).run_shared(chunks, queue, i + 1)
                    })
                })
                .collect();
            let mut all = vec![Ctx::new(store, opts, cache).run_shared(chunks, queue, 0)];
            all.extend(handles.into_iter().map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }));
            all
        });
        ctx.merge(
            parts
                .into_iter()
                .collect::<Result<Vec<Part>, DetectError>>()?,
        );
    }
    ctx.rate(&mut workers)?;
    // The packages' advisories are not needed any more. With cores to spare, they are freed on
    // another while this one builds the findings.
    let advisories = std::mem::take(&mut *lock(&cache));
    if workers.is_empty() {
        drop(advisories);
    } else {
        free_elsewhere(advisories);
    }
    build_findings(&mut ctx, &mut detections)?;
    if !workers.is_empty() {
        // What the findings were built from: freed on another core too.
        let spent = (
            std::mem::take(&mut ctx.specs),
            std::mem::take(&mut ctx.templates),
            std::mem::take(&mut ctx.details),
            std::mem::take(&mut ctx.pkgs),
            std::mem::take(&mut ctx.hits),
            std::mem::take(&mut ctx.spec_index),
        );
        free_elsewhere(spent);
    }
    Ok(DetectReport {
        detections,
        warnings: ctx.warnings,
    })
}

/// Drops `value` on a thread of its own, or here when no thread can be made (the closure, and
/// `value` with it, is then dropped by `spawn`'s error path).
fn free_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("atalaia-free".into())
        .spawn(move || drop(value));
}

/// The advisories of each `namespace \0 package` looked up so far in a run (`None`: none),
/// shared by the threads that match.
type AdvisoryCache = Mutex<FxHashMap<Box<str>, Option<Arc<PackageAdvisories>>>>;

/// `mutex` locked; a thread that panicked holding it left a map that is still whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Packages a thread takes at a time when several match (see [`detect`]).
const JOBS_PER_CHUNK: usize = 256;

/// Which chunks of packages are left, for threads that match them: each thread has a
/// contiguous run of chunks, which it takes from the front; a thread whose run is done takes
/// from the back of the longest other run. Packages near each other in an inventory share
/// names and vulnerabilities, and each thread reads a package's advisories and a
/// vulnerability's details once; so runs stay contiguous, and the threads still end together
/// whether one drew the costly packages or got a core of its own.
struct ChunkQueue {
    /// By thread: the chunks (`start..end`) it has not taken yet.
    runs: Vec<std::sync::Mutex<std::ops::Range<usize>>>,
}

impl ChunkQueue {
    fn new(chunks: usize, threads: usize) -> Self {
        let per = chunks.div_ceil(threads.max(1));
        ChunkQueue {
            runs: (0..threads.max(1))
                .map(|t| std::sync::Mutex::new((t * per).min(chunks)..((t + 1) * per).min(chunks)))
                .collect(),
        }
    }

    /// The next chunk for thread `me`, or `None` when every chunk is taken.
    fn take(&self, me: usize) -> Option<usize> {
        let lock = |i: usize| self.runs[i].lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = lock(me).next() {
            return Some(c);
        }
        loop {
            let (longest, left) = (0..self.runs.len())
                .map(|i| (i, lock(i).len()))
                .max_by_key(|&(_, left)| left)?;
            if left == 0 {
                return None;
            }
            // Another thread may have taken it meanwhile: then look again.
            if let Some(c) = lock(longest).next_back() {
                return Some(c);
            }
        }
    }
}

/// What one thread matched ([`Ctx::run_shared`]), and which chunks, in its order.
struct Part {
    matched: Matched,
    spans: Vec<ChunkSpan>,
}

/// One chunk a thread matched: its index, and where its hits, packages and warnings are in
/// the thread's lists.
struct ChunkSpan {
    chunk: usize,
    hits: std::ops::Range<usize>,
    pkgs: std::ops::Range<usize>,
    warnings: std::ops::Range<usize>,
}

/// Inventories smaller than this are matched on one thread: a worker's database handle and
/// thread cost more than it saves.
const PACKAGES_PER_THREAD: usize = 1_000;

/// How many threads match `jobs` packages: one per [`PACKAGES_PER_THREAD`], at most one per core
/// and at most [`DetectOptions::max_threads`].
fn match_threads(jobs: usize, opts: &DetectOptions) -> usize {
    let mut most = std::thread::available_parallelism().map_or(1, usize::from);
    if opts.max_threads > 0 {
        most = most.min(opts.max_threads);
    }
    (jobs / PACKAGES_PER_THREAD).clamp(1, most)
}

/// One step of matching, in inventory order.
enum Job<'i> {
    /// Match a package: an OS package (`app_file_path` `None`) or an application's.
    Match {
        pkg: &'i Package,
        namespace: &'i str,
        app_file_path: Option<&'i str>,
        detection: u32,
    },
    /// Record a warning (kept in order among the packages' own warnings).
    Warn(DetectWarning),
}

/// The matching steps of `inventory`, and its detections (empty, in report order).
/// `os_namespace` is the OS packages' ([`os_namespace`]).
fn plan<'i>(
    inventory: &'i Inventory,
    os_namespace: Option<&'i str>,
) -> (Vec<Job<'i>>, Vec<Detection>) {
    let mut jobs = Vec::with_capacity(inventory.packages().count());
    let mut detections = Vec::new();
    for (index, db) in inventory.os_packages.iter().enumerate() {
        let detection = detections.len() as u32;
        match os_namespace {
            Some(namespace) => jobs.extend(db.packages.iter().map(|pkg| Job::Match {
                pkg,
                namespace,
                app_file_path: None,
                detection,
            })),
            None if !db.packages.is_empty() => jobs.push(Job::Warn(DetectWarning {
                pkg_id: String::new(),
                vulnerability_id: String::new(),
                message: format!(
                    "OS packages in `{}` were not matched: no OS release was detected",
                    db.file_path
                ),
            })),
            None => {}
        }
        detections.push(Detection {
            key: ResultKey::OsPackages {
                index,
                file_path: db.file_path.clone(),
            },
            vulnerabilities: Vec::new(),
        });
    }
    let os_files = if inventory.applications.is_empty() {
        FxHashSet::default()
    } else {
        os_owned_files(inventory)
    };
    for (index, app) in inventory.applications.iter().enumerate() {
        let detection = detections.len() as u32;
        for pkg in &app.packages {
            if is_os_owned(&os_files, &app.file_path, pkg) {
                continue;
            }
            jobs.push(match language_namespace(pkg.ecosystem) {
                Some(namespace) => Job::Match {
                    pkg,
                    namespace,
                    app_file_path: Some(&app.file_path),
                    detection,
                },
                None => Job::Warn(DetectWarning {
                    pkg_id: pkg.id.clone(),
                    vulnerability_id: String::new(),
                    message: format!(
                        "an OS package in application `{}` was not matched",
                        app.file_path
                    ),
                }),
            });
        }
        detections.push(Detection {
            key: ResultKey::Application {
                index,
                app_type: app.app_type.clone(),
                file_path: app.file_path.clone(),
            },
            vulnerabilities: Vec::new(),
        });
    }
    (jobs, detections)
}

/// The last phase of [`detect`]: rates the specs, sorts and deduplicates the hits as Trivy
/// does (see [`trivy_order`]) and builds each finding in its final place.
fn build_findings(ctx: &mut Ctx<'_>, detections: &mut [Detection]) -> Result<(), DetectError> {
    if ctx.hits.is_empty() {
        return Ok(());
    }
    let templates = &ctx.templates;
    let details = &ctx.details;
    let hits = &mut ctx.hits;
    let pkgs = &ctx.pkgs;
    let specs = &ctx.specs;
    let ranks = package_ranks(pkgs.len(), |a, b| {
        let (a, b) = (&pkgs[a], &pkgs[b]);
        (&a.pkg_name, &a.pkg_id, &a.installed_version).cmp(&(
            &b.pkg_name,
            &b.pkg_id,
            &b.installed_version,
        ))
    });
    let vuln_ranks = package_ranks(specs.len(), |a, b| {
        specs[a].vulnerability_id.cmp(&specs[b].vulnerability_id)
    });
    let keys: Vec<SortKey<'_>> = hits
        .iter()
        .map(|h| {
            let p = &pkgs[h.pkg as usize];
            SortKey {
                detection: p.detection,
                pkg_rank: ranks[h.pkg as usize],
                severity: templates[h.spec as usize].severity,
                vuln_rank: vuln_ranks[h.spec as usize],
                pkg_path: &p.pkg_path,
            }
        })
        .collect();
    let mut order: Vec<u32> = (0..hits.len() as u32).collect();
    order.sort_by(|&a, &b| trivy_order(&keys[a as usize], &keys[b as usize]));
    // Trivy's deduplication: the first of equal keys (in detection order) is kept.
    let mut kept: Vec<u32> = Vec::with_capacity(order.len());
    for &i in &order {
        if let Some(&last) = kept.last() {
            if keys[last as usize].same_finding(&keys[i as usize]) {
                continue;
            }
        }
        kept.push(i);
    }
    drop(keys);
    let mut per_detection = vec![0usize; detections.len()];
    for &i in &kept {
        per_detection[pkgs[hits[i as usize].pkg as usize].detection as usize] += 1;
    }
    for (d, n) in detections.iter_mut().zip(per_detection) {
        d.vulnerabilities.reserve_exact(n);
    }
    let mut statuses: Vec<(Status, SharedStr)> = Vec::new();
    for i in kept {
        let h = &mut hits[i as usize];
        let p = &pkgs[h.pkg as usize];
        let t = &templates[h.spec as usize];
        let d = &details[t.vuln];
        let status = match statuses.iter().find(|(s, _)| *s == h.status) {
            Some((_, text)) => text.clone(),
            None => {
                let text = SharedStr::from(h.status.as_str());
                statuses.push((h.status, text.clone()));
                text
            }
        };
        detections[p.detection as usize]
            .vulnerabilities
            .push(DetectedVulnerability {
                vulnerability_id: specs[h.spec as usize].vulnerability_id.clone(),
                vendor_ids: std::mem::take(&mut h.vendor_ids),
                pkg_id: p.pkg_id.clone(),
                pkg_name: p.pkg_name.clone(),
                pkg_path: p.pkg_path.clone(),
                pkg_identifier: p.pkg_identifier.clone(),
                installed_version: p.installed_version.clone(),
                fixed_version: std::mem::take(&mut h.fixed_version),
                status,
                layer: p.layer.clone(),
                severity_source: t.severity_source.clone(),
                primary_url: t.primary_url.clone(),
                data_source: t.data_source.clone(),
                title: d.title.clone(),
                description: d.description.clone(),
                severity: t.severity,
                cwe_ids: d.cwe_ids.clone(),
                vendor_severity: t.vendor_severity.clone(),
                cvss: t.cvss.clone(),
                references: d.references.clone(),
                published_date: d.published_date.clone(),
                last_modified_date: d.last_modified_date.clone(),
                kev: d.kev,
                aliases: d.aliases.clone(),
            });
    }
    Ok(())
}

/// Each of `n` items' rank under `cmp`: equal items share a rank, and ranks order as the items
/// do. Trivy sorts findings on the package's name, ID and version first; ranking the packages
/// once lets findings compare one integer instead of three strings.
fn package_ranks(n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Vec<u32> {
    let mut sorted: Vec<usize> = (0..n).collect();
    sorted.sort_by(|&a, &b| cmp(a, b));
    let mut ranks = vec![0u32; n];
    let mut rank = 0u32;
    for (k, &i) in sorted.iter().enumerate() {
        if k > 0 && cmp(sorted[k - 1], i) != std::cmp::Ordering::Equal {
            rank += 1;
        }
        ranks[i] = rank;
    }
    ranks
}

/// What Trivy sorts and deduplicates findings on, strings replaced by their ranks (see
/// [`package_ranks`]) so that sorting compares integers.
struct SortKey<'a> {
    /// The result the finding belongs to (findings are sorted within each).
    detection: u32,
    /// The package's rank by name, then ID, then installed version.
    pkg_rank: u32,
    severity: Severity,
    /// The vulnerability ID's rank.
    vuln_rank: u32,
    pkg_path: &'a str,
}

impl SortKey<'_> {
    /// Trivy's deduplication key: equal ID, package ID, name, installed version and path.
    fn same_finding(&self, other: &SortKey<'_>) -> bool {
        self.detection == other.detection
            && self.vuln_rank == other.vuln_rank
            && self.pkg_rank == other.pkg_rank
            && self.pkg_path == other.pkg_path
    }

    #[cfg(test)]
    fn of(v: &DetectedVulnerability, pkg_rank: u32, vuln_rank: u32) -> SortKey<'_> {
        SortKey {
            detection: 0,
            pkg_rank,
            severity: v.severity,
            vuln_rank,
            pkg_path: &v.pkg_path,
        }
    }
}

/// Trivy's order: package name, package ID, installed version, severity descending,
/// vulnerability ID, then path.
fn trivy_order(a: &SortKey<'_>, b: &SortKey<'_>) -> std::cmp::Ordering {
    a.detection
        .cmp(&b.detection)
        .then_with(|| a.pkg_rank.cmp(&b.pkg_rank))
        .then_with(|| b.severity.cmp(&a.severity))
        .then_with(|| a.vuln_rank.cmp(&b.vuln_rank))
        .then_with(|| a.pkg_path.cmp(b.pkg_path))
}

/// Every file an OS package installed (dpkg `info/*.list`, apk `R:` lines), with a leading `/`.
fn os_owned_files(inventory: &Inventory) -> FxHashSet<&str> {
    inventory
        .os_packages
        .iter()
        .flat_map(|db| &db.packages)
        .flat_map(|p| &p.installed_files)
        .map(String::as_str)
        .collect()
}

/// Whether the file a language package was found in (its own file, else its application's
/// lockfile or binary) belongs to an OS package.
fn is_os_owned(os_files: &FxHashSet<&str>, app_file_path: &str, pkg: &Package) -> bool {
    if os_files.is_empty() {
        return false;
    }
    let path = if pkg.file_path.is_empty() {
        app_file_path
    } else {
        &pkg.file_path
    };
    if path.is_empty() {
        return false;
    }
    match path.strip_prefix('/') {
        Some(_) => os_files.contains(path),
        None => os_files.contains(format!("/{path}").as_str()),
    }
}

/// Matches one package and records its hits (alias-merged by canonical ID).
/// `app_file_path` is `None` for OS packages, else the application's file path.
fn detect_package(
    ctx: &mut Ctx<'_>,
    pkg: &Package,
    namespace: &str,
    app_file_path: Option<&str>,
    detection: u32,
) -> Result<(), DetectError> {
    let os = app_file_path.is_none();
    let (lookup_name, compare_version) = if os {
        let name = if pkg.src_name.is_empty() {
            &pkg.name
        } else {
            &pkg.src_name
        };
        let version = if pkg.src_version.is_empty() {
            pkg.full_version()
        } else {
            pkg.full_src_version()
        };
        (name.as_str(), version)
    } else {
        (pkg.name.as_str(), pkg.version.clone())
    };
    if compare_version.is_empty() {
        return Ok(());
    }
    let Some(advisories) = ctx.advisories(namespace, lookup_name)? else {
        return Ok(());
    };
    let scheme: Scheme = match pkg.ecosystem.version_scheme().parse() {
        Ok(s) => s,
        Err(e) => {
            ctx.warn(pkg, "", format!("no version scheme: {e}"));
            return Ok(());
        }
    };
    // The scratch memos, reused from package to package (put back below).
    let mut scratch = std::mem::take(&mut ctx.scratch);
    let mut installed = Installed::new(&compare_version, &mut scratch.installed);
    let listed = &mut scratch.listed;
    listed.clear();
    // Hash of the canonical ID -> index in `ctx.hits` (see `hit_of`).
    let by_id = &mut scratch.by_id;
    by_id.clear();
    let first = ctx.hits.len();
    let pkg_index = ctx.pkgs.len() as u32;
    for advisory in advisories.iter() {
        if advisory.status() == Status::NotAffected {
            continue;
        }
        let fix = match matcher::evaluate(advisory, &mut installed, scheme, listed) {
            Ok(Verdict::Clear) => continue,
            Ok(Verdict::Affected(fix)) => fix,
            Err(e) => {
                for id in advisory.vulnerability_ids() {
                    ctx.warn(pkg, id, format!("advisory not evaluated: {e}"));
                }
                continue;
            }
        };
        let vendor_id = advisory.vendor_id();
        for (vulnerability_id, detail_key) in advisory.vulnerability_keys() {
            let id_hash = str_hash(vulnerability_id);
            if let Some(i) = hit_of(ctx, by_id, first, id_hash, vulnerability_id) {
                let existing = &mut ctx.hits[i];
                if let Some(v) = vendor_id {
                    if !existing.vendor_ids.iter().any(|e| e == v) {
                        existing.vendor_ids.push(v.to_owned());
                        existing.vendor_ids.sort();
                    }
                }
                let merged =
                    matcher::merge_fixes(&existing.fixed_version, &fix, &mut installed, scheme);
                if merged != existing.fixed_version {
                    existing.fixed_version = merged;
                    existing.status = Status::Fixed;
                }
                continue;
            }
            let status = if fix.is_empty() {
                match advisory.status() {
                    Status::Fixed => Status::Affected,
                    s => s,
                }
            } else {
                Status::Fixed
            };
            let spec = ctx.spec(
                advisory.source(),
                advisories.namespace(),
                enrich::Rated {
                    vulnerability_id,
                    vendor_id,
                    severity: advisory.severity(),
                },
                detail_key,
                os,
            );
            ctx.hits.push(Hit {
                pkg: pkg_index,
                spec,
                vendor_ids: vendor_id.iter().map(|v| (*v).to_owned()).collect(),
                fixed_version: fix.clone(),
                status,
            });
            by_id.entry(id_hash).or_insert(ctx.hits.len() - 1);
        }
    }
    ctx.scratch = scratch;
    if ctx.opts.ignore_unfixed || !ctx.opts.ignore_statuses.is_empty() {
        let opts = ctx.opts;
        let mut mine = ctx.hits.split_off(first);
        mine.retain(|h| {
            let unfixed = opts.ignore_unfixed && h.fixed_version.is_empty();
            !unfixed && !opts.ignore_statuses.contains(&h.status)
        });
        ctx.hits.extend(mine);
    }
    if ctx.hits.len() > first {
        ctx.pkgs.push(PkgParts {
            detection,
            pkg_id: SharedStr::from(&pkg.id),
            pkg_name: SharedStr::from(&pkg.name),
            installed_version: pkg.full_version().into(),
            pkg_identifier: Arc::new({
                let purl = pkg.purl.to_string();
                PkgIdentifier {
                    uid: uid::package_uid_with_purl(app_file_path.unwrap_or_default(), pkg, &purl),
                    purl,
                }
            }),
            pkg_path: if os {
                SharedStr::default()
            } else {
                SharedStr::from(&pkg.file_path)
            },
            layer: Arc::new(pkg.layer.clone()),
        });
    }
    Ok(())
}

/// Memory [`detect_package`] reuses from one package to the next.
#[derive(Default)]
struct Scratch {
    installed: matcher::InstalledMemo,
    listed: Listed,
    /// The package's hits by the hash of their vulnerability ID ([`hit_of`]).
    by_id: FxHashMap<u64, usize>,
}

fn str_hash(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = fxhash::FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// The index in `ctx.hits` of the current package's hit (those from `first` on) for
/// `vulnerability_id`, whose hash is `id_hash`. `by_id` maps hashes to the first hit with that
/// hash; on a collision the package's hits are searched one by one.
fn hit_of(
    ctx: &Ctx<'_>,
    by_id: &FxHashMap<u64, usize>,
    first: usize,
    id_hash: u64,
    vulnerability_id: &str,
) -> Option<usize> {
    let i = *by_id.get(&id_hash)?;
    let id_of = |i: usize| -> &str { &ctx.specs[ctx.hits[i].spec as usize].vulnerability_id };
    if id_of(i) == vulnerability_id {
        return Some(i);
    }
    (first..ctx.hits.len()).find(|&i| id_of(i) == vulnerability_id)
}

/// Deduplicates on Trivy's key and sorts as Trivy does (stable: equal keys keep their
/// detection order, the first of duplicates is kept): what [`build_findings`] does with hits,
/// on built findings.
#[cfg(test)]
fn finish(groups: Vec<Vec<DetectedVulnerability>>) -> Vec<DetectedVulnerability> {
    let found: Vec<DetectedVulnerability> = groups.into_iter().flatten().collect();
    let ranks = package_ranks(found.len(), |a, b| {
        let (a, b) = (&found[a], &found[b]);
        (&a.pkg_name, &a.pkg_id, &a.installed_version).cmp(&(
            &b.pkg_name,
            &b.pkg_id,
            &b.installed_version,
        ))
    });
    let vuln_ranks = package_ranks(found.len(), |a, b| {
        found[a].vulnerability_id.cmp(&found[b].vulnerability_id)
    });
    let mut ranked: Vec<((u32, u32), DetectedVulnerability)> =
        ranks.into_iter().zip(vuln_ranks).zip(found).collect();
    fn key((p, v): (u32, u32), f: &DetectedVulnerability) -> SortKey<'_> {
        SortKey::of(f, p, v)
    }
    ranked.sort_by(|(ra, a), (rb, b)| trivy_order(&key(*ra, a), &key(*rb, b)));
    ranked.dedup_by(|(rb, b), (ra, a)| key(*ra, a).same_finding(&key(*rb, b)));
    ranked.into_iter().map(|(_, v)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_types::{Application, OsPackageDb, OsRelease, Purl};
    use atalaia_vulndb::{Advisory, AffectedRange, KevEntry, RangeEvent, RangeType, Vulnerability};

    fn advisory(
        ns: &str,
        pkg: &str,
        id: &str,
        vendor: &str,
        source: &str,
        scheme: &str,
        fixed: &str,
    ) -> Advisory {
        Advisory {
            namespace: ns.into(),
            package: pkg.into(),
            package_as_written: pkg.into(),
            vulnerability_id: id.into(),
            vendor_id: Some(vendor.into()),
            source: source.into(),
            status: Status::Fixed,
            ranges: vec![AffectedRange {
                range_type: RangeType::Ecosystem,
                scheme: scheme.into(),
                events: vec![
                    RangeEvent::Introduced("0".into()),
                    RangeEvent::Fixed(fixed.into()),
                ],
            }],
            versions: vec![],
            requirements: None,
            fixed_versions: vec![fixed.into()],
            severity: None,
            extra: None,
        }
    }

    fn app(pkgs: Vec<Package>) -> Inventory {
        Inventory {
            applications: vec![Application {
                app_type: "python-pkg".into(),
                file_path: String::new(),
                packages: pkgs,
            }],
            ..Inventory::default()
        }
    }

    fn pypi(name: &str, version: &str) -> Package {
        Package::new(
            Ecosystem::PyPI,
            name,
            version,
            Purl::new("pypi", "", &name.to_ascii_lowercase(), version),
        )
    }

    #[test]
    fn aliases_merge_into_one_finding_with_both_vendor_ids() {
        let mut store = MemoryStore::new();
        store
            .add_advisory(advisory(
                "PyPI",
                "django",
                "CVE-2021-1",
                "PYSEC-2021-1",
                "osv/pypa",
                "pep440",
                "3.2.1",
            ))
            .add_advisory(advisory(
                "PyPI",
                "django",
                "CVE-2021-1",
                "GHSA-aaaa-bbbb-cccc",
                "osv/ghsa",
                "pep440",
                "3.2.2",
            ))
            .add_vulnerability(Vulnerability {
                id: "CVE-2021-1".into(),
                aliases: vec!["GHSA-aaaa-bbbb-cccc".into(), "PYSEC-2021-1".into()],
                title: Some("t".into()),
                description: None,
                cwes: vec![],
                references: vec![],
                published: None,
                modified: None,
                severities: vec![],
                kev: Some(KevEntry {
                    date_added: "2023-01-01".into(),
                    ransomware: None,
                    due_date: None,
                }),
            });
        let report = detect(
            &app(vec![pypi("Django", "3.2")]),
            &store,
            &DetectOptions::new(),
        )
        .unwrap();
        let found: Vec<_> = report.vulnerabilities().collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].vendor_ids, ["GHSA-aaaa-bbbb-cccc", "PYSEC-2021-1"]);
        assert_eq!(found[0].fixed_version, "3.2.1");
        assert!(found[0].kev);
        assert_eq!(found[0].title, "t");
        let json = serde_json::to_value(found[0]).unwrap();
        assert_eq!(json["VulnerabilityID"], "CVE-2021-1");
        assert_eq!(json["KEV"], true);
        assert_eq!(json["PkgIdentifier"]["PURL"], "pkg:pypi/django@3.2");
    }

    #[test]
    fn not_affected_and_unfixed_and_bad_versions() {
        let mut store = MemoryStore::new();
        let mut na = advisory("PyPI", "a", "CVE-1", "X-1", "osv/pypa", "pep440", "9.0");
        na.status = Status::NotAffected;
        let mut unfixed = advisory("PyPI", "a", "CVE-2", "X-2", "osv/pypa", "pep440", "9.0");
        unfixed.ranges[0].events.pop();
        unfixed.fixed_versions.clear();
        unfixed.status = Status::WillNotFix;
        let bad = advisory(
            "PyPI",
            "a",
            "CVE-3",
            "X-3",
            "osv/pypa",
            "pep440",
            "not a version",
        );
        store
            .add_advisory(na)
            .add_advisory(unfixed)
            .add_advisory(bad);
        let inv = app(vec![pypi("a", "1.0")]);
        let report = detect(&inv, &store, &DetectOptions::new()).unwrap();
        let found: Vec<_> = report.vulnerabilities().collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].vulnerability_id, "CVE-2");
        assert_eq!(found[0].status, "will_not_fix");
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(report.warnings[0].vulnerability_id, "CVE-3");
        let report = detect(&inv, &store, &DetectOptions::new().ignore_unfixed(true)).unwrap();
        assert_eq!(report.vulnerabilities().count(), 0);
        // An unparsable installed version is a warning, not an error.
        let report = detect(&app(vec![pypi("a", "%%%")]), &store, &DetectOptions::new()).unwrap();
        assert_eq!(report.vulnerabilities().count(), 0);
        assert!(!report.warnings.is_empty());
    }

    #[test]
    fn os_packages_match_by_source_in_the_release_namespace() {
        let mut store = MemoryStore::new();
        let mut a = advisory(
            "debian 11",
            "openssl",
            "CVE-2022-2068",
            "DSA-5169-1",
            "debian-tracker/DSA",
            "dpkg",
            "1.1.1n-0+deb11u3",
        );
        a.severity = Some("high".into());
        store.add_advisory(a);
        let mut pkg = Package::new(
            Ecosystem::Deb,
            "libssl1.1",
            "1.1.1n",
            Purl::new("deb", "debian", "libssl1.1", "1.1.1n-0+deb11u2"),
        );
        pkg.release = "0+deb11u2".into();
        pkg.src_name = "openssl".into();
        pkg.src_version = "1.1.1n".into();
        pkg.src_release = "0+deb11u2".into();
        let os_db = OsPackageDb {
            file_path: "/var/lib/dpkg/status".into(),
            packages: vec![pkg],
        };
        let mut inv = Inventory {
            os: Some(OsRelease {
                family: OsFamily::Debian,
                version: "11.6".into(),
                pretty_name: None,
                source: None,
                eosl: None,
            }),
            os_packages: vec![os_db],
            ..Inventory::default()
        };
        let report = detect(&inv, &store, &DetectOptions::new()).unwrap();
        let f: Vec<_> = report.vulnerabilities().collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pkg_name, "libssl1.1");
        assert_eq!(f[0].installed_version, "1.1.1n-0+deb11u2");
        assert_eq!(
            (f[0].severity, f[0].severity_source.as_str()),
            (Severity::High, "debian")
        );
        assert_eq!(f[0].vendor_ids, ["DSA-5169-1"]);
        // Another release's namespace has nothing; no OS at all is a warning.
        inv.os.as_mut().unwrap().version = "12.1".into();
        assert_eq!(
            detect(&inv, &store, &DetectOptions::new())
                .unwrap()
                .vulnerabilities()
                .count(),
            0
        );
        inv.os = None;
        let report = detect(&inv, &store, &DetectOptions::new()).unwrap();
        assert_eq!(report.warnings.len(), 1);
    }

    fn owned_inventory(owned: bool) -> Inventory {
        let mut django = pypi("Django", "3.2");
        django.file_path = "/usr/lib/python3/dist-packages/Django-3.2.egg-info".into();
        let mut deb = Package::new(
            Ecosystem::Deb,
            "python3-django",
            "3.2",
            Purl::new("deb", "debian", "python3-django", "3.2-1"),
        );
        deb.release = "1".into();
        deb.src_name = "python-django".into();
        if owned {
            deb.installed_files = vec![
                "/usr/lib/python3/dist-packages/Django-3.2.egg-info".into(),
                "/usr/lib/python3/dist-packages/django/__init__.py".into(),
            ];
        }
        Inventory {
            os: Some(OsRelease {
                family: OsFamily::Debian,
                version: "11.6".into(),
                pretty_name: None,
                source: None,
                eosl: None,
            }),
            os_packages: vec![OsPackageDb {
                file_path: "/var/lib/dpkg/status".into(),
                packages: vec![deb],
            }],
            ..app(vec![django])
        }
    }

    #[test]
    fn r6_language_packages_owned_by_an_os_package_skip_the_language_feed() {
        let mut store = MemoryStore::new();
        store.add_advisory(advisory(
            "PyPI",
            "django",
            "CVE-2021-1",
            "PYSEC-2021-1",
            "osv/pypa",
            "pep440",
            "3.2.1",
        ));
        let free = detect(&owned_inventory(false), &store, &DetectOptions::new()).unwrap();
        assert_eq!(free.vulnerabilities().count(), 1);
        let owned = detect(&owned_inventory(true), &store, &DetectOptions::new()).unwrap();
        assert_eq!(owned.vulnerabilities().count(), 0);
        assert!(owned.warnings.is_empty(), "{:?}", owned.warnings);
        // A lockfile application path without the leading `/` is compared as an image path.
        let mut inv = owned_inventory(true);
        inv.applications[0].packages[0].file_path.clear();
        inv.applications[0].file_path = "usr/lib/python3/dist-packages/Django-3.2.egg-info".into();
        let report = detect(&inv, &store, &DetectOptions::new()).unwrap();
        assert_eq!(report.vulnerabilities().count(), 0);
    }

    #[test]
    fn ignore_statuses_leave_out_findings_by_their_status() {
        let mut store = MemoryStore::new();
        let fixed = advisory("PyPI", "a", "CVE-1", "X-1", "osv/pypa", "pep440", "9.0");
        let mut deferred = advisory("PyPI", "a", "CVE-2", "X-2", "osv/pypa", "pep440", "9.0");
        deferred.ranges[0].events.pop();
        deferred.fixed_versions.clear();
        deferred.status = Status::FixDeferred;
        let mut wontfix = deferred.clone();
        wontfix.vulnerability_id = "CVE-3".into();
        wontfix.status = Status::WillNotFix;
        store
            .add_advisory(fixed)
            .add_advisory(deferred)
            .add_advisory(wontfix);
        let inv = app(vec![pypi("a", "1.0")]);
        let ids = |opts: DetectOptions| -> Vec<String> {
            detect(&inv, &store, &opts)
                .unwrap()
                .vulnerabilities()
                .map(|v| format!("{} {}", v.vulnerability_id, v.status))
                .collect()
        };
        assert_eq!(
            ids(DetectOptions::new()),
            ["CVE-1 fixed", "CVE-2 fix_deferred", "CVE-3 will_not_fix"]
        );
        assert_eq!(
            ids(DetectOptions::new().ignore_statuses([Status::FixDeferred, Status::WillNotFix])),
            ["CVE-1 fixed"]
        );
        assert_eq!(
            ids(DetectOptions::new().ignore_statuses([Status::Fixed])),
            ["CVE-2 fix_deferred", "CVE-3 will_not_fix"]
        );
    }

    #[test]
    fn findings_carry_the_package_uid_reports_use() {
        let mut store = MemoryStore::new();
        store.add_advisory(advisory(
            "PyPI",
            "django",
            "CVE-2021-1",
            "PYSEC-2021-1",
            "osv/pypa",
            "pep440",
            "3.2.1",
        ));
        let mut inv = app(vec![pypi("Django", "3.2")]);
        inv.applications[0].file_path = "app/poetry.lock".into();
        let report = detect(&inv, &store, &DetectOptions::new()).unwrap();
        let f = report.vulnerabilities().next().unwrap();
        assert_eq!(
            f.pkg_identifier.uid,
            package_uid("app/poetry.lock", &inv.applications[0].packages[0])
        );
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["PkgIdentifier"]["UID"], f.pkg_identifier.uid.as_str());
    }

    #[test]
    fn finish_sorts_as_trivy_stably_and_drops_duplicates() {
        let mut store = MemoryStore::new();
        store.add_advisory(advisory(
            "PyPI", "a", "CVE-1", "X-1", "osv/pypa", "pep440", "9.0",
        ));
        let base = detect(&app(vec![pypi("a", "1.0")]), &store, &DetectOptions::new())
            .unwrap()
            .vulnerabilities()
            .next()
            .cloned()
            .unwrap();
        let f = |name: &str, id: &str, sev: Severity, vendor: &str| {
            let mut v = base.clone();
            v.pkg_name = name.into();
            v.vulnerability_id = id.into();
            v.severity = sev;
            v.vendor_ids = vec![vendor.into()];
            v
        };
        let groups = vec![
            vec![
                f("b", "CVE-2", Severity::Low, "first"),
                f("b", "CVE-9", Severity::High, "x"),
            ],
            vec![
                f("a", "CVE-3", Severity::Low, "x"),
                f("b", "CVE-2", Severity::Low, "second"),
                f("a", "CVE-1", Severity::Low, "x"),
            ],
            vec![f("a", "CVE-5", Severity::Critical, "x")],
        ];
        let out: Vec<_> = finish(groups)
            .into_iter()
            .map(|v| format!("{} {} {}", v.pkg_name, v.vulnerability_id, v.vendor_ids[0]))
            .collect();
        assert_eq!(
            out,
            [
                "a CVE-5 x",
                "a CVE-1 x",
                "a CVE-3 x",
                "b CVE-9 x",
                "b CVE-2 first"
            ]
        );
        assert!(finish(Vec::new()).is_empty());
    }

    struct Failing;

    impl AdvisoryStore for Failing {
        fn advisories_for(&self, _: &str, _: &str) -> Result<Vec<Advisory>, StoreError> {
            Err(StoreError::new(
                "look up",
                std::io::Error::other("disk on fire"),
            ))
        }
        fn vulnerability(&self, _: &str) -> Result<Option<Vulnerability>, StoreError> {
            Ok(None)
        }
    }

    #[test]
    fn the_chunk_queue_hands_out_every_chunk_once() {
        for (chunks, threads) in [(0, 2), (1, 2), (7, 2), (40, 3), (5, 8)] {
            let queue = ChunkQueue::new(chunks, threads);
            let taken: Vec<Vec<usize>> = std::thread::scope(|scope| {
                let queue = &queue;
                let handles: Vec<_> = (0..threads)
                    .map(|me| scope.spawn(move || std::iter::from_fn(|| queue.take(me)).collect()))
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let mut all: Vec<usize> = taken.iter().flatten().copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..chunks).collect::<Vec<_>>(), "{chunks} chunks");
        }
        // Alone, a thread takes its own run front to back, then the others' from the back.
        let queue = ChunkQueue::new(6, 2);
        let order: Vec<usize> = std::iter::from_fn(|| queue.take(0)).collect();
        assert_eq!(order, [0, 1, 2, 5, 4, 3]);
    }

    #[test]
    fn a_failing_store_is_an_error_naming_the_package() {
        let err = detect(
            &app(vec![pypi("a", "1.0")]),
            &Failing,
            &DetectOptions::new(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("`a` in `PyPI`"), "{err}");
    }
}
