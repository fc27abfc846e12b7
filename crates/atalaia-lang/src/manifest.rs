//! Project manifests read beside a lockfile, as Trivy does, to tell direct dependencies from
//! indirect ones and development dependencies from runtime ones: `pyproject.toml` (PEP 621,
//! PEP 735 dependency groups, Poetry), `package.json`, `Cargo.toml` and `composer.json`.
//!
//! The analyzer pairs files: [`LangFile::manifest_name`] names the manifest to look for in the
//! lockfile's directory, [`parse_manifest`] reads it and [`apply_manifest`] updates the
//! lockfile's application.

use std::collections::BTreeMap;

use atalaia_types::{Application, Ecosystem, Relationship};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::python::normalize_pypi_name;
use crate::python::poetry::one_line;
use crate::{LangError, LangFile};

/// What a manifest declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectDeps {
    /// The project's own name, when the manifest gives one (it is the root package).
    pub project: Option<String>,
    /// The project's own version, when the manifest gives one (`package.json`).
    #[serde(default)]
    pub project_version: Option<String>,
    /// The project's declared licenses (`package.json` `license`).
    #[serde(default)]
    pub project_licenses: Vec<String>,
    /// Names of runtime (and optional) direct dependencies.
    pub runtime: Vec<String>,
    /// Names of development-only direct dependencies.
    pub dev: Vec<String>,
}

impl LangFile {
    /// The manifest that says which of this lockfile's packages are direct, if the format has
    /// one (`pyproject.toml` for `poetry.lock`, `package.json` for npm/yarn/pnpm/bun, …).
    pub fn manifest_name(self) -> Option<&'static str> {
        match self {
            LangFile::PoetryLock | LangFile::PdmLock | LangFile::PipfileLock => {
                Some("pyproject.toml")
            }
            LangFile::NpmLock | LangFile::YarnLock | LangFile::PnpmLock | LangFile::BunLock => {
                Some("package.json")
            }
            LangFile::CargoLock => Some("Cargo.toml"),
            LangFile::ComposerLock => Some("composer.json"),
            _ => None,
        }
    }
}

/// Reads a manifest (`pyproject.toml`, `package.json`, `Cargo.toml`, `composer.json`, chosen by
/// file name).
pub fn parse_manifest(path: &str, bytes: &[u8]) -> Result<DirectDeps, LangError> {
    let base = path.rsplit('/').next().unwrap_or(path);
    match base {
        "pyproject.toml" => pyproject(path, bytes),
        "package.json" => package_json(path, bytes),
        "Cargo.toml" => cargo_toml(path, bytes),
        "composer.json" => composer_json(path, bytes),
        _ => Err(LangError::new(
            path,
            "manifest",
            "not a known manifest name",
        )),
    }
}

/// Marks the packages of a lockfile's application with what its manifest declares: the project
/// itself `root`, declared dependencies `direct` (and `dev` when only the development set
/// declares them), everything else `indirect`. Relationships the lockfile already gave are kept
/// for packages the manifest does not name.
pub fn apply_manifest(app: &mut Application, deps: &DirectDeps) {
    let norm = |eco: Ecosystem, n: &str| match eco {
        Ecosystem::PyPI => normalize_pypi_name(n),
        Ecosystem::Packagist => n.to_ascii_lowercase(),
        Ecosystem::CratesIo => n.replace('_', "-"),
        _ => n.to_owned(),
    };
    for p in &mut app.packages {
        let name = norm(p.ecosystem, &p.name);
        let is = |list: &[String]| list.iter().any(|d| norm(p.ecosystem, d) == name);
        if deps
            .project
            .as_deref()
            .is_some_and(|proj| norm(p.ecosystem, proj) == name)
        {
            p.relationship = Relationship::Root;
        } else if is(&deps.runtime) {
            p.relationship = Relationship::Direct;
            p.dev = false;
        } else if is(&deps.dev) {
            p.relationship = Relationship::Direct;
            p.dev = true;
        } else if matches!(p.relationship, Relationship::Unknown | Relationship::Direct) {
            p.relationship = Relationship::Indirect;
        }
    }
    if app.app_type == LangFile::YarnLock.app_type() {
        add_root_package(app, deps);
    }
}

/// `yarn.lock` does not list the project itself; Trivy adds it from `package.json` as the
/// `root` package, depending on the direct dependencies. Nothing is added when the lockfile
/// already has a root package or the manifest gives no name and version.
fn add_root_package(app: &mut Application, deps: &DirectDeps) {
    let (Some(name), Some(version)) = (deps.project.as_deref(), deps.project_version.as_deref())
    else {
        return;
    };
    if name.is_empty()
        || version.is_empty()
        || app
            .packages
            .iter()
            .any(|p| p.relationship == Relationship::Root)
    {
        return;
    }
    let mut root = crate::util::npm_package(name, version);
    root.relationship = Relationship::Root;
    root.licenses.clone_from(&deps.project_licenses);
    root.depends_on = app
        .packages
        .iter()
        .filter(|p| p.relationship == Relationship::Direct)
        .map(|p| p.id.clone())
        .collect();
    root.depends_on.sort();
    root.depends_on.dedup();
    app.packages.push(root);
    crate::util::sort_packages(&mut app.packages);
}

/// The project name at the start of a PEP 508 requirement (`requests[socks]>=2; python_version>"3"`).
fn pep508_name(req: &str) -> &str {
    let req = req.trim();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    &req[..end]
}

fn pyproject(path: &str, bytes: &[u8]) -> Result<DirectDeps, LangError> {
    const KIND: &str = "pyproject.toml";
    let text = crate::util::text(path, KIND, bytes)?;
    let doc: toml::Table =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    let mut out = DirectDeps::default();
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(toml::Value::as_str)
                    .map(|s| pep508_name(s).to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(project) = doc.get("project").and_then(toml::Value::as_table) {
        out.project = project
            .get("name")
            .and_then(toml::Value::as_str)
            .map(str::to_owned);
        out.runtime.extend(strings(project.get("dependencies")));
        if let Some(extras) = project
            .get("optional-dependencies")
            .and_then(toml::Value::as_table)
        {
            for v in extras.values() {
                out.runtime.extend(strings(Some(v)));
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(toml::Value::as_table) {
        for v in groups.values() {
            out.dev.extend(strings(Some(v)));
        }
    }
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(toml::Value::as_table);
    if let Some(poetry) = poetry {
        if out.project.is_none() {
            out.project = poetry
                .get("name")
                .and_then(toml::Value::as_str)
                .map(str::to_owned);
        }
        let keys = |v: Option<&toml::Value>| -> Vec<String> {
            v.and_then(toml::Value::as_table)
                .map(|t| t.keys().filter(|k| *k != "python").cloned().collect())
                .unwrap_or_default()
        };
        out.runtime.extend(keys(poetry.get("dependencies")));
        out.dev.extend(keys(poetry.get("dev-dependencies")));
        if let Some(groups) = poetry.get("group").and_then(toml::Value::as_table) {
            for (name, g) in groups {
                let deps = keys(g.get("dependencies"));
                if name == "main" {
                    out.runtime.extend(deps);
                } else {
                    out.dev.extend(deps);
                }
            }
        }
    }
    Ok(out)
}

/// Reads only the identity and license of an installed `package.json` (a copy inside
/// `node_modules`): `project`, `project_version` and `project_licenses` of the result; no
/// dependency lists. Cheaper than [`parse_manifest`]: the other fields are skipped, not built.
pub fn parse_package_identity(path: &str, bytes: &[u8]) -> Result<DirectDeps, LangError> {
    const KIND: &str = "package.json";
    #[derive(Deserialize)]
    struct Identity {
        #[serde(default)]
        name: Option<Value>,
        #[serde(default)]
        version: Option<Value>,
        #[serde(default)]
        license: Option<Value>,
        #[serde(default)]
        licenses: Option<Value>,
    }
    let text = crate::util::text(path, KIND, bytes)?;
    let id: Identity =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let s = |v: Option<Value>| match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    Ok(DirectDeps {
        project_licenses: crate::node::licenses(id.license.as_ref(), id.licenses.as_ref()),
        project: s(id.name),
        project_version: s(id.version),
        ..DirectDeps::default()
    })
}

fn package_json(path: &str, bytes: &[u8]) -> Result<DirectDeps, LangError> {
    const KIND: &str = "package.json";
    let text = crate::util::text(path, KIND, bytes)?;
    let v: Value =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| LangError::new(path, KIND, "the top level is not an object"))?;
    let keys = |k: &str| -> Vec<String> {
        obj.get(k)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut out = DirectDeps {
        project: obj.get("name").and_then(Value::as_str).map(str::to_owned),
        project_version: obj
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_owned),
        project_licenses: crate::node::licenses(obj.get("license"), obj.get("licenses")),
        ..DirectDeps::default()
    };
    for k in ["dependencies", "optionalDependencies", "peerDependencies"] {
        out.runtime.extend(keys(k));
    }
    out.dev.extend(keys("devDependencies"));
    Ok(out)
}

fn cargo_toml(path: &str, bytes: &[u8]) -> Result<DirectDeps, LangError> {
    const KIND: &str = "Cargo.toml";
    #[derive(Deserialize, Default)]
    struct Section {
        #[serde(default)]
        dependencies: BTreeMap<String, toml::Value>,
        #[serde(default, rename = "build-dependencies")]
        build_dependencies: BTreeMap<String, toml::Value>,
        #[serde(default, rename = "dev-dependencies")]
        dev_dependencies: BTreeMap<String, toml::Value>,
    }
    #[derive(Deserialize)]
    struct Manifest {
        #[serde(default)]
        package: Option<toml::Table>,
        #[serde(flatten)]
        top: Section,
        #[serde(default)]
        target: BTreeMap<String, Section>,
    }
    let text = crate::util::text(path, KIND, bytes)?;
    let m: Manifest =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    // `alias = { package = "real-name", … }` depends on `real-name`.
    let names = |deps: &BTreeMap<String, toml::Value>| -> Vec<String> {
        deps.iter()
            .map(|(k, v)| {
                v.get("package")
                    .and_then(toml::Value::as_str)
                    .unwrap_or(k)
                    .to_owned()
            })
            .collect()
    };
    let mut out = DirectDeps {
        project: m
            .package
            .as_ref()
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .map(str::to_owned),
        ..DirectDeps::default()
    };
    for s in std::iter::once(&m.top).chain(m.target.values()) {
        out.runtime.extend(names(&s.dependencies));
        out.runtime.extend(names(&s.build_dependencies));
        out.dev.extend(names(&s.dev_dependencies));
    }
    Ok(out)
}

fn composer_json(path: &str, bytes: &[u8]) -> Result<DirectDeps, LangError> {
    const KIND: &str = "composer.json";
    let text = crate::util::text(path, KIND, bytes)?;
    let v: Value =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| LangError::new(path, KIND, "the top level is not an object"))?;
    // Platform requirements (`php`, `ext-json`) are not packages.
    let keys = |k: &str| -> Vec<String> {
        obj.get(k)
            .and_then(Value::as_object)
            .map(|m| m.keys().filter(|n| n.contains('/')).cloned().collect())
            .unwrap_or_default()
    };
    Ok(DirectDeps {
        project: obj.get("name").and_then(Value::as_str).map(str::to_owned),
        runtime: keys("require"),
        dev: keys("require-dev"),
        ..DirectDeps::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_forms() {
        let t = "[project]\nname = \"app\"\ndependencies = [\"Django==3.2.0\", \"requests[socks]>=2 ; python_version>'3'\"]\n\n[project.optional-dependencies]\nyaml = [\"PyYAML\"]\n\n[dependency-groups]\ntest = [\"pytest>=8\"]\n\n[tool.poetry.group.lint.dependencies]\nruff = \"*\"\n";
        let d = parse_manifest("pyproject.toml", t.as_bytes()).unwrap();
        assert_eq!(d.project.as_deref(), Some("app"));
        assert_eq!(d.runtime, ["Django", "requests", "PyYAML"]);
        assert_eq!(d.dev, ["pytest", "ruff"]);
        let poetry = "[tool.poetry]\nname = \"p\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nflask = \"^2\"\n\n[tool.poetry.dev-dependencies]\nblack = \"*\"\n";
        let d = parse_manifest("pyproject.toml", poetry.as_bytes()).unwrap();
        assert_eq!(
            (d.runtime.as_slice(), d.dev.as_slice()),
            (&["flask".to_owned()][..], &["black".to_owned()][..])
        );
    }

    #[test]
    fn cargo_and_composer_and_package_json() {
        let c = "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\nrx = { package = \"regex\", version = \"1\" }\n\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n\n[dev-dependencies]\nproptest = \"1\"\n";
        let d = parse_manifest("Cargo.toml", c.as_bytes()).unwrap();
        assert_eq!(d.runtime, ["regex", "serde", "libc"]);
        assert_eq!(d.dev, ["proptest"]);
        let j = br#"{"name": "a/b", "require": {"php": ">=8", "ext-json": "*", "monolog/monolog": "^2"}, "require-dev": {"phpunit/phpunit": "^9"}}"#;
        let d = parse_manifest("composer.json", j).unwrap();
        assert_eq!(
            (d.runtime.as_slice(), d.dev.as_slice()),
            (
                &["monolog/monolog".to_owned()][..],
                &["phpunit/phpunit".to_owned()][..]
            )
        );
        let p = br#"{"name": "app", "dependencies": {"a": "1"}, "devDependencies": {"b": "2"}}"#;
        let d = parse_manifest("app/package.json", p).unwrap();
        assert_eq!(
            (d.runtime.as_slice(), d.dev.as_slice()),
            (&["a".to_owned()][..], &["b".to_owned()][..])
        );
    }

    #[test]
    fn applies_to_an_application() {
        let lock = "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"my_dep\"]\n\n[[package]]\nname = \"my_dep\"\nversion = \"1.0.0\"\ndependencies = [\"deep\"]\n\n[[package]]\nname = \"deep\"\nversion = \"2.0.0\"\n\n[[package]]\nname = \"tester\"\nversion = \"3.0.0\"\n";
        let mut app = crate::parse(LangFile::CargoLock, "Cargo.lock", lock.as_bytes()).unwrap();
        let deps = DirectDeps {
            project: Some("app".into()),
            runtime: vec!["my-dep".into()],
            dev: vec!["tester".into()],
            ..DirectDeps::default()
        };
        apply_manifest(&mut app, &deps);
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.relationship, p.dev))
            .collect();
        assert_eq!(
            got,
            [
                ("app", Relationship::Root, false),
                ("deep", Relationship::Indirect, false),
                ("my_dep", Relationship::Direct, false),
                ("tester", Relationship::Direct, true),
            ]
        );
    }

    #[test]
    fn package_identity() {
        let j = br#"{"name": "@s/b", "version": "2.1.0", "description": "x", "licenses": [{"type": "ISC"}], "dependencies": {"a": "1"}}"#;
        let d = parse_package_identity("node_modules/@s/b/package.json", j).unwrap();
        assert_eq!(d.project.as_deref(), Some("@s/b"));
        assert_eq!(d.project_version.as_deref(), Some("2.1.0"));
        assert_eq!(d.project_licenses, ["ISC"]);
        assert!(d.runtime.is_empty());
        let d = parse_package_identity("p/package.json", br#"{"name": 1, "version": ""}"#).unwrap();
        assert_eq!((d.project, d.project_version), (None, None));
        // Not an object: nothing to identify (an error, or an identity without a name).
        assert!(parse_package_identity("p/package.json", b"\"x\"").is_err());
        let d = parse_package_identity("p/package.json", b"[]").map(|d| d.project);
        assert!(matches!(d, Ok(None) | Err(_)));
        assert!(parse_package_identity("p/package.json", b"{").is_err());
    }

    #[test]
    fn malformed() {
        assert!(parse_manifest("pyproject.toml", b"[project\n").is_err());
        assert!(parse_manifest("package.json", b"[]").is_err());
        assert!(parse_manifest("Cargo.toml", b"[dependencies]\nx = \n").is_err());
        assert!(parse_manifest("composer.json", b"{").is_err());
        assert!(parse_manifest("setup.py", b"").is_err());
    }
}
