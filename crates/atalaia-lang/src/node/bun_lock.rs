//! Bun's text lockfile `bun.lock` (JSON with trailing commas): `packages` maps an install key
//! (`lodash`, `parent/child` for nested copies) to `[ "name@version", registry, {dependencies…},
//! integrity ]`; `workspaces[""]` declares the direct dependencies (`devDependencies` are dev).
//! Workspace, link and file packages (`name@workspace:…`) are not listed.

use std::collections::{BTreeMap, HashSet};

use atalaia_types::{Application, Package, Relationship};
use serde::Deserialize;
use serde_json::Value;

use crate::util::{application, npm_package};
use crate::LangError;

const KIND: &str = "bun";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    #[serde(default)]
    workspaces: BTreeMap<String, Workspace>,
    #[serde(default)]
    packages: BTreeMap<String, Vec<Value>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Workspace {
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, String>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, String>,
}

/// Removes commas that directly precede `}` or `]` (outside strings), so serde_json reads it.
fn strip_trailing_commas(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut in_str = false;
    let mut escaped = false;
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b',' => {
                let next = b[i + 1..].iter().find(|x| !x.is_ascii_whitespace());
                if matches!(next, Some(b'}' | b']')) {
                    out.push_str(&text[last..i]);
                    last = i + 1;
                }
            }
            _ => {}
        }
    }
    out.push_str(&text[last..]);
    out
}

/// `@s/a@1.0.0` -> (`@s/a`, `1.0.0`).
fn split(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    Some((&spec[..at], &spec[at + 1..]))
}

/// Parses a `bun.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock = serde_json::from_str(&strip_trailing_commas(text))
        .map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let no_root = Workspace::default();
    let root = lock.workspaces.get("").unwrap_or(&no_root);
    let runtime: HashSet<&str> = root
        .dependencies
        .keys()
        .chain(root.optional_dependencies.keys())
        .map(String::as_str)
        .collect();
    let dev: HashSet<&str> = root.dev_dependencies.keys().map(String::as_str).collect();
    let id_at = |key: &str| -> Option<String> {
        let spec = lock.packages.get(key)?.first()?.as_str()?;
        let (name, version) = split(spec)?;
        (!version.contains(':')).then(|| format!("{name}@{version}"))
    };
    let mut packages: Vec<Package> = Vec::new();
    for (key, entry) in &lock.packages {
        let Some(spec) = entry.first().and_then(Value::as_str) else {
            return Err(LangError::new(
                path,
                KIND,
                format!("package `{key}` has no `name@version`"),
            ));
        };
        let Some((name, version)) = split(spec) else {
            continue;
        };
        if version.contains(':') {
            continue;
        }
        let mut pkg = npm_package(name, version);
        let top_level = key == name;
        pkg.relationship = if top_level && (runtime.contains(name) || dev.contains(name)) {
            Relationship::Direct
        } else {
            Relationship::Indirect
        };
        pkg.dev = top_level && dev.contains(name) && !runtime.contains(name);
        if let Some(meta) = entry.get(2).and_then(Value::as_object) {
            for section in ["dependencies", "optionalDependencies", "peerDependencies"] {
                let Some(deps) = meta.get(section).and_then(Value::as_object) else {
                    continue;
                };
                for dep in deps.keys() {
                    // Nested copy first (`key/dep`), then the hoisted one.
                    let id = id_at(&format!("{key}/{dep}")).or_else(|| id_at(dep));
                    pkg.depends_on.extend(id);
                }
            }
        }
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": {
        "a": "^1.0.0",
      },
      "devDependencies": {
        "@s/t": "^2",
      },
    },
  },
  "packages": {
    "@s/t": ["@s/t@2.0.0", "", {}, "sha512-x"],
    "a": ["a@1.0.0", "", { "dependencies": { "b": "^2" } }, "sha512-y"],
    "a/b": ["b@2.0.0", "", {}, "sha512-z"],
    "b": ["b@1.0.0", "", {}, "sha512-w"],
    "ws": ["ws@workspace:packages/ws"],
  }
}"#;
        let app = parse("bun.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship, p.dev, p.depends_on.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("@s/t@2.0.0", Relationship::Direct, true, vec![]),
                (
                    "a@1.0.0",
                    Relationship::Direct,
                    false,
                    vec!["b@2.0.0".to_owned()]
                ),
                ("b@1.0.0", Relationship::Indirect, false, vec![]),
                ("b@2.0.0", Relationship::Indirect, false, vec![]),
            ]
        );
    }

    #[test]
    fn trailing_commas() {
        assert_eq!(
            strip_trailing_commas(r#"{"a": [1, 2, ], "b": "x, }",}"#),
            r#"{"a": [1, 2 ], "b": "x, }"}"#
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("bun.lock", b"{\"packages\": {\"a\": []}}").is_err());
        assert!(parse("bun.lock", b"{\"packages\": ").is_err());
    }
}
