//! `pnpm-lock.yaml`, lockfile versions 5 (`/name/1.0.0_peer`), 6 (`/name@1.0.0(peer)`) and 9
//! (`name@1.0.0`, graph under `snapshots`, direct dependencies under `importers`).
//!
//! Peer-dependency suffixes are removed from versions; direct dependencies are those the root
//! project (top level, or the `.` importer) declares. Dev: the `dev` flag (v5, v6), or, in v9,
//! not reachable from the importers' runtime dependencies.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use atalaia_types::{Application, Package, Relationship};
use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::util::{application, npm_package, yaml_section_keys};
use crate::LangError;

const KIND: &str = "pnpm";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    #[serde(default)]
    lockfile_version: Option<Value>,
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    importers: BTreeMap<String, Importer>,
    #[serde(default)]
    packages: BTreeMap<String, Entry>,
    #[serde(default)]
    snapshots: BTreeMap<String, Entry>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Importer {
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    dev: Option<bool>,
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Value>,
}

/// A declared dependency: name and its version entry.
type DepRef<'a> = (&'a String, &'a Value);

/// A dependency's version: a string (v5) or `{specifier, version}` (v6+).
fn dep_version(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Mapping(m) => m.get("version").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// Removes a peer suffix: `1.0.0(react@18.0.0)` (v6+) or `1.0.0_react@18.0.0` (v5).
fn strip_peers(v: &str, v5: bool) -> &str {
    let v = v.split('(').next().unwrap_or(v);
    if v5 {
        v.split('_').next().unwrap_or(v)
    } else {
        v
    }
}

/// (name, version) of a package key.
fn split_key(key: &str, v5: bool) -> Option<(String, String)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    if v5 {
        let key = strip_peers(key, true);
        let (name, version) = key.rsplit_once('/')?;
        Some((name.to_owned(), version.to_owned()))
    } else {
        let key = strip_peers(key, false);
        let at = key.get(1..)?.rfind('@')? + 1;
        Some((key[..at].to_owned(), key[at + 1..].to_owned()))
    }
}

/// The ID a dependency `name: version` points at (versions may be keys of their own for aliases).
fn dep_id(name: &str, version: &str, v5: bool) -> Option<String> {
    if version.starts_with("link:") || version.starts_with("file:") {
        return None;
    }
    if version.starts_with('/') {
        return split_key(version, v5).map(|(n, v)| format!("{n}@{v}"));
    }
    Some(format!("{name}@{}", strip_peers(version, v5)))
}

/// Parses a `pnpm-lock.yaml`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_yaml_ng::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let version: f64 = match &lock.lockfile_version {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::String(s)) => s.parse().unwrap_or(0.0),
        _ => return Err(LangError::new(path, KIND, "no `lockfileVersion`")),
    };
    let v5 = version < 6.0;
    let root = lock.importers.get(".");
    let (runtime_roots, dev_roots): (Vec<DepRef<'_>>, Vec<DepRef<'_>>) = match root {
        Some(imp) => (
            imp.dependencies
                .iter()
                .chain(imp.optional_dependencies.iter())
                .collect(),
            imp.dev_dependencies.iter().collect(),
        ),
        None => (
            lock.dependencies
                .iter()
                .chain(lock.optional_dependencies.iter())
                .collect(),
            lock.dev_dependencies.iter().collect(),
        ),
    };
    let to_ids = |deps: &[DepRef<'_>]| -> Vec<String> {
        deps.iter()
            .filter_map(|(n, v)| dep_version(v).and_then(|v| dep_id(n, &v, v5)))
            .collect()
    };
    let direct: HashSet<String> = to_ids(&runtime_roots)
        .into_iter()
        .chain(to_ids(&dev_roots))
        .collect();
    let locations = yaml_section_keys(text, "packages");

    // ID -> (package, dependency IDs).
    let mut by_id: HashMap<String, Package> = HashMap::new();
    for (key, entry) in &lock.packages {
        let Some((mut name, mut ver)) = split_key(key, v5) else {
            continue;
        };
        if let Some(n) = &entry.name {
            name.clone_from(n);
        }
        if let Some(v) = &entry.version {
            ver.clone_from(v);
        }
        let id = format!("{name}@{ver}");
        let pkg = by_id.entry(id.clone()).or_insert_with(|| {
            let mut p = npm_package(&name, &ver);
            p.relationship = if direct.contains(&id) {
                Relationship::Direct
            } else {
                Relationship::Indirect
            };
            p.dev = entry.dev == Some(true);
            p
        });
        pkg.locations.extend(locations.get(key.as_str()).copied());
        let graph = if v5 || version < 9.0 {
            Some(entry)
        } else {
            None
        };
        if let Some(e) = graph {
            for (n, v) in e.dependencies.iter().chain(e.optional_dependencies.iter()) {
                if let Some(d) = dep_version(v).and_then(|v| dep_id(n, &v, v5)) {
                    pkg.depends_on.push(d);
                }
            }
        }
    }
    for (key, snap) in &lock.snapshots {
        let Some((name, ver)) = split_key(key, false) else {
            continue;
        };
        if let Some(pkg) = by_id.get_mut(&format!("{name}@{ver}")) {
            for (n, v) in snap
                .dependencies
                .iter()
                .chain(snap.optional_dependencies.iter())
            {
                if let Some(d) = dep_version(v).and_then(|v| dep_id(n, &v, false)) {
                    pkg.depends_on.push(d);
                }
            }
        }
    }
    for p in by_id.values_mut() {
        p.depends_on.sort();
        p.depends_on.dedup();
        p.locations.sort_by_key(|l| l.start_line);
    }
    if version >= 9.0 && (!runtime_roots.is_empty() || !dev_roots.is_empty()) {
        // v9 has no dev flag: dev = not reachable from the runtime roots.
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: VecDeque<String> = to_ids(&runtime_roots).into();
        while let Some(id) = queue.pop_front() {
            if seen.insert(id.clone()) {
                if let Some(p) = by_id.get(&id) {
                    queue.extend(p.depends_on.iter().cloned());
                }
            }
        }
        for (id, p) in &mut by_id {
            p.dev = !seen.contains(id);
        }
    }
    let packages: Vec<Package> = by_id.into_values().collect();
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(app: &Application) -> Vec<(String, Relationship, bool, Vec<String>, u32)> {
        app.packages
            .iter()
            .map(|p| {
                (
                    p.id.clone(),
                    p.relationship,
                    p.dev,
                    p.depends_on.clone(),
                    p.locations.first().map_or(0, |l| l.start_line),
                )
            })
            .collect()
    }

    #[test]
    fn v5() {
        let lock = "lockfileVersion: 5.4\n\nspecifiers:\n  a: ^1.0.0\n\ndependencies:\n  a: 1.0.0_react@18.0.0\n\ndevDependencies:\n  '@s/t': 2.0.0\n\npackages:\n\n  /a/1.0.0_react@18.0.0:\n    resolution: {integrity: sha512-x}\n    dependencies:\n      b: 1.1.0\n    dev: false\n\n  /b/1.1.0:\n    resolution: {integrity: sha512-y}\n    dev: false\n\n  /@s/t/2.0.0:\n    resolution: {integrity: sha512-z}\n    dev: true\n";
        let app = parse("pnpm-lock.yaml", lock.as_bytes()).unwrap();
        assert_eq!(
            summary(&app),
            [
                (
                    "@s/t@2.0.0".to_owned(),
                    Relationship::Direct,
                    true,
                    vec![],
                    24
                ),
                (
                    "a@1.0.0".to_owned(),
                    Relationship::Direct,
                    false,
                    vec!["b@1.1.0".to_owned()],
                    14
                ),
                (
                    "b@1.1.0".to_owned(),
                    Relationship::Indirect,
                    false,
                    vec![],
                    20
                ),
            ]
        );
    }

    #[test]
    fn v6() {
        let lock = "lockfileVersion: '6.0'\n\ndependencies:\n  a:\n    specifier: ^1.0.0\n    version: 1.0.0(react@18.0.0)\n\npackages:\n\n  /a@1.0.0(react@18.0.0):\n    resolution: {integrity: sha512-x}\n    dependencies:\n      '@s/b': 1.1.0\n    dev: false\n\n  /@s/b@1.1.0:\n    resolution: {integrity: sha512-y}\n    dev: false\n";
        let app = parse("pnpm-lock.yaml", lock.as_bytes()).unwrap();
        assert_eq!(
            summary(&app),
            [
                (
                    "@s/b@1.1.0".to_owned(),
                    Relationship::Indirect,
                    false,
                    vec![],
                    16
                ),
                (
                    "a@1.0.0".to_owned(),
                    Relationship::Direct,
                    false,
                    vec!["@s/b@1.1.0".to_owned()],
                    10
                ),
            ]
        );
    }

    #[test]
    fn v9() {
        let lock = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1.0.0\n        version: 1.0.0\n    devDependencies:\n      c:\n        specifier: ^3\n        version: 3.0.0\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n\n  b@1.1.0:\n    resolution: {integrity: sha512-y}\n\n  c@3.0.0:\n    resolution: {integrity: sha512-z}\n\nsnapshots:\n\n  a@1.0.0:\n    dependencies:\n      b: 1.1.0\n\n  b@1.1.0: {}\n\n  c@3.0.0: {}\n";
        let app = parse("pnpm-lock.yaml", lock.as_bytes()).unwrap();
        assert_eq!(
            summary(&app),
            [
                (
                    "a@1.0.0".to_owned(),
                    Relationship::Direct,
                    false,
                    vec!["b@1.1.0".to_owned()],
                    17
                ),
                (
                    "b@1.1.0".to_owned(),
                    Relationship::Indirect,
                    false,
                    vec![],
                    20
                ),
                ("c@3.0.0".to_owned(), Relationship::Direct, true, vec![], 23),
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("pnpm-lock.yaml", b"packages: [").is_err());
        assert!(parse("pnpm-lock.yaml", b"packages: {}\n").is_err());
        assert!(parse("pnpm-lock.yaml", b"lockfileVersion: 9\npackages: 3\n").is_err());
    }
}
