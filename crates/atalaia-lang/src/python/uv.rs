//! `uv.lock`: `[[package]]` tables with `name`, `version`, `source` and `dependencies`
//! (`{ name = "x" }`, with `version` when several versions are locked). The project itself
//! (`source = { editable = "." }` or `{ virtual = "." }`) is the root; what it needs directly is
//! `direct`, the rest `indirect`; packages reachable only through its `dev-dependencies` are `dev`.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use atalaia_types::{Application, Relationship};
use serde::Deserialize;

use super::{normalize_pypi_name, pypi_package};
use crate::python::poetry::one_line;
use crate::util::{application, toml_array_blocks};
use crate::LangError;

const KIND: &str = "uv";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dep>>,
}

#[derive(Deserialize)]
struct Dep {
    name: String,
    #[serde(default)]
    version: Option<String>,
}

/// Parses a `uv.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    let mut blocks = toml_array_blocks(text, "package");
    if blocks.len() != lock.package.len() {
        blocks.clear();
    }
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in lock.package.iter().enumerate() {
        by_name
            .entry(normalize_pypi_name(&p.name))
            .or_default()
            .push(i);
    }
    let resolve = |d: &Dep| -> Option<usize> {
        let cands = by_name.get(&normalize_pypi_name(&d.name))?;
        match &d.version {
            Some(v) => cands
                .iter()
                .copied()
                .find(|&i| lock.package[i].version.as_deref() == Some(v.as_str())),
            None => cands.first().copied(),
        }
    };
    let is_root = |p: &LockPackage| {
        p.source
            .get("editable")
            .or_else(|| p.source.get("virtual"))
            .and_then(toml::Value::as_str)
            == Some(".")
    };
    let root = lock.package.iter().position(is_root);
    // Reachable from the root's runtime dependencies (and its extras), to tell dev-only ones.
    let mut runtime: HashSet<usize> = HashSet::new();
    if let Some(r) = root {
        let mut queue: VecDeque<usize> = VecDeque::from([r]);
        while let Some(i) = queue.pop_front() {
            if !runtime.insert(i) {
                continue;
            }
            let p = &lock.package[i];
            for d in p
                .dependencies
                .iter()
                .chain(p.optional_dependencies.values().flatten())
            {
                queue.extend(resolve(d));
            }
        }
    }
    let direct: HashSet<usize> = root
        .map(|r| {
            let p = &lock.package[r];
            p.dependencies
                .iter()
                .chain(p.optional_dependencies.values().flatten())
                .chain(p.dev_dependencies.values().flatten())
                .filter_map(resolve)
                .collect()
        })
        .unwrap_or_default();
    let mut packages = Vec::new();
    for (i, p) in lock.package.iter().enumerate() {
        let Some(version) = p.version.as_deref() else {
            continue;
        };
        let mut pkg = pypi_package(&p.name, version);
        pkg.relationship = if Some(i) == root {
            Relationship::Root
        } else if direct.contains(&i) {
            Relationship::Direct
        } else if root.is_some() {
            Relationship::Indirect
        } else {
            Relationship::Unknown
        };
        pkg.dev = root.is_some() && !runtime.contains(&i);
        pkg.locations.extend(blocks.get(i).copied());
        let mut deps: Vec<String> = p
            .dependencies
            .iter()
            .chain(p.optional_dependencies.values().flatten())
            .filter_map(resolve)
            .filter_map(|j| {
                lock.package[j]
                    .version
                    .as_ref()
                    .map(|v| format!("{}@{v}", lock.package[j].name))
            })
            .collect();
        deps.sort();
        deps.dedup();
        pkg.depends_on = deps;
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "requests" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "requests"
version = "2.32.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "urllib3" },
]

[[package]]
name = "urllib3"
version = "2.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
"#;

    #[test]
    fn lock() {
        let app = parse("uv.lock", LOCK.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.relationship,
                    p.dev,
                    p.locations[0].start_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("app@0.1.0", Relationship::Root, false, 4),
                ("pytest@8.0.0", Relationship::Direct, true, 30),
                ("requests@2.32.0", Relationship::Direct, false, 17),
                ("urllib3@2.2.0", Relationship::Indirect, false, 25),
            ]
        );
        assert_eq!(app.packages[2].depends_on, ["urllib3@2.2.0"]);
    }

    #[test]
    fn malformed() {
        assert!(parse("uv.lock", b"[[package]]\nversion = \"1\"\n").is_err());
        assert!(parse("uv.lock", b"[[package]\n").is_err());
    }
}
