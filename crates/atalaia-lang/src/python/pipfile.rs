//! `Pipfile.lock` (pipenv): JSON with `default` and `develop` sections mapping names to
//! `{"version": "==x"}`.

use std::collections::BTreeMap;

use atalaia_types::Application;
use serde::Deserialize;

use super::pypi_package;
use crate::util::{application, jpath, json_object_locations};
use crate::LangError;

const KIND: &str = "pipenv";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    default: BTreeMap<String, Entry>,
    #[serde(default)]
    develop: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    version: Option<String>,
}

/// Parses a `Pipfile.lock`; entries without a `==` version (VCS or path installs) are skipped.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let locations = json_object_locations(text, 2);
    let mut packages = Vec::new();
    for (section, entries, dev) in [
        ("default", &lock.default, false),
        ("develop", &lock.develop, true),
    ] {
        for (name, entry) in entries {
            let Some(version) = entry.version.as_deref().and_then(|v| v.strip_prefix("==")) else {
                continue;
            };
            let mut pkg = pypi_package(name, version.trim());
            pkg.dev = dev;
            pkg.locations
                .extend(locations.get(&jpath(&[section, name])).copied());
            packages.push(pkg);
        }
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        let lock = r#"{
    "_meta": {"hash": {"sha256": "x"}},
    "default": {
        "requests": {
            "hashes": ["sha256:a"],
            "version": "==2.19.1"
        },
        "mylib": {"git": "https://example.invalid/x.git"}
    },
    "develop": {
        "pytest": {"version": "==8.0.0"}
    }
}"#;
        let app = parse("Pipfile.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [("pytest@8.0.0", true, 11), ("requests@2.19.1", false, 4)]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("Pipfile.lock", b"{\"default\": [").is_err());
        assert!(parse("Pipfile.lock", b"{\"default\": {\"a\": 3}}").is_err());
    }
}
