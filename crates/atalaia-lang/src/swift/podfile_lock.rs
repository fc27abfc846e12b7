//! CocoaPods `Podfile.lock`: `PODS` lists `Name (version)` entries, each optionally with its
//! dependencies; `DEPENDENCIES` names the direct ones. Subspecs (`Firebase/Core`) keep their
//! full name; the purl puts the subspec in the subpath (`pkg:cocoapods/Firebase@10.0.0#Core`).

use std::collections::HashMap;

use atalaia_types::{Application, Ecosystem, Package, Purl, Relationship};
use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::util::application;
use crate::LangError;

const KIND: &str = "cocoapods";

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "PODS", default)]
    pods: Vec<Value>,
    #[serde(rename = "DEPENDENCIES", default)]
    dependencies: Vec<String>,
}

/// `Name (1.0)` or `Name (= 1.0)` -> (`Name`, `1.0`); a bare name -> (`Name`, ``).
fn split(s: &str) -> (&str, &str) {
    match s.split_once(" (") {
        Some((n, v)) => (n.trim(), v.trim_end_matches(')').trim()),
        None => (s.trim(), ""),
    }
}

/// Parses a `Podfile.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_yaml_ng::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let mut pods: Vec<(String, String, Vec<String>)> = Vec::new();
    for item in &lock.pods {
        match item {
            Value::String(s) => {
                let (n, v) = split(s);
                pods.push((n.to_owned(), v.to_owned(), Vec::new()));
            }
            Value::Mapping(m) => {
                for (k, deps) in m {
                    let Some(k) = k.as_str() else { continue };
                    let (n, v) = split(k);
                    let deps = deps
                        .as_sequence()
                        .map(|d| {
                            d.iter()
                                .filter_map(Value::as_str)
                                .map(|s| split(s).0.to_owned())
                                .collect()
                        })
                        .unwrap_or_default();
                    pods.push((n.to_owned(), v.to_owned(), deps));
                }
            }
            _ => {
                return Err(LangError::new(
                    path,
                    KIND,
                    "a `PODS` entry is neither a string nor a mapping",
                ))
            }
        }
    }
    let versions: HashMap<&str, &str> = pods
        .iter()
        .map(|(n, v, _)| (n.as_str(), v.as_str()))
        .collect();
    let direct: Vec<&str> = lock.dependencies.iter().map(|d| split(d).0).collect();
    let mut packages = Vec::new();
    for (name, version, deps) in &pods {
        let (base, subspec) = name.split_once('/').unwrap_or((name, ""));
        let mut purl = Purl::new("cocoapods", "", base, version);
        purl.subpath = subspec.to_owned();
        let mut pkg = Package::new(Ecosystem::CocoaPods, name, version, purl);
        pkg.relationship = if direct.contains(&name.as_str()) {
            Relationship::Direct
        } else {
            Relationship::Indirect
        };
        pkg.depends_on = deps
            .iter()
            .filter_map(|d| versions.get(d.as_str()).map(|v| format!("{d}@{v}")))
            .collect();
        pkg.depends_on.sort();
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = "PODS:\n  - Alamofire (5.6.4)\n  - Firebase/Core (10.0.0):\n    - Firebase/CoreOnly\n    - FirebaseAnalytics (= 10.0.0)\n  - Firebase/CoreOnly (10.0.0)\n  - FirebaseAnalytics (10.0.0)\n\nDEPENDENCIES:\n  - Alamofire (~> 5.6)\n  - Firebase/Core\n\nCOCOAPODS: 1.11.3\n";
        let app = parse("Podfile.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship))
            .collect();
        assert_eq!(
            got,
            [
                ("Alamofire@5.6.4", Relationship::Direct),
                ("Firebase/Core@10.0.0", Relationship::Direct),
                ("Firebase/CoreOnly@10.0.0", Relationship::Indirect),
                ("FirebaseAnalytics@10.0.0", Relationship::Indirect),
            ]
        );
        assert_eq!(
            app.packages[1].depends_on,
            ["Firebase/CoreOnly@10.0.0", "FirebaseAnalytics@10.0.0"]
        );
        assert_eq!(
            app.packages[1].purl.to_string(),
            "pkg:cocoapods/Firebase@10.0.0#Core"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("Podfile.lock", b"PODS:\n  - [1, 2]\n").is_err());
        assert!(parse("Podfile.lock", b"PODS: {").is_err());
    }
}
