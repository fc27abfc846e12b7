//! Building a [`Report`] from an inventory, grouping packages into results the way Trivy does.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use atalaia_detect::{DetectReport, DetectedVulnerability, ResultKey, Severity};
use atalaia_types::{
    Application, ArtifactKind, ArtifactMetadata, Inventory, OsRelease, Package, Relationship,
    ScanWarning,
};
use time::OffsetDateTime;

use crate::model::{
    Metadata, Os, PkgIdentifier, Report, ReportPackage, ReportResult, ReportSecret, ResultClass,
    SCHEMA_VERSION,
};

/// Application types whose packages Trivy gathers into one result per type ("installed
/// package" analyzers: every `site-packages` entry or `node_modules` package is its own file),
/// with the result's target named for the ecosystem (Trivy's `AggregatingTypes` and the
/// `langpkg.PkgTargets` display names).
pub const AGGREGATED_TYPES: &[(&str, &str)] = &[
    ("python-pkg", "Python"),
    ("conda-pkg", "Conda"),
    ("gemspec", "Ruby"),
    ("node-pkg", "Node.js"),
    ("jar", "Java"),
];

/// Choices that shape a report.
///
/// The report's `CreatedAt` is the time [`Report::from_inventory`] runs; callers that need a
/// fixed time (snapshot tests) assign [`Report::created_at`] afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    /// Whether results list their packages (Trivy's `--list-all-pkgs`, on by default).
    pub list_all_pkgs: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            list_all_pkgs: true,
        }
    }
}

/// A stable identifier of a package inside an artifact; it lives in `atalaia-detect` (findings
/// carry it as `PkgIdentifier.UID`) and is re-exported here under the same name.
pub use atalaia_detect::package_uid;

/// Trivy's order of packages inside a result: relationship (root, workspace, direct, indirect,
/// then unknown), then name, version and file path.
pub(crate) fn compare_packages(a: &ReportPackage, b: &ReportPackage) -> Ordering {
    fn rank(r: Relationship) -> u8 {
        match r {
            Relationship::Root => 0,
            Relationship::Workspace => 1,
            Relationship::Direct => 2,
            Relationship::Indirect => 3,
            Relationship::Unknown => 4,
        }
    }
    rank(a.relationship)
        .cmp(&rank(b.relationship))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.version.cmp(&b.version))
        .then_with(|| a.file_path.cmp(&b.file_path))
}

fn report_package(app_file_path: &str, pkg: &Package) -> ReportPackage {
    ReportPackage {
        id: pkg.id.clone(),
        name: pkg.name.clone(),
        identifier: PkgIdentifier {
            purl: pkg.purl.to_string(),
            uid: package_uid(app_file_path, pkg),
        },
        version: pkg.version.clone(),
        release: pkg.release.clone(),
        epoch: pkg.epoch,
        arch: pkg.arch.clone(),
        dev: pkg.dev,
        src_name: pkg.src_name.clone(),
        src_version: pkg.src_version.clone(),
        src_release: pkg.src_release.clone(),
        src_epoch: pkg.src_epoch,
        licenses: pkg.licenses.clone(),
        maintainer: pkg.maintainer.clone(),
        relationship: pkg.relationship,
        depends_on: pkg.depends_on.clone(),
        layer: pkg.layer.clone(),
        file_path: pkg.file_path.clone(),
        digest: pkg.digest.clone(),
        locations: pkg.locations.clone(),
        installed_files: pkg.installed_files.clone(),
        owned_by: pkg.owned_by.clone(),
    }
}

/// The target Trivy names an OS result with: `<artifact> (<family> <release>)`.
pub fn os_target(artifact_name: &str, os: &OsRelease) -> String {
    format!("{artifact_name} ({} {})", os.family, os.version)
}

/// The display name Trivy gives an aggregated application type, if it is one.
pub fn aggregated_target(app_type: &str) -> Option<&'static str> {
    AGGREGATED_TYPES
        .iter()
        .find(|(t, _)| *t == app_type)
        .map(|(_, name)| *name)
}

impl Report {
    /// Builds the report of one artifact from what analysis found in it.
    ///
    /// Results come out as Trivy makes them: one `os-pkgs` result holding the packages of every
    /// OS package database (Trivy merges them before reporting), whose target is
    /// `<name> (<family> <release>)` and whose type is the OS family (when analysis found OS
    /// packages but no OS, the target is `<name> (unknown)` and the type is left out rather than
    /// guessed); then one `lang-pkgs` result per application, ordered by type then file path,
    /// whose target is the file it was read from, except that the installed-package types of
    /// [`AGGREGATED_TYPES`] are merged into one result per type named for the ecosystem, whose
    /// packages keep their own `FilePath`. An application without a file (read from an SBOM)
    /// is named for its type. Packages are sorted as Trivy sorts them; results without packages
    /// are left out.
    pub fn from_inventory(
        name: &str,
        kind: ArtifactKind,
        meta: &ArtifactMetadata,
        inv: &Inventory,
        options: &ReportOptions,
    ) -> Report {
        Report::from_scan(name, kind, meta, inv, None, options)
    }

    /// [`Report::from_inventory`], with the vulnerabilities `detections` found in `inv`
    /// attached to the results they belong to.
    ///
    /// The findings of every OS package database go to the `os-pkgs` result, those of an
    /// application to its result (aggregated types: the ecosystem's result), re-sorted as Trivy
    /// sorts them (`PkgName`, `PkgID`, `InstalledVersion`, severity descending,
    /// `VulnerabilityID`) and deduplicated on Trivy's key. Each finding's `PkgIdentifier.UID`
    /// is its package's [`package_uid`], so findings link to packages. Results keep their
    /// findings without `list_all_pkgs` too. Detection warnings join [`Report::warnings`].
    pub fn from_scan(
        name: &str,
        kind: ArtifactKind,
        meta: &ArtifactMetadata,
        inv: &Inventory,
        detections: Option<&DetectReport>,
        options: &ReportOptions,
    ) -> Report {
        let metadata = Metadata {
            size: meta.size,
            os: inv.os.as_ref().map(|os| Os {
                family: os.family.to_string(),
                name: os.version.clone(),
                eosl: os.eosl.unwrap_or(false),
            }),
            image_id: meta
                .image_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            diff_ids: meta.diff_ids.iter().map(ToString::to_string).collect(),
            repo_tags: meta.repo_tags.clone(),
            repo_digests: meta.repo_digests.clone(),
            image_config: meta.image_config.clone(),
            layers: meta.layers.clone(),
            ..Metadata::default()
        };

        // Findings per OS database index and per application index.
        let mut os_found: Vec<DetectedVulnerability> = Vec::new();
        let mut app_found: BTreeMap<usize, Vec<DetectedVulnerability>> = BTreeMap::new();
        for d in detections.iter().flat_map(|d| d.detections.iter()) {
            match &d.key {
                ResultKey::OsPackages { index, .. } => {
                    let uids = uid_index(
                        "",
                        inv.os_packages
                            .get(*index)
                            .map(|db| db.packages.as_slice())
                            .unwrap_or_default(),
                    );
                    os_found.extend(d.vulnerabilities.iter().map(|v| with_uid(v, &uids)));
                }
                ResultKey::Application { index, .. } => {
                    let Some(app) = inv.applications.get(*index) else {
                        continue;
                    };
                    let uids = uid_index(&app.file_path, &app.packages);
                    app_found
                        .entry(*index)
                        .or_default()
                        .extend(d.vulnerabilities.iter().map(|v| with_uid(v, &uids)));
                }
            }
        }

        let mut results = Vec::new();
        let os_pkgs: Vec<ReportPackage> = inv
            .os_packages
            .iter()
            .flat_map(|db| db.packages.iter())
            .map(|p| report_package("", p))
            .collect();
        if !os_pkgs.is_empty() {
            let (target, ty) = match &inv.os {
                Some(os) => (os_target(name, os), os.family.to_string()),
                None => (format!("{name} (unknown)"), String::new()),
            };
            let mut r = finish(target, ResultClass::OsPkgs, ty, os_pkgs, options);
            r.vulnerabilities = sort_vulnerabilities(os_found);
            results.push(r);
        }

        for group in group_applications(&inv.applications) {
            let mut r = finish(
                group.target,
                ResultClass::LangPkgs,
                group.ty,
                group.packages,
                options,
            );
            let found: Vec<DetectedVulnerability> = group
                .apps
                .iter()
                .filter_map(|i| app_found.remove(i))
                .flatten()
                .collect();
            r.vulnerabilities = sort_vulnerabilities(found);
            results.push(r);
        }

        let mut warnings = inv.warnings.clone();
        for w in detections.iter().flat_map(|d| d.warnings.iter()) {
            let mut message = String::new();
            for part in [&w.pkg_id, &w.vulnerability_id] {
                if !part.is_empty() {
                    message.push('`');
                    message.push_str(part);
                    message.push_str("`: ");
                }
            }
            message.push_str(&w.message);
            warnings.push(ScanWarning {
                file_path: String::new(),
                layer: None,
                message,
            });
        }

        Report {
            schema_version: SCHEMA_VERSION,
            created_at: OffsetDateTime::now_utc(),
            artifact_name: name.to_owned(),
            artifact_type: kind,
            metadata,
            results,
            warnings,
            misconf_coverage: None,
        }
    }

    /// The number of packages over all results.
    pub fn package_count(&self) -> usize {
        self.results.iter().map(|r| r.packages.len()).sum()
    }

    /// The number of vulnerabilities over all results.
    pub fn vulnerability_count(&self) -> usize {
        self.results.iter().map(|r| r.vulnerabilities.len()).sum()
    }

    /// The number of secrets over all results.
    pub fn secret_count(&self) -> usize {
        self.results.iter().map(|r| r.secrets.len()).sum()
    }

    /// Findings (vulnerabilities and secrets) over all results: what `--exit-code` looks at.
    pub fn finding_count(&self) -> usize {
        self.vulnerability_count() + self.secret_count() + self.misconfiguration_count()
    }

    /// Failed checks across results (passes, with `--include-non-failures`, are not findings).
    pub fn misconfiguration_count(&self) -> usize {
        self.results
            .iter()
            .flat_map(|r| &r.misconfigurations)
            .filter(|m| m.status == atalaia_misconfig::Status::Fail)
            .count()
    }

    /// Keeps the findings the predicates accept, each given its result's `Target` (ignore files
    /// and VEX decide this way); returns how many were removed.
    pub fn retain_findings(
        &mut self,
        mut keep_vulnerability: impl FnMut(&str, &DetectedVulnerability) -> bool,
        mut keep_secret: impl FnMut(&str, &ReportSecret) -> bool,
    ) -> usize {
        let before = self.finding_count();
        for r in &mut self.results {
            let target = r.target.as_str();
            r.vulnerabilities.retain(|v| keep_vulnerability(target, v));
            r.secrets.retain(|s| keep_secret(target, s));
        }
        before - self.finding_count()
    }

    /// Removes the findings `filter` rejects (Trivy's severity then status filters): every
    /// vulnerability and secret whose severity is not selected, and the vulnerabilities without
    /// a fix (`ignore_unfixed`) or whose status is ignored. Results stay, even when emptied.
    pub fn apply_filter(&mut self, filter: &FindingFilter) {
        for r in &mut self.results {
            r.vulnerabilities.retain(|v| filter.keeps_vulnerability(v));
            r.secrets
                .retain(|s| filter.keeps_severity(s.finding.severity.as_str()));
        }
    }
}

/// Which findings a report keeps: `--severity`, `--ignore-unfixed`, `--ignore-status`.
///
/// The default keeps everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingFilter {
    /// The severities kept; empty keeps every severity.
    pub severities: Vec<Severity>,
    /// Drop vulnerabilities that have no fixed version.
    pub ignore_unfixed: bool,
    /// Drop vulnerabilities with these statuses (`fixed`, `affected`, `will_not_fix`,
    /// `fix_deferred`, `end_of_life`, `unknown`, …, as Trivy writes them).
    pub ignore_statuses: Vec<String>,
}

impl FindingFilter {
    /// Whether a finding of this severity (Trivy's name: `HIGH`) is kept.
    pub fn keeps_severity(&self, severity: &str) -> bool {
        self.severities.is_empty() || self.severities.iter().any(|s| s.as_str() == severity)
    }

    /// Whether this vulnerability is kept.
    pub fn keeps_vulnerability(&self, v: &DetectedVulnerability) -> bool {
        self.keeps_severity(v.severity.as_str())
            && !(self.ignore_unfixed && v.fixed_version.is_empty())
            && !self.ignore_statuses.iter().any(|s| *s == v.status)
    }
}

/// Trivy's order of findings in a result, then Trivy's deduplication key.
fn sort_vulnerabilities(mut found: Vec<DetectedVulnerability>) -> Vec<DetectedVulnerability> {
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

/// (package ID, the package's own file) -> UID, for the packages of one result source.
fn uid_index(app_file_path: &str, packages: &[Package]) -> HashMap<(String, String), String> {
    packages
        .iter()
        .map(|p| {
            (
                (p.id.clone(), p.file_path.clone()),
                package_uid(app_file_path, p),
            )
        })
        .collect()
}

fn with_uid(
    v: &DetectedVulnerability,
    uids: &HashMap<(String, String), String>,
) -> DetectedVulnerability {
    let mut v = v.clone();
    if v.pkg_identifier.uid.is_empty() {
        let key = (v.pkg_id.to_string(), v.pkg_path.to_string());
        let uid = uids.get(&key).or_else(|| {
            // OS findings carry no path; their packages may record one.
            uids.iter()
                .find(|((id, _), _)| *id == v.pkg_id)
                .map(|(_, uid)| uid)
        });
        if let Some(uid) = uid {
            std::sync::Arc::make_mut(&mut v.pkg_identifier)
                .uid
                .clone_from(uid);
        }
    }
    v
}

fn finish(
    target: String,
    class: ResultClass,
    ty: String,
    mut packages: Vec<ReportPackage>,
    options: &ReportOptions,
) -> ReportResult {
    if options.list_all_pkgs {
        packages.sort_by(compare_packages);
    } else {
        packages.clear();
    }
    ReportResult {
        target,
        class,
        ty,
        packages,
        vulnerabilities: Vec::new(),
        misconf_summary: None,
        misconfigurations: Vec::new(),
        secrets: Vec::new(),
        modified_findings: Vec::new(),
    }
}

/// One `lang-pkgs` result in the making.
struct AppGroup {
    target: String,
    ty: String,
    packages: Vec<ReportPackage>,
    /// Indices of the inventory applications merged into it.
    apps: Vec<usize>,
}

/// Groups applications into results, ordered by type then file path.
fn group_applications(apps: &[Application]) -> Vec<AppGroup> {
    let mut sorted: Vec<(usize, &Application)> = apps
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.packages.is_empty())
        .collect();
    sorted.sort_by(|(_, a), (_, b)| {
        a.app_type
            .cmp(&b.app_type)
            .then_with(|| a.file_path.cmp(&b.file_path))
    });

    let mut out: Vec<AppGroup> = Vec::new();
    for (index, app) in sorted {
        match aggregated_target(&app.app_type) {
            Some(display) => {
                let pkgs = app.packages.iter().map(|p| {
                    let mut rp = report_package(&app.file_path, p);
                    if rp.file_path.is_empty() {
                        rp.file_path.clone_from(&app.file_path);
                    }
                    rp
                });
                match out.iter_mut().find(|g| g.ty == app.app_type) {
                    Some(group) => {
                        group.packages.extend(pkgs);
                        group.apps.push(index);
                    }
                    None => out.push(AppGroup {
                        target: display.to_owned(),
                        ty: app.app_type.clone(),
                        packages: pkgs.collect(),
                        apps: vec![index],
                    }),
                }
            }
            None => {
                let packages = app
                    .packages
                    .iter()
                    .map(|p| report_package(&app.file_path, p))
                    .collect();
                let target = if app.file_path.is_empty() {
                    app.app_type.clone()
                } else {
                    app.file_path.clone()
                };
                out.push(AppGroup {
                    target,
                    ty: app.app_type.clone(),
                    packages,
                    apps: vec![index],
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use atalaia_types::{Ecosystem, Purl};

    use super::*;

    fn npm(name: &str, version: &str, file: &str) -> Package {
        let mut p = Package::new(
            Ecosystem::Npm,
            name,
            version,
            Purl::new("npm", "", name, version),
        );
        p.file_path = file.to_owned();
        p
    }

    #[test]
    fn uid_is_stable_and_location_sensitive() {
        let a = npm("ms", "2.0.0", "app/node_modules/ms/package.json");
        let b = npm(
            "ms",
            "2.0.0",
            "app/node_modules/debug/node_modules/ms/package.json",
        );
        assert_eq!(package_uid("", &a), package_uid("", &a.clone()));
        assert_eq!(package_uid("", &a).len(), 16);
        assert_ne!(package_uid("", &a), package_uid("", &b));
        assert_ne!(package_uid("x", &a), package_uid("y", &a));
    }

    #[test]
    fn aggregates_installed_types_into_one_result() {
        let inv = Inventory {
            applications: vec![
                Application {
                    app_type: "node-pkg".into(),
                    file_path: "b/package.json".into(),
                    packages: vec![npm("zeta", "1.0.0", "")],
                },
                Application {
                    app_type: "node-pkg".into(),
                    file_path: "a/package.json".into(),
                    packages: vec![npm("alpha", "1.0.0", "")],
                },
                Application {
                    app_type: "npm".into(),
                    file_path: "app/package-lock.json".into(),
                    packages: vec![npm("x", "1", "")],
                },
                Application {
                    app_type: "yarn".into(),
                    file_path: "empty/yarn.lock".into(),
                    packages: vec![],
                },
            ],
            ..Inventory::default()
        };
        let r = Report::from_inventory(
            "img",
            ArtifactKind::ContainerImage,
            &ArtifactMetadata::default(),
            &inv,
            &ReportOptions::default(),
        );
        let targets: Vec<_> = r
            .results
            .iter()
            .map(|r| (r.target.as_str(), r.ty.as_str()))
            .collect();
        assert_eq!(
            targets,
            [("Node.js", "node-pkg"), ("app/package-lock.json", "npm")]
        );
        let node = &r.results[0];
        let names: Vec<_> = node
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.file_path.as_str()))
            .collect();
        assert_eq!(
            names,
            [("alpha", "a/package.json"), ("zeta", "b/package.json")]
        );
    }

    #[test]
    fn without_list_all_pkgs_results_have_no_packages() {
        let inv = Inventory {
            applications: vec![Application {
                app_type: "npm".into(),
                file_path: "package-lock.json".into(),
                packages: vec![npm("x", "1", "")],
            }],
            ..Inventory::default()
        };
        let options = ReportOptions {
            list_all_pkgs: false,
        };
        let r = Report::from_inventory(
            "dir",
            ArtifactKind::Filesystem,
            &ArtifactMetadata::default(),
            &inv,
            &options,
        );
        assert_eq!(r.results.len(), 1);
        assert!(r.results[0].packages.is_empty());
    }

    fn finding(id: &str, pkg: &Package, severity: Severity, fixed: &str) -> DetectedVulnerability {
        DetectedVulnerability {
            vulnerability_id: id.into(),
            vendor_ids: vec![],
            pkg_id: pkg.id.clone().into(),
            pkg_name: pkg.name.clone().into(),
            pkg_path: pkg.file_path.clone().into(),
            pkg_identifier: atalaia_detect::PkgIdentifier {
                purl: pkg.purl.to_string(),
                uid: String::new(),
            }
            .into(),
            installed_version: pkg.version.clone().into(),
            fixed_version: fixed.into(),
            status: if fixed.is_empty() {
                "affected"
            } else {
                "fixed"
            }
            .into(),
            layer: atalaia_types::PackageLayer::default().into(),
            severity_source: String::new().into(),
            primary_url: String::new().into(),
            data_source: atalaia_detect::DataSource::default().into(),
            title: String::new().into(),
            description: String::new().into(),
            severity,
            cwe_ids: vec![].into(),
            vendor_severity: BTreeMap::new().into(),
            cvss: BTreeMap::new().into(),
            references: vec![].into(),
            published_date: None,
            last_modified_date: None,
            kev: false,
            aliases: vec![].into(),
        }
    }

    #[test]
    fn detections_join_their_results_sorted_with_package_uids() {
        let a = npm("alpha", "1.0.0", "a/package.json");
        let z = npm("zeta", "1.0.0", "b/package.json");
        let x = npm("x", "1", "");
        let inv = Inventory {
            applications: vec![
                Application {
                    app_type: "node-pkg".into(),
                    file_path: "b/package.json".into(),
                    packages: vec![z.clone()],
                },
                Application {
                    app_type: "npm".into(),
                    file_path: "package-lock.json".into(),
                    packages: vec![x.clone()],
                },
                Application {
                    app_type: "node-pkg".into(),
                    file_path: "a/package.json".into(),
                    packages: vec![a.clone()],
                },
            ],
            ..Inventory::default()
        };
        let key = |index: usize| ResultKey::Application {
            index,
            app_type: inv.applications[index].app_type.clone(),
            file_path: inv.applications[index].file_path.clone(),
        };
        let detections = DetectReport {
            detections: vec![
                atalaia_detect::Detection {
                    key: key(0),
                    vulnerabilities: vec![finding("CVE-2", &z, Severity::Low, "2.0.0")],
                },
                atalaia_detect::Detection {
                    key: key(1),
                    vulnerabilities: vec![],
                },
                atalaia_detect::Detection {
                    key: key(2),
                    vulnerabilities: vec![
                        finding("CVE-1", &a, Severity::Low, ""),
                        finding("CVE-3", &a, Severity::Critical, "1.0.1"),
                    ],
                },
            ],
            warnings: vec![atalaia_detect::DetectWarning {
                pkg_id: "x@1".into(),
                vulnerability_id: "CVE-9".into(),
                message: "advisory not evaluated".into(),
            }],
        };
        for list_all_pkgs in [true, false] {
            let r = Report::from_scan(
                "img",
                ArtifactKind::ContainerImage,
                &ArtifactMetadata::default(),
                &inv,
                Some(&detections),
                &ReportOptions { list_all_pkgs },
            );
            assert_eq!(r.results.len(), 2);
            let node = &r.results[0];
            assert_eq!(node.target, "Node.js");
            let ids: Vec<_> = node
                .vulnerabilities
                .iter()
                .map(|v| v.vulnerability_id.as_str())
                .collect();
            // Package name first, then severity descending.
            assert_eq!(ids, ["CVE-3", "CVE-1", "CVE-2"]);
            assert_eq!(
                node.vulnerabilities[0].pkg_identifier.uid,
                package_uid("a/package.json", &a)
            );
            assert!(r.results[1].vulnerabilities.is_empty());
            assert_eq!(r.results[1].target, "package-lock.json");
            assert_eq!(r.warnings.len(), 1);
            assert_eq!(
                r.warnings[0].message,
                "`x@1`: `CVE-9`: advisory not evaluated"
            );
            assert_eq!(r.vulnerability_count(), 3);
        }
        // Filters: severity, unfixed, status.
        let base = Report::from_scan(
            "img",
            ArtifactKind::ContainerImage,
            &ArtifactMetadata::default(),
            &inv,
            Some(&detections),
            &ReportOptions::default(),
        );
        let count = |f: FindingFilter| {
            let mut r = base.clone();
            r.apply_filter(&f);
            r.finding_count()
        };
        assert_eq!(count(FindingFilter::default()), 3);
        let low = FindingFilter {
            severities: vec![Severity::Low],
            ..FindingFilter::default()
        };
        assert_eq!(count(low), 2);
        let fixed_only = FindingFilter {
            ignore_unfixed: true,
            ..FindingFilter::default()
        };
        assert_eq!(count(fixed_only), 2);
        let no_fixed = FindingFilter {
            ignore_statuses: vec!["fixed".into()],
            ..FindingFilter::default()
        };
        assert_eq!(count(no_fixed), 1);
    }

    #[test]
    fn an_application_without_a_file_is_named_for_its_type() {
        let inv = Inventory {
            applications: vec![Application {
                app_type: "gobinary".into(),
                file_path: String::new(),
                packages: vec![npm("x", "1", "")],
            }],
            ..Inventory::default()
        };
        let r = Report::from_inventory(
            "bom.json",
            ArtifactKind::Cyclonedx,
            &ArtifactMetadata::default(),
            &inv,
            &ReportOptions::default(),
        );
        assert_eq!(r.results[0].target, "gobinary");
    }
}
