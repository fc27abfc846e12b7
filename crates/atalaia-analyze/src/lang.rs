//! Language packages: one adapter over `atalaia-lang`. Images and root filesystems read installed
//! metadata and binaries; project directories and repositories read lockfiles, as Trivy does.

use std::collections::HashMap;

use atalaia_lang::LangFile;
use atalaia_types::{Application, OsPackageDb, ScanWarning};

use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

mod sbom;

/// Wraps [`atalaia_lang::classify`] and [`atalaia_lang::parse_with_warnings`] for one kind of scan.
#[derive(Debug, Clone, Copy)]
pub struct LangAnalyzer {
    installed: bool,
}

impl LangAnalyzer {
    /// The adapter for `mode`: installed kinds for images and root filesystems, lockfile kinds
    /// for project directories and repositories.
    pub fn for_mode(mode: ScanMode) -> Self {
        LangAnalyzer {
            installed: mode.reads_installed(),
        }
    }

    /// Whether `path` is a project manifest read beside a lockfile in this mode: `Cargo.toml`
    /// everywhere (`Cargo.lock` is read in every mode, as in Trivy), `pyproject.toml`,
    /// `package.json` and `composer.json` in project trees, never inside `vendor`. In project
    /// trees the `package.json` files inside `node_modules` are read too, for the licenses of
    /// the lockfile's packages (see [`is_installed_package_json`]).
    fn is_manifest(&self, path: &str) -> bool {
        let base = path.rsplit('/').next().unwrap_or(path);
        match base {
            "Cargo.toml" => true,
            "pyproject.toml" | "package.json" | "composer.json" => {
                !self.installed && !under(path, "vendor")
            }
            _ => false,
        }
    }

    fn kind(&self, path: &str, size: u64, mode: u32) -> Option<LangFile> {
        atalaia_lang::classify(path, size, mode).filter(|k| {
            if self.installed {
                k.installed()
            } else {
                k.lockfile()
            }
        })
    }
}

impl Analyzer for LangAnalyzer {
    fn name(&self) -> &'static str {
        if self.installed {
            "lang-installed"
        } else {
            "lang-lockfile"
        }
    }

    fn version(&self) -> u32 {
        2
    }

    fn modes(&self) -> &'static [ScanMode] {
        if self.installed {
            &[ScanMode::Image, ScanMode::Rootfs]
        } else {
            &[ScanMode::Fs, ScanMode::Repo]
        }
    }

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        self.kind(path, size, mode).is_some()
            || self.is_manifest(path)
            || (self.installed && sbom::is_sbom_file(path))
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let size = input.bytes.len() as u64;
        let Some(kind) = self.kind(input.path, size, input.mode) else {
            if self.installed && sbom::is_sbom_file(input.path) {
                return sbom::analyze(input.path, input.bytes);
            }
            if !self.is_manifest(input.path) {
                return Ok(Vec::new());
            }
            if is_installed_package_json(input.path) {
                // Only a license source: identity and licenses are all that is read, and a file
                // that is not valid JSON (test fixtures ship such files) is passed over quietly.
                return Ok(
                    atalaia_lang::parse_package_identity(input.path, input.bytes)
                        .ok()
                        .filter(|d| d.project.is_some() && d.project_version.is_some())
                        .map(Finding::Manifest)
                        .into_iter()
                        .collect(),
                );
            }
            let parsed = atalaia_lang::parse_manifest(input.path, input.bytes);
            // A manifest that cannot be read only costs the lockfile its relationships.
            return Ok(vec![match parsed {
                Ok(deps) => Finding::Manifest(deps),
                Err(e) => Finding::Warning {
                    message: e.to_string(),
                },
            }]);
        };
        if kind == LangFile::Pom {
            // Built in the assembly step, where the local parents are known.
            let model = atalaia_lang::read_pom(input.path, input.bytes)
                .map_err(|e| AnalyzeError::parse(input.path, e.reason))?;
            return Ok(vec![Finding::Pom(model)]);
        }
        let parsed = atalaia_lang::parse_with_warnings(kind, input.path, input.bytes)
            .map_err(|e| AnalyzeError::parse(input.path, e.reason))?;
        let mut out: Vec<Finding> = parsed
            .warnings
            .into_iter()
            .map(|message| Finding::Warning { message })
            .collect();
        // An executable that is neither a Go nor a Rust binary yields an empty application.
        if !parsed.application.packages.is_empty() {
            out.push(Finding::Application(parsed.application));
        }
        Ok(out)
    }
}

/// Applies each lockfile's manifest (the file [`LangFile::manifest_name`] names, in the
/// lockfile's directory) to its application: root, direct and dev packages, as Trivy's
/// post-analyzers do. `manifests` maps a manifest's path (relative, no leading `/`) to what it
/// declares.
pub(crate) fn apply_manifests(
    apps: &mut [Application],
    manifests: &HashMap<&str, &atalaia_lang::DirectDeps>,
) {
    if manifests.is_empty() {
        return;
    }
    for app in apps {
        let path = app.file_path.trim_start_matches('/').to_owned();
        let Some(kind) = atalaia_lang::classify(&path, 0, 0o644) else {
            continue;
        };
        let dir = path.rsplit_once('/').map(|(dir, _)| dir);
        let Some(name) = kind.manifest_name() else {
            continue;
        };
        let manifest = match dir {
            Some(dir) => format!("{dir}/{name}"),
            None => name.to_owned(),
        };
        if let Some(deps) = manifests.get(manifest.as_str()) {
            atalaia_lang::apply_manifest(app, deps);
        }
        if name == "package.json" {
            add_node_modules_licenses(app, dir, manifests);
        }
    }
}

/// Builds the application of every `pom.xml` of the final filesystem with its local parents
/// (followed through `<relativePath>`, by default `../pom.xml`, as long as the file found is the
/// project `<parent>` names; at most [`MAX_POM_PARENTS`] deep, cycles cut), and adds them to
/// `apps`; dependencies whose version stays unknown become warnings naming the pom.
pub(crate) fn resolve_poms(
    poms: &[&atalaia_lang::PomModel],
    apps: &mut Vec<Application>,
    warnings: &mut Vec<ScanWarning>,
) {
    let by_path: HashMap<&str, &atalaia_lang::PomModel> =
        poms.iter().map(|m| (m.path.as_str(), *m)).collect();
    for model in poms {
        let mut chain: Vec<&atalaia_lang::PomModel> = Vec::new();
        let mut at: &atalaia_lang::PomModel = model;
        while chain.len() < MAX_POM_PARENTS {
            let Some(parent) = at
                .parent_path()
                .and_then(|p| by_path.get(p.as_str()).copied())
                .filter(|p| at.parent.as_ref().is_some_and(|want| p.is(want)))
            else {
                break;
            };
            if std::ptr::eq(parent, *model) || chain.iter().any(|c| std::ptr::eq(*c, parent)) {
                break;
            }
            chain.push(parent);
            at = parent;
        }
        let (app, unresolved) = atalaia_lang::resolve_pom(model, &chain);
        warnings.extend(unresolved.into_iter().map(|message| ScanWarning {
            file_path: format!("/{}", model.path),
            layer: None,
            message,
        }));
        if !app.packages.is_empty() {
            apps.push(app);
        }
    }
}

/// How many local parents a `pom.xml` inherits from, at most.
const MAX_POM_PARENTS: usize = 16;

/// Whether `path` is a `package.json` inside a `node_modules` directory: an installed copy of a
/// package, which a project-tree scan reads only for its license.
fn is_installed_package_json(path: &str) -> bool {
    path.ends_with("package.json") && under(path, "node_modules")
}

/// Whether a directory named `dir` is one of `path`'s ancestors.
fn under(path: &str, dir: &str) -> bool {
    path.split('/').rev().skip(1).any(|d| d == dir)
}

/// Fills the licenses of a JavaScript lockfile's packages from the `package.json` files of the
/// `node_modules` tree beside it (matched by `name@version`), as Trivy's npm, yarn, pnpm and
/// bun analyzers do. Licenses the lockfile gives are kept.
fn add_node_modules_licenses(
    app: &mut Application,
    dir: Option<&str>,
    manifests: &HashMap<&str, &atalaia_lang::DirectDeps>,
) {
    let prefix = match dir {
        Some(d) => format!("{d}/node_modules/"),
        None => "node_modules/".to_owned(),
    };
    let mut licenses: HashMap<String, &[String]> = HashMap::new();
    for (path, deps) in manifests {
        if !path.starts_with(&prefix) || deps.project_licenses.is_empty() {
            continue;
        }
        if let (Some(n), Some(v)) = (&deps.project, &deps.project_version) {
            licenses.insert(format!("{n}@{v}"), &deps.project_licenses);
        }
    }
    if licenses.is_empty() {
        return;
    }
    for p in app.packages.iter_mut().filter(|p| p.licenses.is_empty()) {
        if let Some(l) = licenses.get(&p.id) {
            p.licenses = l.to_vec();
        }
    }
}

/// Marks each language package whose file an OS package installed (a Debian-packaged Go tool,
/// a distro's Python module) with that OS package's ID in [`atalaia_types::Package::owned_by`]. Trivy drops
/// such binaries silently; Syft lists them; atalaia lists them and says who owns them, so the
/// detector can leave them to the OS vendor's feed and users can tell them apart.
///
/// The file of a package is its own `file_path` (installed trees, nested jars) or else its
/// application's; both are compared as `/`-rooted paths with the OS packages' installed files.
pub(crate) fn mark_os_owned(apps: &mut [Application], dbs: &[OsPackageDb]) {
    let owners: HashMap<&str, &str> = dbs
        .iter()
        .flat_map(|db| &db.packages)
        .flat_map(|p| {
            p.installed_files
                .iter()
                .map(|f| (f.as_str(), p.id.as_str()))
        })
        .collect();
    if owners.is_empty() {
        return;
    }
    for app in apps {
        let app_file = rooted(&app.file_path);
        for p in &mut app.packages {
            let file = if p.file_path.is_empty() {
                app_file.clone()
            } else {
                rooted(&p.file_path)
            };
            // A nested jar's path is `outer.jar!/BOOT-INF/lib/inner.jar`: the outer file is the
            // one installed.
            let owner = owners.get(file.as_str()).or_else(|| {
                file.split_once('!')
                    .and_then(|(outer, _)| owners.get(outer))
            });
            if let Some(owner) = owner {
                (*owner).clone_into(&mut p.owned_by);
            }
        }
    }
}

fn rooted(path: &str) -> String {
    if path.starts_with('/') || path.is_empty() {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_types::{Ecosystem, Package, Purl};

    fn pkg(eco: Ecosystem, name: &str, file: &str) -> Package {
        let mut p = Package::new(eco, name, "1", Purl::new(eco.purl_type(), "", name, "1"));
        p.file_path = file.to_owned();
        p
    }

    #[test]
    fn os_owned_files_mark_binaries_jars_and_nested_jars() {
        let mut deb = pkg(Ecosystem::Deb, "libfoo-java", "");
        deb.installed_files = vec!["/usr/share/java/foo.jar".into(), "/usr/bin/tool".into()];
        let dbs = [OsPackageDb {
            file_path: "/var/lib/dpkg/status".into(),
            packages: vec![deb],
        }];
        let mut apps = vec![
            Application {
                app_type: "gobinary".into(),
                file_path: "usr/bin/tool".into(),
                packages: vec![pkg(Ecosystem::Go, "stdlib", "")],
            },
            Application {
                app_type: "jar".into(),
                file_path: String::new(),
                packages: vec![
                    pkg(Ecosystem::Maven, "g:foo", "/usr/share/java/foo.jar"),
                    pkg(
                        Ecosystem::Maven,
                        "g:inner",
                        "/usr/share/java/foo.jar!/BOOT-INF/lib/inner.jar",
                    ),
                    pkg(Ecosystem::Maven, "g:app", "/app/app.jar"),
                ],
            },
        ];
        mark_os_owned(&mut apps, &dbs);
        let owned: Vec<&str> = apps
            .iter()
            .flat_map(|a| &a.packages)
            .map(|p| p.owned_by.as_str())
            .collect();
        assert_eq!(
            owned,
            ["libfoo-java@1", "libfoo-java@1", "libfoo-java@1", ""]
        );
    }
}
