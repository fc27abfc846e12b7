//! NuGet `packages.lock.json`: per target framework, `{name: {type, resolved, dependencies}}`;
//! `Direct` entries are direct, `Transitive` indirect, `Project` references are not packages.
//! One package per name@version across target frameworks.

use std::collections::{BTreeMap, HashMap};

use atalaia_types::{Application, Package, Relationship};
use serde::Deserialize;

use super::nuget_package;
use crate::util::{application, json_object_locations};
use crate::LangError;

const KIND: &str = "nuget";

#[derive(Deserialize)]
struct Lock {
    dependencies: BTreeMap<String, BTreeMap<String, Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type", default)]
    ty: String,
    #[serde(default)]
    resolved: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
}

/// Parses a `packages.lock.json`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let locations = json_object_locations(text, 3);
    let mut by_id: HashMap<String, Package> = HashMap::new();
    for (target, entries) in &lock.dependencies {
        for (name, e) in entries {
            if e.ty.eq_ignore_ascii_case("project") {
                continue;
            }
            let Some(version) = e.resolved.as_deref() else {
                continue;
            };
            let id = format!("{name}@{version}");
            let pkg = by_id.entry(id).or_insert_with(|| {
                let mut p = nuget_package(name, version);
                p.relationship = Relationship::Indirect;
                p
            });
            if e.ty.eq_ignore_ascii_case("direct") {
                pkg.relationship = Relationship::Direct;
            }
            let key = vec!["dependencies".to_owned(), target.clone(), name.clone()];
            if let Some(l) = locations.get(&key) {
                if !pkg.locations.contains(l) {
                    pkg.locations.push(*l);
                }
            }
            for dep in e.dependencies.keys() {
                if let Some(v) = entries.get(dep).and_then(|d| d.resolved.as_deref()) {
                    let id = format!("{dep}@{v}");
                    if !pkg.depends_on.contains(&id) {
                        pkg.depends_on.push(id);
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = r#"{
  "version": 1,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "dependencies": {"System.Memory": "4.5.0"}
      },
      "System.Memory": {
        "type": "Transitive",
        "resolved": "4.5.4"
      },
      "MyLib": {"type": "Project"}
    }
  }
}"#;
        let app = parse("packages.lock.json", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("Newtonsoft.Json@13.0.1", Relationship::Direct, 5),
                ("System.Memory@4.5.4", Relationship::Indirect, 11)
            ]
        );
        assert_eq!(app.packages[0].depends_on, ["System.Memory@4.5.4"]);
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:nuget/Newtonsoft.Json@13.0.1"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("packages.lock.json", b"{\"version\": 1}").is_err());
        assert!(parse(
            "packages.lock.json",
            b"{\"dependencies\": {\"net6.0\": [1]}}"
        )
        .is_err());
    }
}
