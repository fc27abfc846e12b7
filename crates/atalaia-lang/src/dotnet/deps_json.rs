//! `*.deps.json` (the .NET runtime's dependency manifest): `libraries` keyed `Name/Version` with a
//! `type`; only `package` libraries are packages (projects and reference assemblies are not).
//! The graph comes from `targets`.

use std::collections::{BTreeMap, HashMap};

use atalaia_types::Application;
use serde::Deserialize;

use super::nuget_package;
use crate::util::{application, json_object_locations, rooted};
use crate::LangError;

const KIND: &str = "dotnet-core";

#[derive(Deserialize)]
struct Deps {
    #[serde(default)]
    targets: BTreeMap<String, BTreeMap<String, Target>>,
    libraries: BTreeMap<String, Library>,
}

#[derive(Deserialize)]
struct Target {
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Library {
    #[serde(rename = "type")]
    ty: String,
}

/// Parses a `*.deps.json`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let deps: Deps =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let locations = json_object_locations(text, 2);
    let mut graph: HashMap<&str, Vec<String>> = HashMap::new();
    for target in deps.targets.values() {
        for (key, t) in target {
            let entry = graph.entry(key.as_str()).or_default();
            for (n, v) in &t.dependencies {
                if deps
                    .libraries
                    .get(&format!("{n}/{v}"))
                    .is_some_and(|l| l.ty.eq_ignore_ascii_case("package"))
                {
                    entry.push(format!("{n}@{v}"));
                }
            }
        }
    }
    let mut packages = Vec::new();
    for (key, lib) in &deps.libraries {
        if !lib.ty.eq_ignore_ascii_case("package") {
            continue;
        }
        let Some((name, version)) = key.split_once('/') else {
            continue;
        };
        let mut pkg = nuget_package(name, version);
        pkg.file_path = rooted(path);
        pkg.locations.extend(
            locations
                .get(&vec!["libraries".to_owned(), key.clone()])
                .copied(),
        );
        let mut d = graph.get(key.as_str()).cloned().unwrap_or_default();
        d.sort();
        d.dedup();
        pkg.depends_on = d;
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deps() {
        let deps = r#"{
  "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0"},
  "targets": {
    ".NETCoreApp,Version=v6.0": {
      "App/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}},
      "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {}}}
    }
  },
  "libraries": {
    "App/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Newtonsoft.Json/13.0.1": {
      "type": "package",
      "serviceable": true
    }
  }
}"#;
        let app = parse("app/App.deps.json", deps.as_bytes()).unwrap();
        assert_eq!(app.packages.len(), 1);
        assert_eq!(app.packages[0].id, "Newtonsoft.Json@13.0.1");
        assert_eq!(app.packages[0].locations[0].start_line, 11);
    }

    #[test]
    fn malformed() {
        assert!(parse("x.deps.json", b"{\"targets\": {}}").is_err());
        assert!(parse("x.deps.json", b"{\"libraries\": {\"a/1\": {}}}").is_err());
    }
}
