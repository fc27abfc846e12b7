//! `yarn.lock`, classic (v1) and Berry (v2+, YAML-like `__metadata` files).
//!
//! Each block starts at column 0 with its comma-separated keys (`name@range`) and holds
//! `version`, `resolved`, `dependencies` and `optionalDependencies`. The name comes from the
//! first key (Berry protocols such as `@npm:` removed); dependencies are resolved to the block
//! that lists `name@range` among its keys. Berry's `@workspace:` blocks (the project itself and
//! its workspaces) are not packages.

use std::collections::HashMap;

use atalaia_types::{Application, Location, Package};

use crate::util::{application, npm_package};
use crate::LangError;

const KIND: &str = "yarn";

struct Block {
    keys: Vec<String>,
    version: Option<String>,
    deps: Vec<(String, String)>,
    start: u32,
    end: u32,
}

/// Parses a `yarn.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    if text.contains('\0') {
        return Err(LangError::new(
            path,
            KIND,
            "contains NUL bytes (binary file)",
        ));
    }
    let blocks = blocks(path, text)?;
    // key (`name@range`) -> ID of the block that resolves it.
    let mut resolved: HashMap<&str, String> = HashMap::new();
    let mut named: Vec<(&Block, String, String)> = Vec::new();
    for b in &blocks {
        let Some(first) = b.keys.first() else {
            continue;
        };
        let Some(name) = key_name(first) else {
            continue;
        };
        if b.keys.iter().any(|k| k.contains("@workspace:")) {
            continue;
        }
        let Some(version) = b.version.clone() else {
            continue;
        };
        let id = format!("{name}@{version}");
        for k in &b.keys {
            resolved.insert(k.as_str(), id.clone());
        }
        named.push((b, name.to_owned(), version));
    }
    let mut by_id: HashMap<String, Package> = HashMap::new();
    for (b, name, version) in named {
        let pkg = by_id
            .entry(format!("{name}@{version}"))
            .or_insert_with(|| npm_package(&name, &version));
        pkg.locations.push(Location {
            start_line: b.start,
            end_line: b.end,
        });
        for (dep, range) in &b.deps {
            let candidates = [format!("{dep}@{range}"), format!("{dep}@npm:{range}")];
            if let Some(id) = candidates.iter().find_map(|k| resolved.get(k.as_str())) {
                if !pkg.depends_on.contains(id) {
                    pkg.depends_on.push(id.clone());
                }
            }
        }
    }
    let mut packages: Vec<Package> = by_id.into_values().collect();
    for p in &mut packages {
        p.depends_on.sort();
        p.locations.sort_by_key(|l| l.start_line);
    }
    Ok(application(KIND, path, packages))
}

/// The package name of a key: `@scope/name@^1`, `name@npm:^1`, `"name@1"` -> the name.
fn key_name(key: &str) -> Option<&str> {
    let key = key.trim().trim_matches('"');
    let at = key.get(1..)?.find('@')? + 1;
    let name = &key[..at];
    (!name.is_empty()).then_some(name)
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        serde_json::from_str::<String>(s).unwrap_or_else(|_| s[1..s.len() - 1].to_owned())
    } else {
        s.to_owned()
    }
}

/// `key value` (v1) or `key: value` (Berry).
fn field(line: &str) -> (String, String) {
    let line = line.trim();
    let (k, v) = if let Some(rest) = line.strip_prefix('"') {
        // A quoted key: find its closing quote.
        match rest.find('"') {
            Some(i) => (&line[..i + 2], &line[i + 2..]),
            None => (line, ""),
        }
    } else {
        match line.find([' ', ':']) {
            Some(i) => (&line[..i], &line[i..]),
            None => (line, ""),
        }
    };
    let v = v.trim_start();
    let v = v.strip_prefix(':').unwrap_or(v);
    (unquote(k), unquote(v))
}

fn blocks(path: &str, text: &str) -> Result<Vec<Block>, LangError> {
    let mut out: Vec<Block> = Vec::new();
    let mut in_deps = false;
    let mut saw_header = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            let Some(head) = line.strip_suffix(':') else {
                return Err(LangError::new(
                    path,
                    KIND,
                    format!("line {n}: expected `keys:` at the start of a block"),
                ));
            };
            saw_header = true;
            in_deps = false;
            let keys = head
                .split(", ")
                .map(unquote)
                .filter(|k| !k.is_empty())
                .collect();
            out.push(Block {
                keys,
                version: None,
                deps: Vec::new(),
                start: n,
                end: n,
            });
            continue;
        }
        let Some(b) = out.last_mut() else {
            return Err(LangError::new(
                path,
                KIND,
                format!("line {n}: indented line before any block"),
            ));
        };
        b.end = n;
        if indent <= 2 {
            let (k, v) = field(line);
            in_deps = matches!(k.as_str(), "dependencies" | "optionalDependencies") && v.is_empty();
            if k == "version" && !v.is_empty() {
                b.version = Some(v);
            }
        } else if in_deps {
            let (k, v) = field(line);
            if !k.is_empty() && !v.is_empty() {
                b.deps.push((k, v));
            }
        }
    }
    if !saw_header
        && !text.trim().is_empty()
        && !text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(LangError::new(path, KIND, "no lock entries"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@s/a@^1.0.0", "@s/a@^1.1.0":
  version "1.2.0"
  resolved "https://registry.yarnpkg.com/@s/a/-/a-1.2.0.tgz#abc"
  integrity sha512-x
  dependencies:
    b "~2.0.0"

b@~2.0.0:
  version "2.0.1"
  resolved "https://registry.yarnpkg.com/b/-/b-2.0.1.tgz"

b@^1:
  version "1.0.0"
"#;

    #[test]
    fn classic() {
        let app = parse("yarn.lock", V1.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.depends_on.clone(),
                    p.locations[0].start_line,
                    p.locations[0].end_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("@s/a@1.2.0", vec!["b@2.0.1".to_owned()], 5, 10),
                ("b@1.0.0", vec![], 16, 17),
                ("b@2.0.1", vec![], 12, 14),
            ]
        );
    }

    const BERRY: &str = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 6
  cacheKey: 8

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    lodash: ^4.17.15
  languageName: unknown
  linkType: soft

"lodash@npm:^4.17.15, lodash@npm:^4.17.20":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"
  checksum: eb835a2e51d381e561e508ce932ea50a8e5a68f4ebdd771ea240d3048244a8d13658acbd502cd4829768c56f2e16bdd4340b9ea141297d472517b83868e677f7
  languageName: node
  linkType: hard
"#;

    #[test]
    fn berry() {
        let app = parse("yarn.lock", BERRY.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.locations[0].start_line))
            .collect();
        assert_eq!(got, [("lodash@4.17.21", 15)]);
    }

    #[test]
    fn malformed() {
        assert!(parse("yarn.lock", b"  indented first\n").is_err());
        assert!(parse("yarn.lock", b"not a lockfile at all").is_err());
        assert!(parse("yarn.lock", b"\xff\xfe").is_err());
        assert!(parse("yarn.lock", b"a@1:\n  version\n")
            .unwrap()
            .packages
            .is_empty());
    }
}
