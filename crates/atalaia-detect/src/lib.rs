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
//! version is parsed once per scheme, listed versions once per package, and vulnerability
//! details once per ID.
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
use atalaia_vulndb::{PackageAdvisories, Status, Vulnerability};

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

/// Lookups shared across the packages of one run.
struct Ctx<'s> {
    store: &'s dyn AdvisoryStore,
    /// By `namespace \0 package`.
    advisories: FxHashMap<Box<str>, Option<Rc<PackageAdvisories>>>,
    vulns: FxHashMap<Box<str>, Option<Rc<Vulnerability>>>,
    /// What every finding of one vulnerability rated the same way shares, by [`Ctx::key`].
    templates: FxHashMap<Box<str>, Rc<Template>>,
    /// The buffer lookup keys are written into.
    key: String,
    warnings: Vec<DetectWarning>,
    opts: &'s DetectOptions,
}

/// The parts of a finding that depend only on the vulnerability, the advisory's data source
/// and its rating inputs: computed once, cloned into each finding.
struct Template {
    data_source: DataSource,
    severity: Severity,
    severity_source: String,
    vendor_severity: BTreeMap<String, u8>,
    cvss: BTreeMap<String, Cvss>,
    primary_url: String,
    /// The details (shared with [`Ctx::vulns`]: dropped once).
    vuln: Option<Rc<Vulnerability>>,
}

impl Ctx<'_> {
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

    fn vulnerability(&mut self, id: &str) -> Result<Option<Rc<Vulnerability>>, DetectError> {
        if let Some(v) = self.vulns.get(id) {
            return Ok(v.clone());
        }
        let v = self
            .store
            .vulnerability(id)
            .map_err(|err| DetectError::Store {
                namespace: String::new(),
                package: id.to_owned(),
                err,
            })?
            .map(Rc::new);
        self.vulns.insert(id.into(), v.clone());
        Ok(v)
    }

    /// The shared parts of a finding of `rated.vulnerability_id` from an advisory of `source`
    /// in `namespace`, computed on first use.
    fn template(
        &mut self,
        source: &str,
        namespace: &str,
        rated: enrich::Rated<'_>,
        os: bool,
    ) -> Result<Rc<Template>, DetectError> {
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
        if let Some(t) = self.templates.get(self.key.as_str()) {
            return Ok(t.clone());
        }
        let key: Box<str> = self.key.as_str().into();
        let vuln = self.vulnerability(rated.vulnerability_id)?;
        let v = vuln.as_deref();
        let data_source = enrich::data_source(source, namespace);
        let rating = enrich::rate(&data_source, rated, v, os);
        let t = Rc::new(Template {
            primary_url: enrich::primary_url(
                rated.vulnerability_id,
                v.map_or(&[], |v| v.references.as_slice()),
            ),
            data_source,
            severity: rating.severity,
            severity_source: rating.source,
            vendor_severity: rating.vendor_severity,
            cvss: rating.cvss,
            vuln,
        });
        self.templates.insert(key, t.clone());
        Ok(t)
    }

    fn warn(&mut self, pkg: &Package, vulnerability_id: &str, message: String) {
        self.warnings.push(DetectWarning {
            pkg_id: pkg.id.clone(),
            vulnerability_id: vulnerability_id.to_owned(),
            message,
        });
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
        vulns: FxHashMap::default(),
        templates: FxHashMap::default(),
        key: String::new(),
        warnings: Vec::new(),
        opts,
    };
    let mut detections = Vec::new();
    let os_namespace = inventory.os.as_ref().map(os_namespace);
    for (index, db) in inventory.os_packages.iter().enumerate() {
        let mut found = Vec::new();
        match &os_namespace {
            Some(ns) => {
                for pkg in &db.packages {
                    detect_package(&mut ctx, pkg, ns, None, &mut found)?;
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
            vulnerabilities: finish(found),
        });
    }
    let os_files = if inventory.applications.is_empty() {
        FxHashSet::default()
    } else {
        os_owned_files(inventory)
    };
    for (index, app) in inventory.applications.iter().enumerate() {
        let mut found = Vec::new();
        for pkg in &app.packages {
            if is_os_owned(&os_files, &app.file_path, pkg) {
                continue;
            }
            match language_namespace(pkg.ecosystem) {
                Some(ns) => detect_package(&mut ctx, pkg, ns, Some(&app.file_path), &mut found)?,
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
            vulnerabilities: finish(found),
        });
    }
    Ok(DetectReport {
        detections,
        warnings: ctx.warnings,
    })
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

/// Matches one package and appends its findings (alias-merged by canonical ID).
/// `app_file_path` is `None` for OS packages, else the application's file path.
fn detect_package(
    ctx: &mut Ctx<'_>,
    pkg: &Package,
    namespace: &str,
    app_file_path: Option<&str>,
    out: &mut Vec<Vec<DetectedVulnerability>>,
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
    // Canonical ID -> index in `mine`.
    let mut by_id: FxHashMap<&str, usize> = FxHashMap::default();
    let mut mine: Vec<DetectedVulnerability> = Vec::new();
    // Per package: the same for every finding.
    let mut package_parts: Option<(String, PkgIdentifier, String)> = None;
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
        for vulnerability_id in advisory.vulnerability_ids() {
            if let Some(&i) = by_id.get(vulnerability_id) {
                let existing = &mut mine[i];
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
                    existing.status = Status::Fixed.as_str().to_owned();
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
            let t = ctx.template(
                advisory.source(),
                advisories.namespace(),
                enrich::Rated {
                    vulnerability_id,
                    vendor_id,
                    severity: advisory.severity(),
                },
                os,
            )?;
            let v = t.vuln.as_deref();
            let (installed_version, pkg_identifier, pkg_path) =
                package_parts.get_or_insert_with(|| {
                    (
                        pkg.full_version(),
                        PkgIdentifier {
                            purl: pkg.purl.to_string(),
                            uid: package_uid(app_file_path.unwrap_or_default(), pkg),
                        },
                        if os {
                            String::new()
                        } else {
                            pkg.file_path.clone()
                        },
                    )
                });
            mine.push(DetectedVulnerability {
                vulnerability_id: vulnerability_id.to_owned(),
                vendor_ids: vendor_id.iter().map(|v| (*v).to_owned()).collect(),
                pkg_id: pkg.id.clone(),
                pkg_name: pkg.name.clone(),
                pkg_path: pkg_path.clone(),
                pkg_identifier: pkg_identifier.clone(),
                installed_version: installed_version.clone(),
                fixed_version: fix.clone(),
                status: status.as_str().to_owned(),
                layer: pkg.layer.clone(),
                severity_source: t.severity_source.clone(),
                primary_url: t.primary_url.clone(),
                data_source: t.data_source.clone(),
                title: v.and_then(|v| v.title.clone()).unwrap_or_default(),
                description: v.and_then(|v| v.description.clone()).unwrap_or_default(),
                severity: t.severity,
                cwe_ids: v.map(|v| v.cwes.clone()).unwrap_or_default(),
                vendor_severity: t.vendor_severity.clone(),
                cvss: t.cvss.clone(),
                references: v.map(|v| v.references.clone()).unwrap_or_default(),
                published_date: v.and_then(|v| v.published.clone()),
                last_modified_date: v.and_then(|v| v.modified.clone()),
                kev: v.is_some_and(|v| v.kev.is_some()),
                aliases: v.map(|v| v.aliases.clone()).unwrap_or_default(),
            });
            by_id.insert(vulnerability_id, mine.len() - 1);
        }
    }
    if ctx.opts.ignore_unfixed {
        mine.retain(|f| !f.fixed_version.is_empty());
    }
    if !ctx.opts.ignore_statuses.is_empty() {
        let ignored = &ctx.opts.ignore_statuses;
        mine.retain(|f| Status::from_name(&f.status).is_none_or(|s| !ignored.contains(&s)));
    }
    if !mine.is_empty() {
        out.push(mine);
    }
    Ok(())
}

/// Deduplicates on Trivy's key and sorts as Trivy does (stable: equal keys keep their
/// detection order, the first of duplicates is kept). Indices are sorted and the findings
/// then permuted in place, so each finding (several hundred bytes) is moved about once rather
/// than `log n` times, and no second multi-megabyte buffer is allocated and freed (a large
/// `free` makes glibc consolidate every small free chunk).
fn finish(groups: Vec<Vec<DetectedVulnerability>>) -> Vec<DetectedVulnerability> {
    // One allocation of the final size instead of doubling (and copying) as packages come.
    let mut found = Vec::with_capacity(groups.iter().map(Vec::len).sum());
    for g in groups {
        found.extend(g);
    }
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&found[a], &found[b]);
        a.pkg_name
            .cmp(&b.pkg_name)
            .then_with(|| a.pkg_id.cmp(&b.pkg_id))
            .then_with(|| a.installed_version.cmp(&b.installed_version))
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.vulnerability_id.cmp(&b.vulnerability_id))
            .then_with(|| a.pkg_path.cmp(&b.pkg_path))
    });
    // Position `k` receives the finding at `order[k]`: follow each cycle once.
    for start in 0..order.len() {
        let mut j = start;
        loop {
            let src = std::mem::replace(&mut order[j], usize::MAX);
            if src == usize::MAX || src == start {
                break;
            }
            found.swap(j, src);
            j = src;
        }
    }
    found.dedup_by(|b, a| {
        a.vulnerability_id == b.vulnerability_id
            && a.pkg_id == b.pkg_id
            && a.pkg_name == b.pkg_name
            && a.installed_version == b.installed_version
            && a.pkg_path == b.pkg_path
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_types::{Application, OsPackageDb, OsRelease, Purl};
    use atalaia_vulndb::{Advisory, AffectedRange, KevEntry, RangeEvent, RangeType};

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
