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
//! A version that does not parse is a [`DetectWarning`], never an abort; only a failing store
//! is an error.
#![deny(missing_docs)]

mod enrich;
mod error;
mod matcher;
mod model;
mod store;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use atalaia_types::{Ecosystem, Inventory, OsFamily, Package};
use atalaia_version::Scheme;
use atalaia_vulndb::{Advisory, Status, Vulnerability};

pub use error::{DetectError, StoreError};
pub use model::{
    Cvss, DataSource, DetectReport, DetectWarning, DetectedVulnerability, Detection, PkgIdentifier,
    ResultKey, Severity,
};
pub use store::{AdvisoryStore, MemoryStore};

use matcher::{Installed, Verdict};

/// Knobs of [`detect`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DetectOptions {
    /// Leave out findings that have no fixed version (`--ignore-unfixed`).
    pub ignore_unfixed: bool,
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
    advisories: HashMap<(String, String), Rc<Vec<Advisory>>>,
    vulns: HashMap<String, Option<Rc<Vulnerability>>>,
    warnings: Vec<DetectWarning>,
    opts: DetectOptions,
}

impl Ctx<'_> {
    fn advisories(
        &mut self,
        namespace: &str,
        package: &str,
    ) -> Result<Rc<Vec<Advisory>>, DetectError> {
        let key = (namespace.to_owned(), package.to_owned());
        if let Some(a) = self.advisories.get(&key) {
            return Ok(Rc::clone(a));
        }
        let found = self
            .store
            .advisories_for(namespace, package)
            .map_err(|err| DetectError::Store {
                namespace: namespace.to_owned(),
                package: package.to_owned(),
                err,
            })?;
        let found = Rc::new(found);
        self.advisories.insert(key, Rc::clone(&found));
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
        self.vulns.insert(id.to_owned(), v.clone());
        Ok(v)
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
        advisories: HashMap::new(),
        vulns: HashMap::new(),
        warnings: Vec::new(),
        opts: opts.clone(),
    };
    let mut detections = Vec::new();
    let os_namespace = inventory.os.as_ref().map(os_namespace);
    for (index, db) in inventory.os_packages.iter().enumerate() {
        let mut found = Vec::new();
        match &os_namespace {
            Some(ns) => {
                for pkg in &db.packages {
                    detect_package(&mut ctx, pkg, ns, true, &mut found)?;
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
    for (index, app) in inventory.applications.iter().enumerate() {
        let mut found = Vec::new();
        for pkg in &app.packages {
            match language_namespace(pkg.ecosystem) {
                Some(ns) => detect_package(&mut ctx, pkg, ns, false, &mut found)?,
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

/// Matches one package and appends its findings (alias-merged by canonical ID).
fn detect_package(
    ctx: &mut Ctx<'_>,
    pkg: &Package,
    namespace: &str,
    os: bool,
    out: &mut Vec<DetectedVulnerability>,
) -> Result<(), DetectError> {
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
    let advisories = ctx.advisories(namespace, lookup_name)?;
    if advisories.is_empty() {
        return Ok(());
    }
    let scheme: Scheme = match pkg.ecosystem.version_scheme().parse() {
        Ok(s) => s,
        Err(e) => {
            ctx.warn(pkg, "", format!("no version scheme: {e}"));
            return Ok(());
        }
    };
    let mut installed = Installed::new(&compare_version);
    // Canonical ID -> index in `mine`.
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mine: Vec<DetectedVulnerability> = Vec::new();
    for advisory in advisories.iter() {
        if advisory.status == Status::NotAffected {
            continue;
        }
        let fix = match matcher::evaluate(advisory, &mut installed, scheme) {
            Ok(Verdict::Clear) => continue,
            Ok(Verdict::Affected(fix)) => fix,
            Err(e) => {
                ctx.warn(
                    pkg,
                    &advisory.vulnerability_id,
                    format!("advisory not evaluated: {e}"),
                );
                continue;
            }
        };
        if let Some(&i) = by_id.get(advisory.vulnerability_id.as_str()) {
            let existing = &mut mine[i];
            if let Some(v) = &advisory.vendor_id {
                if !existing.vendor_ids.contains(v) {
                    existing.vendor_ids.push(v.clone());
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
            match advisory.status {
                Status::Fixed => Status::Affected,
                s => s,
            }
        } else {
            Status::Fixed
        };
        let vuln = ctx.vulnerability(&advisory.vulnerability_id)?;
        let ds = enrich::data_source(advisory);
        let rating = enrich::rate(&ds, advisory, vuln.as_deref(), os);
        let v = vuln.as_deref();
        let references = v.map(|v| v.references.clone()).unwrap_or_default();
        mine.push(DetectedVulnerability {
            vulnerability_id: advisory.vulnerability_id.clone(),
            vendor_ids: advisory.vendor_id.iter().cloned().collect(),
            pkg_id: pkg.id.clone(),
            pkg_name: pkg.name.clone(),
            pkg_path: if os {
                String::new()
            } else {
                pkg.file_path.clone()
            },
            pkg_identifier: PkgIdentifier {
                purl: pkg.purl.to_string(),
                uid: String::new(),
            },
            installed_version: pkg.full_version(),
            fixed_version: fix,
            status: status.as_str().to_owned(),
            layer: pkg.layer.clone(),
            severity_source: rating.source,
            primary_url: enrich::primary_url(&advisory.vulnerability_id, &references),
            data_source: ds,
            title: v.and_then(|v| v.title.clone()).unwrap_or_default(),
            description: v.and_then(|v| v.description.clone()).unwrap_or_default(),
            severity: rating.severity,
            cwe_ids: v.map(|v| v.cwes.clone()).unwrap_or_default(),
            vendor_severity: rating.vendor_severity,
            cvss: rating.cvss,
            references,
            published_date: v.and_then(|v| v.published.clone()),
            last_modified_date: v.and_then(|v| v.modified.clone()),
            kev: v.is_some_and(|v| v.kev.is_some()),
            aliases: v.map(|v| v.aliases.clone()).unwrap_or_default(),
        });
        by_id.insert(advisory.vulnerability_id.as_str(), mine.len() - 1);
    }
    if ctx.opts.ignore_unfixed {
        mine.retain(|f| !f.fixed_version.is_empty());
    }
    out.extend(mine);
    Ok(())
}

/// Deduplicates on Trivy's key and sorts as Trivy does.
fn finish(mut found: Vec<DetectedVulnerability>) -> Vec<DetectedVulnerability> {
    found.sort_by(|a, b| {
        a.pkg_name
            .cmp(&b.pkg_name)
            .then_with(|| a.pkg_id.cmp(&b.pkg_id))
            .then_with(|| a.installed_version.cmp(&b.installed_version))
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.vulnerability_id.cmp(&b.vulnerability_id))
            .then_with(|| a.pkg_path.cmp(&b.pkg_path))
    });
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
    use atalaia_vulndb::{AffectedRange, KevEntry, RangeEvent, RangeType};

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
