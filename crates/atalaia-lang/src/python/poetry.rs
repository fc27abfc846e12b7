//! `poetry.lock` (lock-version 1.x and 2.x): `[[package]]` tables, their
//! `[package.dependencies]` for the graph, and `category`/`groups` for dev packages.

use std::collections::{BTreeMap, HashMap};

use super::{normalize_pypi_name, pypi_package};
use crate::util::{application, toml_array_blocks};
use crate::LangError;
use atalaia_types::Application;
use serde::Deserialize;

const KIND: &str = "poetry";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    /// Lock-version 1: `main` or `dev`.
    #[serde(default)]
    category: Option<String>,
    /// Lock-version 2: the dependency groups that need the package.
    #[serde(default)]
    groups: Option<Vec<String>>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

/// Parses a `poetry.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    let mut blocks = toml_array_blocks(text, "package");
    if blocks.len() != lock.package.len() {
        // Headers written in an unusual way: better no line numbers than wrong ones.
        blocks.clear();
    }
    // Normalised name -> versions present, to resolve dependency names to IDs.
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for p in &lock.package {
        by_name
            .entry(normalize_pypi_name(&p.name))
            .or_default()
            .push(format!("{}@{}", p.name, p.version));
    }
    let mut packages = Vec::with_capacity(lock.package.len());
    for (i, p) in lock.package.iter().enumerate() {
        if p.name.is_empty() || p.version.is_empty() {
            return Err(LangError::new(
                path,
                KIND,
                format!("[[package]] number {} has no name or version", i + 1),
            ));
        }
        let mut pkg = pypi_package(&p.name, &p.version);
        pkg.dev = match (&p.groups, &p.category) {
            (Some(groups), _) => !groups.is_empty() && !groups.iter().any(|g| g == "main"),
            (None, Some(cat)) => cat == "dev",
            (None, None) => false,
        };
        pkg.locations.extend(blocks.get(i).copied());
        let mut deps: Vec<String> = p
            .dependencies
            .keys()
            .filter_map(|d| by_name.get(&normalize_pypi_name(d)))
            .flat_map(|ids| ids.iter().take(1).cloned())
            .collect();
        deps.sort();
        deps.dedup();
        pkg.depends_on = deps;
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

/// The first line of a multi-line parser message.
pub(crate) fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = r#"# generated
[[package]]
name = "requests"
version = "2.19.1"
optional = false
groups = ["main"]

[package.dependencies]
urllib3 = ">=1.21.1,<1.24"
Chardet = "*"

[[package]]
name = "chardet"
version = "3.0.4"
groups = ["main"]

[[package]]
name = "urllib3"
version = "1.23"
groups = ["main"]

[[package]]
name = "pytest"
version = "8.0.0"
groups = ["dev"]

[metadata]
lock-version = "2.1"
"#;

    #[test]
    fn lock_v2() {
        let app = parse("poetry.lock", V2.as_bytes()).unwrap();
        let names: Vec<_> = app.packages.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            names,
            [
                "chardet@3.0.4",
                "pytest@8.0.0",
                "requests@2.19.1",
                "urllib3@1.23"
            ]
        );
        let req = &app.packages[2];
        assert_eq!(req.depends_on, ["chardet@3.0.4", "urllib3@1.23"]);
        assert_eq!(req.locations[0].start_line, 2);
        assert_eq!(req.locations[0].end_line, 10);
        assert!(app.packages[1].dev);
        assert!(!req.dev);
    }

    #[test]
    fn lock_v1_category() {
        let v1 = "[[package]]\nname = \"six\"\nversion = \"1.16.0\"\ncategory = \"dev\"\n\n[metadata]\nlock-version = \"1.1\"\n";
        let app = parse("poetry.lock", v1.as_bytes()).unwrap();
        assert!(app.packages[0].dev);
    }

    #[test]
    fn malformed() {
        assert!(parse("poetry.lock", b"[[package]\nname=").is_err());
        assert!(parse("poetry.lock", b"[[package]]\nname = 1\n").is_err());
        assert!(parse("poetry.lock", b"\x00\xff").is_err());
    }
}
