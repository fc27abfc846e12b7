//! `package-lock.json` and `npm-shrinkwrap.json`.
//!
//! - v2 and v3 (`packages`, keyed by install path): every entry except the root `""` and links;
//!   the name is the entry's `name` or the last `node_modules/` segment of its key; the graph is
//!   resolved the way Node resolves `require` (nearest `node_modules` upwards); direct
//!   dependencies are the top-level entries the root entry declares.
//! - v1 (`dependencies`, nested): every entry, with `requires` resolved through the nesting.
//!
//! As in Trivy, one name@version installed at several paths is one package with several
//! locations.

use std::collections::{BTreeMap, HashMap};

use atalaia_types::{Application, Package, Relationship};
use serde::Deserialize;
use serde_json::Value;

use crate::util::{application, json_object_locations, npm_package};
use crate::LangError;

const KIND: &str = "npm";

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lockfileVersion", default)]
    lockfile_version: Option<Value>,
    #[serde(default)]
    packages: Option<BTreeMap<String, Entry>>,
    #[serde(default)]
    dependencies: Option<BTreeMap<String, V1Entry>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    dev_optional: bool,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    license: Option<Value>,
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, Value>,
    #[serde(default)]
    peer_dependencies: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct V1Entry {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    requires: BTreeMap<String, Value>,
    #[serde(default)]
    dependencies: BTreeMap<String, V1Entry>,
}

/// Parses a `package-lock.json` of any lockfile version.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let version = lock
        .lockfile_version
        .as_ref()
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let packages = match (&lock.packages, &lock.dependencies) {
        (Some(pkgs), _) if version >= 2 => parse_v2(text, pkgs),
        (_, Some(deps)) => parse_v1(deps),
        (Some(pkgs), None) => parse_v2(text, pkgs),
        (None, None) => Vec::new(),
    };
    Ok(application(KIND, path, packages))
}

/// The package name an install path ends in (`node_modules/a/node_modules/@s/b` -> `@s/b`).
fn name_from_key(key: &str) -> &str {
    match key.rfind("node_modules/") {
        Some(i) => &key[i + "node_modules/".len()..],
        None => key.rsplit('/').next().unwrap_or(key),
    }
}

/// The install path `require(dep)` resolves to from the package at `key`.
fn resolve<'a>(
    pkgs: &'a BTreeMap<String, Entry>,
    key: &str,
    dep: &str,
) -> Option<(&'a str, &'a Entry)> {
    let mut base = key.to_owned();
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{dep}")
        } else {
            format!("{base}/node_modules/{dep}")
        };
        if let Some((k, e)) = pkgs.get_key_value(&candidate) {
            // Follow a link to its target entry.
            return Some((k.as_str(), e));
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(i) => base[..i].to_owned(),
            None => String::new(),
        };
    }
}

fn parse_v2(text: &str, pkgs: &BTreeMap<String, Entry>) -> Vec<Package> {
    let locations = json_object_locations(text, 2);
    let default_root = Entry::default();
    let root = pkgs.get("").unwrap_or(&default_root);
    let direct: Vec<&str> = root
        .dependencies
        .keys()
        .chain(root.dev_dependencies.keys())
        .chain(root.optional_dependencies.keys())
        .chain(root.peer_dependencies.keys())
        .map(String::as_str)
        .collect();
    let id_of = |key: &str, e: &Entry| -> Option<String> {
        let name = e.name.as_deref().unwrap_or_else(|| name_from_key(key));
        e.version
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{name}@{v}"))
    };
    let mut by_id: HashMap<String, Package> = HashMap::new();
    for (key, e) in pkgs {
        if key.is_empty() || e.link {
            continue;
        }
        let Some(version) = e.version.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let name = e.name.as_deref().unwrap_or_else(|| name_from_key(key));
        let id = format!("{name}@{version}");
        let pkg = by_id.entry(id).or_insert_with(|| {
            let mut p = npm_package(name, version);
            p.dev = true;
            p.relationship = Relationship::Indirect;
            p.licenses = super::licenses(e.license.as_ref(), None);
            p
        });
        // Dev only if every copy is dev-only.
        pkg.dev &= e.dev || e.dev_optional;
        let top_level = key == &format!("node_modules/{name}");
        if !key.contains("node_modules/") {
            pkg.relationship = Relationship::Workspace;
        } else if top_level && direct.contains(&name) {
            pkg.relationship = Relationship::Direct;
        }
        if let Some(loc) = locations.get(&vec!["packages".to_owned(), key.clone()]) {
            pkg.locations.push(*loc);
        }
        for dep in e
            .dependencies
            .keys()
            .chain(e.optional_dependencies.keys())
            .chain(e.peer_dependencies.keys())
        {
            if let Some(id) = resolve(pkgs, key, dep).and_then(|(k, de)| id_of(k, de)) {
                if !pkg.depends_on.contains(&id) {
                    pkg.depends_on.push(id);
                }
            }
        }
    }
    let mut out: Vec<Package> = by_id.into_values().collect();
    for p in &mut out {
        p.depends_on.sort();
        p.locations.sort_by_key(|l| l.start_line);
    }
    out
}

fn parse_v1(deps: &BTreeMap<String, V1Entry>) -> Vec<Package> {
    fn walk<'a>(
        deps: &'a BTreeMap<String, V1Entry>,
        scopes: &mut Vec<&'a BTreeMap<String, V1Entry>>,
        top: bool,
        out: &mut HashMap<String, Package>,
    ) {
        scopes.push(deps);
        for (name, e) in deps {
            let Some(version) = e.version.as_deref().filter(|v| !v.is_empty()) else {
                continue;
            };
            // `file:` and `git+` versions of v1 name a source, not a version.
            let id = format!("{name}@{version}");
            let pkg = out.entry(id).or_insert_with(|| {
                let mut p = npm_package(name, version);
                p.dev = true;
                p.relationship = Relationship::Indirect;
                p
            });
            pkg.dev &= e.dev;
            if top {
                // v1 does not say which top-level entries the project declares; Trivy
                // treats them all as direct.
                pkg.relationship = Relationship::Direct;
            }
            // Resolve each required name in the entry's own scope, then outwards.
            let own: Vec<&BTreeMap<String, V1Entry>> = std::iter::once(&e.dependencies)
                .chain(scopes.iter().rev().copied())
                .collect();
            for req in e.requires.keys() {
                if let Some(v) = own
                    .iter()
                    .find_map(|s| s.get(req))
                    .and_then(|d| d.version.as_deref())
                {
                    let id = format!("{req}@{v}");
                    if !pkg.depends_on.contains(&id) {
                        pkg.depends_on.push(id);
                    }
                }
            }
            if !e.dependencies.is_empty() {
                walk(&e.dependencies, scopes, false, out);
            }
        }
        scopes.pop();
    }
    let mut out = HashMap::new();
    walk(deps, &mut Vec::new(), true, &mut out);
    let mut pkgs: Vec<Package> = out.into_values().collect();
    for p in &mut pkgs {
        p.depends_on.sort();
    }
    pkgs
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "dependencies": {"a": "^1.0.0"},
      "devDependencies": {"@s/t": "2.0.0"}
    },
    "node_modules/a": {
      "version": "1.0.0",
      "dependencies": {"b": "*"}
    },
    "node_modules/a/node_modules/b": {
      "version": "2.0.0"
    },
    "node_modules/b": {
      "version": "1.0.0",
      "license": "MIT"
    },
    "node_modules/@s/t": {
      "version": "2.0.0",
      "dev": true,
      "dependencies": {"b": "1"}
    },
    "node_modules/linked": {"resolved": "packages/linked", "link": true},
    "packages/linked": {"name": "linked", "version": "0.1.0"}
  }
}"#;

    #[test]
    fn v3() {
        let app = parse("package-lock.json", V3.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.relationship,
                    p.dev,
                    p.depends_on.clone(),
                    p.locations[0].start_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "@s/t@2.0.0",
                    Relationship::Direct,
                    true,
                    vec!["b@1.0.0".to_owned()],
                    21
                ),
                (
                    "a@1.0.0",
                    Relationship::Direct,
                    false,
                    vec!["b@2.0.0".to_owned()],
                    10
                ),
                ("b@1.0.0", Relationship::Indirect, false, vec![], 17),
                ("b@2.0.0", Relationship::Indirect, false, vec![], 14),
                ("linked@0.1.0", Relationship::Workspace, false, vec![], 27),
            ]
        );
        assert_eq!(app.packages[2].licenses, ["MIT"]);
        assert_eq!(app.packages[0].purl.to_string(), "pkg:npm/%40s/t@2.0.0");
    }

    #[test]
    fn v1() {
        let lock = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": {"version": "1.0.0", "requires": {"b": "^2"}, "dependencies": {"b": {"version": "2.0.0"}}},
    "b": {"version": "1.0.0", "dev": true}
  }
}"#;
        let app = parse("package-lock.json", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship, p.dev, p.depends_on.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "a@1.0.0",
                    Relationship::Direct,
                    false,
                    vec!["b@2.0.0".to_owned()]
                ),
                ("b@1.0.0", Relationship::Direct, true, vec![]),
                ("b@2.0.0", Relationship::Indirect, false, vec![]),
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse(
            "package-lock.json",
            b"{\"packages\": {\"x\": 1}, \"lockfileVersion\": 2}"
        )
        .is_err());
        assert!(parse(
            "package-lock.json",
            b"{\"lockfileVersion\": 3, \"packages\": {"
        )
        .is_err());
        assert!(parse("package-lock.json", b"").is_err());
    }
}
