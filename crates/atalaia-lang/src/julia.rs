//! Julia `Manifest.toml`: format 1 (top-level `[[Name]]` arrays) and format 2
//! (`manifest_format = "2.0"`, `[[deps.Name]]`). Each entry has `uuid`, `version` (standard
//! libraries have none and are skipped) and `deps` (a list of names, or a name -> uuid table
//! when names are ambiguous). The purl carries the uuid (`pkg:julia/JSON@0.21.3?uuid=…`).

use std::collections::{BTreeMap, HashMap};

use atalaia_types::{Application, Ecosystem, Package, Purl};
use serde::Deserialize;

use crate::python::poetry::one_line;
use crate::util::{application, toml_array_blocks};
use crate::LangError;

const KIND: &str = "julia";

#[derive(Deserialize)]
struct Entry {
    uuid: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    deps: Option<Deps>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Deps {
    Names(Vec<String>),
    ByUuid(BTreeMap<String, String>),
}

/// Parses a `Manifest.toml`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let doc: toml::Table =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    let v2 = doc
        .get("manifest_format")
        .and_then(toml::Value::as_str)
        .is_some_and(|f| f.starts_with('2'));
    let table = if v2 {
        doc.get("deps")
            .and_then(toml::Value::as_table)
            .cloned()
            .unwrap_or_default()
    } else {
        doc.into_iter().filter(|(_, v)| v.is_array()).collect()
    };
    // (name, entry) in file order of names.
    let mut entries: Vec<(String, Entry)> = Vec::new();
    for (name, v) in table {
        let list: Vec<Entry> = v.try_into().map_err(|e: toml::de::Error| {
            LangError::new(
                path,
                KIND,
                format!("`{name}`: {}", one_line(&e.to_string())),
            )
        })?;
        for e in list {
            entries.push((name.clone(), e));
        }
    }
    let by_name: HashMap<&str, Vec<&Entry>> =
        entries.iter().fold(HashMap::new(), |mut m, (n, e)| {
            m.entry(n.as_str()).or_default().push(e);
            m
        });
    let by_uuid: HashMap<&str, (&str, &Entry)> = entries
        .iter()
        .map(|(n, e)| (e.uuid.as_str(), (n.as_str(), e)))
        .collect();
    let mut packages: Vec<Package> = Vec::new();
    for (name, e) in &entries {
        let Some(version) = e.version.as_deref() else {
            continue;
        };
        let purl = Purl::new("julia", "", name, version).with_qualifier("uuid", &e.uuid);
        let mut pkg = Package::new(Ecosystem::Julia, name, version, purl);
        let header = if v2 {
            format!("deps.{name}")
        } else {
            name.clone()
        };
        let blocks = toml_array_blocks(text, &header);
        let same_name = by_name.get(name.as_str()).map_or(0, Vec::len);
        if blocks.len() == same_name {
            let idx = by_name[name.as_str()]
                .iter()
                .position(|x| std::ptr::eq(*x, e))
                .unwrap_or(0);
            pkg.locations.extend(blocks.get(idx).copied());
        }
        let deps: Vec<(&str, &Entry)> = match &e.deps {
            Some(Deps::Names(names)) => names
                .iter()
                .filter_map(|n| {
                    by_name
                        .get(n.as_str())
                        .and_then(|v| v.first())
                        .map(|d| (n.as_str(), *d))
                })
                .collect(),
            Some(Deps::ByUuid(m)) => m
                .values()
                .filter_map(|u| by_uuid.get(u.as_str()).copied())
                .collect(),
            None => Vec::new(),
        };
        pkg.depends_on = deps
            .iter()
            .filter_map(|(n, d)| d.version.as_ref().map(|v| format!("{n}@{v}")))
            .collect();
        pkg.depends_on.sort();
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = r#"# This file is machine-generated - editing it directly is not advised

julia_version = "1.9.0"
manifest_format = "2.0"
project_hash = "abc"

[[deps.Dates]]
deps = ["Printf"]
uuid = "ade2ca70-3891-5945-98fb-dc099432e06a"

[[deps.JSON]]
deps = ["Dates", "Parsers"]
git-tree-sha1 = "31e996f0a15c7b280ba9f76636b3ff9e2ae58c9a"
uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
version = "0.21.4"

[[deps.Parsers]]
uuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
version = "2.7.2"
"#;

    #[test]
    fn v2() {
        let app = parse("Manifest.toml", V2.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.depends_on.clone(),
                    p.locations[0].start_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("JSON@0.21.4", vec!["Parsers@2.7.2".to_owned()], 11),
                ("Parsers@2.7.2", vec![], 17)
            ]
        );
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:julia/JSON@0.21.4?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6"
        );
    }

    #[test]
    fn v1() {
        let v1 = "[[JSON]]\ndeps = [\"Parsers\"]\nuuid = \"682c06a0-de6a-54ab-a142-c8b1cf79cde6\"\nversion = \"0.21.0\"\n\n[[Parsers]]\nuuid = \"69de0a69-1ddd-5017-9359-2bf0b02dc9f0\"\nversion = \"1.0.0\"\n";
        let app = parse("Manifest.toml", v1.as_bytes()).unwrap();
        assert_eq!(
            app.packages
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["JSON@0.21.0", "Parsers@1.0.0"]
        );
        assert_eq!(app.packages[0].depends_on, ["Parsers@1.0.0"]);
    }

    #[test]
    fn malformed() {
        assert!(parse("Manifest.toml", b"[[JSON]]\nversion = \"1\"\n").is_err());
        assert!(parse("Manifest.toml", b"[[JSON]\n").is_err());
    }
}
