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
use std::rc::Rc;

use atalaia_types::{Ecosystem, Inventory, OsFamily, Package};
use atalaia_version::Scheme;
use atalaia_vulndb::{PackageAdvisories, Status, VulnerabilityRecord};

pub use error::{DetectError, StoreError};
pub use model::{
    Cvss, DataSource, DetectReport, DetectWarning, DetectedVulnerability, Detection, PkgIdentifier,
    ResultKey, Severity,
};
pub use store::{AdvisoryStore, MemoryStore};
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
struct Ctx<'s, 'i> {
    store: &'s dyn AdvisoryStore,
    /// By `namespace \0 package`.
    advisories: FxHashMap<Box<str>, Option<Rc<PackageAdvisories>>>,
    /// Index in `specs`, by [`Ctx::spec`]'s key.
    spec_index: FxHashMap<Box<str>, u32>,
    specs: Vec<Spec>,
    /// Packages with hits.
    pkgs: Vec<PkgParts<'i>>,
    hits: Vec<Hit>,
    /// The buffer lookup keys are written into.
    key: String,
    warnings: Vec<DetectWarning>,
    opts: &'s DetectOptions,
}

/// What rates the findings of one vulnerability from one advisory source (see [`Template`]).
struct Spec {
    vulnerability_id: Box<str>,
    /// The details row ([`atalaia_vulndb::AdvisoryRef::vulnerability_keys`]).
    detail_key: u64,
    source: Box<str>,
    namespace: Box<str>,
    severity: Option<Box<str>>,
    ghsa_vendor: bool,
    os: bool,
}

/// The parts of a finding that depend only on the vulnerability, the advisory's data source
/// and its rating inputs: computed once per [`Spec`], cloned into each finding.
struct Template {
    data_source: DataSource,
    severity: Severity,
    severity_source: String,
    vendor_severity: BTreeMap<String, u8>,
    cvss: BTreeMap<String, Cvss>,
    primary_url: String,
    /// Index in the run's details.
    vuln: usize,
}

/// A package with findings: what every finding of it shares.
struct PkgParts<'i> {
    pkg: &'i Package,
    /// Index of its [`Detection`].
    detection: u32,
    installed_version: String,
    pkg_identifier: PkgIdentifier,
    pkg_path: String,
}

/// A finding before it is built.
struct Hit {
    pkg: u32,
    spec: u32,
    vulnerability_id: String,
    vendor_ids: Vec<String>,
    fixed_version: String,
    status: Status,
}

impl<'i> Ctx<'_, 'i> {
    fn advisories(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Option<Rc<PackageAdvisories>>, DetectError> {
        self.key.clear();
        self.key.push_str(namespace);
        self.key.push('\0');
        self.key.push_str(package);
        if let Some(a) = self.advisories.get(self.key.as_str()) {
            return Ok(a.clone());
        }
        let found = self
            .store
            .package_advisories(namespace, package)
            .map_err(|err| DetectError::Store {
                namespace: namespace.to_owned(),
                package: package.to_owned(),
                err,
            })?
            .filter(|p| !p.is_empty())
            .map(Rc::new);
        self.advisories
            .insert(self.key.as_str().into(), found.clone());
        Ok(found)
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
        let ghsa_vendor = rated.vendor_id.is_some_and(|v| v.starts_with("GHSA-"));
        self.key.clear();
        for part in [rated.vulnerability_id, source, namespace] {
            self.key.push_str(part);
            self.key.push('\0');
        }
        if let Some(severity) = rated.severity {
            self.key.push('s');
            self.key.push_str(severity);
            self.key.push('\0');
        }
        self.key.push(if ghsa_vendor { 'g' } else { '-' });
        self.key.push(if os { 'o' } else { '-' });
        if let Some(&i) = self.spec_index.get(self.key.as_str()) {
            return i;
        }
        let i = self.specs.len() as u32;
        self.specs.push(Spec {
            vulnerability_id: rated.vulnerability_id.into(),
            detail_key,
            source: source.into(),
            namespace: namespace.into(),
            severity: rated.severity.map(Into::into),
            ghsa_vendor,
            os,
        });
        self.spec_index.insert(self.key.as_str().into(), i);
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
    /// order) and rates each spec.
    fn templates(&self) -> Result<(Vec<Template>, Vec<Option<VulnerabilityRecord>>), DetectError> {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut wanted: Vec<(u64, &str)> = Vec::new();
        let mut vuln_of_spec = Vec::with_capacity(self.specs.len());
        for s in &self.specs {
            let id: &str = &s.vulnerability_id;
            let i = *index.entry(id).or_insert_with(|| {
                wanted.push((s.detail_key, id));
                wanted.len() - 1
            });
            vuln_of_spec.push(i);
        }
        let records =
            self.store
                .vulnerability_records(&wanted)
                .map_err(|err| DetectError::Store {
                    namespace: String::new(),
                    package: wanted.first().map(|w| w.1).unwrap_or_default().to_owned(),
                    err,
                })?;
        let mut templates = Vec::with_capacity(self.specs.len());
        for (s, &vi) in self.specs.iter().zip(&vuln_of_spec) {
            let v = records.get(vi).and_then(Option::as_ref);
            let data_source = enrich::data_source(&s.source, &s.namespace);
            let rated = enrich::Rated {
                vulnerability_id: &s.vulnerability_id,
                vendor_id: s.ghsa_vendor.then_some("GHSA-"),
                severity: s.severity.as_deref(),
            };
            let rating = enrich::rate(&data_source, rated, v, s.os);
            templates.push(Template {
                primary_url: enrich::primary_url(&s.vulnerability_id, v),
                data_source,
                severity: rating.severity,
                severity_source: rating.source,
                vendor_severity: rating.vendor_severity,
                cvss: rating.cvss,
                vuln: vi,
            });
        }
        Ok((templates, records))
    }
}

/// Matches every package of `inventory` against `store`: one [`Detection`] per OS package
/// database, then one per application, in inventory order.
pub fn detect(
    inventory: &Inventory,
    store: &dyn AdvisoryStore,
    opts: &DetectOptions,
) -> Result<DetectReport, DetectError> {
    let mut ctx = Ctx {
        store,
        advisories: FxHashMap::default(),
        spec_index: FxHashMap::default(),
        specs: Vec::new(),
        pkgs: Vec::new(),
        hits: Vec::new(),
        key: String::new(),
        warnings: Vec::new(),
        opts,
    };
    let mut detections = Vec::new();
    let os_namespace = inventory.os.as_ref().map(os_namespace);
    for (index, db) in inventory.os_packages.iter().enumerate() {
        let d = detections.len() as u32;
        match &os_namespace {
            Some(ns) => {
                for pkg in &db.packages {
                    detect_package(&mut ctx, pkg, ns, None, d)?;
                }
            }
            None if !db.packages.is_empty() => ctx.warnings.push(DetectWarning {
                pkg_id: String::new(),
                vulnerability_id: String::new(),
                message: format!(
                    "OS packages in `{}` were not matched: no OS release was detected",
                    db.file_path
                ),
            }),
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
        let d = detections.len() as u32;
        for pkg in &app.packages {
            if is_os_owned(&os_files, &app.file_path, pkg) {
                continue;
            }
            match language_namespace(pkg.ecosystem) {
                Some(ns) => detect_package(&mut ctx, pkg, ns, Some(&app.file_path), d)?,
                None => ctx.warn(
                    pkg,
                    "",
                    format!(
                        "an OS package in application `{}` was not matched",
                        app.file_path
                    ),
                ),
            }
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
    build_findings(&mut ctx, &mut detections)?;
    Ok(DetectReport {
        detections,
        warnings: ctx.warnings,
    })
}

/// The last phase of [`detect`]: rates the specs, sorts and deduplicates the hits as Trivy
/// does (see [`trivy_order`]) and builds each finding in its final place.
fn build_findings(ctx: &mut Ctx<'_, '_>, detections: &mut [Detection]) -> Result<(), DetectError> {
    if ctx.hits.is_empty() {
        return Ok(());
    }
    let (templates, records) = ctx.templates()?;
    let hits = &mut ctx.hits;
    let pkgs = &ctx.pkgs;
    let key = |h| sort_key(h, pkgs, &templates);
    let mut order: Vec<u32> = (0..hits.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (da, ka) = key(&hits[a as usize]);
        let (db, kb) = key(&hits[b as usize]);
        da.cmp(&db).then_with(|| trivy_order(&ka, &kb))
    });
    // Trivy's deduplication: the first of equal keys (in detection order) is kept.
    let mut kept: Vec<u32> = Vec::with_capacity(order.len());
    for &i in &order {
        if let Some(&last) = kept.last() {
            let (dl, kl) = key(&hits[last as usize]);
            let (di, ki) = key(&hits[i as usize]);
            if dl == di && kl.same_finding(&ki) {
                continue;
            }
        }
        kept.push(i);
    }
    let mut per_detection = vec![0usize; detections.len()];
    for &i in &kept {
        per_detection[pkgs[hits[i as usize].pkg as usize].detection as usize] += 1;
    }
    for (d, n) in detections.iter_mut().zip(per_detection) {
        d.vulnerabilities.reserve_exact(n);
    }
    for i in kept {
        let h = &mut hits[i as usize];
        let p = &pkgs[h.pkg as usize];
        let t = &templates[h.spec as usize];
        let v = records.get(t.vuln).and_then(Option::as_ref);
        detections[p.detection as usize]
            .vulnerabilities
            .push(DetectedVulnerability {
                vulnerability_id: std::mem::take(&mut h.vulnerability_id),
                vendor_ids: std::mem::take(&mut h.vendor_ids),
                pkg_id: p.pkg.id.clone(),
                pkg_name: p.pkg.name.clone(),
                pkg_path: p.pkg_path.clone(),
                pkg_identifier: p.pkg_identifier.clone(),
                installed_version: p.installed_version.clone(),
                fixed_version: std::mem::take(&mut h.fixed_version),
                status: h.status.as_str().to_owned(),
                layer: p.pkg.layer.clone(),
                severity_source: t.severity_source.clone(),
                primary_url: t.primary_url.clone(),
                data_source: t.data_source.clone(),
                title: v
                    .and_then(|v| v.title())
                    .map(str::to_owned)
                    .unwrap_or_default(),
                description: v
                    .and_then(|v| v.description())
                    .map(str::to_owned)
                    .unwrap_or_default(),
                severity: t.severity,
                cwe_ids: v.map(|v| owned(v.cwes())).unwrap_or_default(),
                vendor_severity: t.vendor_severity.clone(),
                cvss: t.cvss.clone(),
                references: v.map(|v| owned(v.references())).unwrap_or_default(),
                published_date: v.and_then(|v| v.published()).map(str::to_owned),
                last_modified_date: v.and_then(|v| v.modified()).map(str::to_owned),
                kev: v.is_some_and(VulnerabilityRecord::is_kev),
                aliases: v.map(|v| owned(v.aliases())).unwrap_or_default(),
            });
    }
    Ok(())
}

/// The detection and sort key of a hit.
fn sort_key<'a>(
    h: &'a Hit,
    pkgs: &'a [PkgParts<'_>],
    templates: &[Template],
) -> (u32, SortKey<'a>) {
    let p = &pkgs[h.pkg as usize];
    (
        p.detection,
        SortKey {
            pkg_name: &p.pkg.name,
            pkg_id: &p.pkg.id,
            installed_version: &p.installed_version,
            severity: templates[h.spec as usize].severity,
            vulnerability_id: &h.vulnerability_id,
            pkg_path: &p.pkg_path,
        },
    )
}

/// What Trivy sorts and deduplicates findings on.
struct SortKey<'a> {
    pkg_name: &'a str,
    pkg_id: &'a str,
    installed_version: &'a str,
    severity: Severity,
    vulnerability_id: &'a str,
    pkg_path: &'a str,
}

impl SortKey<'_> {
    /// Trivy's deduplication key: equal ID, package ID, name, installed version and path.
    fn same_finding(&self, other: &SortKey<'_>) -> bool {
        self.vulnerability_id == other.vulnerability_id
            && self.pkg_id == other.pkg_id
            && self.pkg_name == other.pkg_name
            && self.installed_version == other.installed_version
            && self.pkg_path == other.pkg_path
    }

    #[cfg(test)]
    fn of(v: &DetectedVulnerability) -> SortKey<'_> {
        SortKey {
            pkg_name: &v.pkg_name,
            pkg_id: &v.pkg_id,
            installed_version: &v.installed_version,
            severity: v.severity,
            vulnerability_id: &v.vulnerability_id,
            pkg_path: &v.pkg_path,
        }
    }
}

/// Trivy's order: package name, package ID, installed version, severity descending,
/// vulnerability ID, then path.
fn trivy_order(a: &SortKey<'_>, b: &SortKey<'_>) -> std::cmp::Ordering {
    a.pkg_name
        .cmp(b.pkg_name)
        .then_with(|| a.pkg_id.cmp(b.pkg_id))
        .then_with(|| a.installed_version.cmp(b.installed_version))
        .then_with(|| b.severity.cmp(&a.severity))
        .then_with(|| a.vulnerability_id.cmp(b.vulnerability_id))
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
fn detect_package<'i>(
    ctx: &mut Ctx<'_, 'i>,
    pkg: &'i Package,
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
    let mut installed = Installed::new(&compare_version);
    let mut listed = Listed::default();
    // Canonical ID -> index in `ctx.hits`.
    let mut by_id: FxHashMap<&str, usize> = FxHashMap::default();
    let first = ctx.hits.len();
    let pkg_index = ctx.pkgs.len() as u32;
    for advisory in advisories.iter() {
        if advisory.status() == Status::NotAffected {
            continue;
        }
        let fix = match matcher::evaluate(advisory, &mut installed, scheme, &mut listed) {
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
            if let Some(&i) = by_id.get(vulnerability_id) {
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
                vulnerability_id: vulnerability_id.to_owned(),
                vendor_ids: vendor_id.iter().map(|v| (*v).to_owned()).collect(),
                fixed_version: fix.clone(),
                status,
            });
            by_id.insert(vulnerability_id, ctx.hits.len() - 1);
        }
    }
    drop(by_id);
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
            pkg,
            detection,
            installed_version: pkg.full_version(),
            pkg_identifier: PkgIdentifier {
                purl: pkg.purl.to_string(),
                uid: package_uid(app_file_path.unwrap_or_default(), pkg),
            },
            pkg_path: if os {
                String::new()
            } else {
                pkg.file_path.clone()
            },
        });
    }
    Ok(())
}

/// The strings as an exactly-sized `Vec` of owned ones.
fn owned<'a>(items: impl ExactSizeIterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::with_capacity(items.len());
    out.extend(items.map(str::to_owned));
    out
}

/// Deduplicates on Trivy's key and sorts as Trivy does (stable: equal keys keep their
/// detection order, the first of duplicates is kept): what [`build_findings`] does with hits,
/// on built findings.
#[cfg(test)]
fn finish(groups: Vec<Vec<DetectedVulnerability>>) -> Vec<DetectedVulnerability> {
    let mut found: Vec<DetectedVulnerability> = groups.into_iter().flatten().collect();
    found.sort_by(|a, b| trivy_order(&SortKey::of(a), &SortKey::of(b)));
    found.dedup_by(|b, a| SortKey::of(a).same_finding(&SortKey::of(b)));
    found
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
