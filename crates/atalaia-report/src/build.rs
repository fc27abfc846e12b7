//! Building a [`Report`] from an inventory, grouping packages into results the way Trivy does.

use std::cmp::Ordering;

use atalaia_types::{
    Application, ArtifactKind, ArtifactMetadata, Inventory, OsRelease, Package, Relationship,
};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;

use crate::model::{
    Metadata, Os, PkgIdentifier, Report, ReportPackage, ReportResult, ResultClass, SCHEMA_VERSION,
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

/// A stable identifier of a package inside an artifact: the first 16 hex digits of the SHA-256
/// of the application file path (empty for OS packages), ecosystem, ID, name, full version,
/// architecture, purl and the package's own file path, each followed by a NUL byte.
///
/// It is the same for the same package in the same place on every run and every machine, and
/// differs for two copies of one package in different files. It plays the role of Trivy's
/// `Identifier.UID` (a hash of the package structure); the values differ from Trivy's.
pub fn package_uid(app_file_path: &str, pkg: &Package) -> String {
    let mut h = Sha256::new();
    for part in [
        app_file_path,
        pkg.ecosystem.purl_type(),
        &pkg.id,
        &pkg.name,
        &pkg.full_version(),
        &pkg.arch,
        &pkg.purl.to_string(),
        &pkg.file_path,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    hex::encode(&digest[..8])
}

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
    /// packages keep their own `FilePath`. Packages are sorted as Trivy sorts them; results
    /// without packages are left out.
    pub fn from_inventory(
        name: &str,
        kind: ArtifactKind,
        meta: &ArtifactMetadata,
        inv: &Inventory,
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
        };

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
            results.push(finish(target, ResultClass::OsPkgs, ty, os_pkgs, options));
        }

        for (target, ty, pkgs) in group_applications(&inv.applications) {
            results.push(finish(target, ResultClass::LangPkgs, ty, pkgs, options));
        }

        Report {
            schema_version: SCHEMA_VERSION,
            created_at: OffsetDateTime::now_utc(),
            artifact_name: name.to_owned(),
            artifact_type: kind,
            metadata,
            results,
            warnings: inv.warnings.clone(),
        }
    }

    /// The number of packages over all results.
    pub fn package_count(&self) -> usize {
        self.results.iter().map(|r| r.packages.len()).sum()
    }
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
        secrets: Vec::new(),
    }
}

/// Groups applications into (target, type, packages), ordered by type then file path.
fn group_applications(apps: &[Application]) -> Vec<(String, String, Vec<ReportPackage>)> {
    let mut sorted: Vec<&Application> = apps.iter().filter(|a| !a.packages.is_empty()).collect();
    sorted.sort_by(|a, b| {
        a.app_type
            .cmp(&b.app_type)
            .then_with(|| a.file_path.cmp(&b.file_path))
    });

    let mut out: Vec<(String, String, Vec<ReportPackage>)> = Vec::new();
    for app in sorted {
        match aggregated_target(&app.app_type) {
            Some(display) => {
                let pkgs = app.packages.iter().map(|p| {
                    let mut rp = report_package(&app.file_path, p);
                    if rp.file_path.is_empty() {
                        rp.file_path.clone_from(&app.file_path);
                    }
                    rp
                });
                match out.iter_mut().find(|(_, ty, _)| *ty == app.app_type) {
                    Some((_, _, existing)) => existing.extend(pkgs),
                    None => out.push((display.to_owned(), app.app_type.clone(), pkgs.collect())),
                }
            }
            None => {
                let pkgs = app
                    .packages
                    .iter()
                    .map(|p| report_package(&app.file_path, p))
                    .collect();
                out.push((app.file_path.clone(), app.app_type.clone(), pkgs));
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
}
