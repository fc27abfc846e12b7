//! `composer.lock`: `packages` and `packages-dev` (dev), each with `name`, `version`,
//! `require` (resolved against the lock for the graph; platform requirements such as `php` and
//! `ext-*` are not packages) and `license`.

use std::collections::{BTreeMap, HashMap};

use atalaia_types::{Application, Ecosystem, Package, Purl};
use serde::Deserialize;

use crate::util::{application, json_object_locations};
use crate::LangError;

const KIND: &str = "composer";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Entry>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    #[serde(default)]
    require: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    license: Vec<String>,
}

/// Parses a `composer.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let locations = json_object_locations(text, 2);
    let dev = lock.packages_dev.unwrap_or_default();
    let versions: HashMap<String, &str> = lock
        .packages
        .iter()
        .chain(dev.iter())
        .map(|e| (e.name.to_ascii_lowercase(), e.version.as_str()))
        .collect();
    let mut packages = Vec::new();
    for (section, entries, is_dev) in [
        ("packages", &lock.packages, false),
        ("packages-dev", &dev, true),
    ] {
        for (i, e) in entries.iter().enumerate() {
            let (vendor, name) = e.name.split_once('/').unwrap_or(("", &e.name));
            let mut pkg = Package::new(
                Ecosystem::Packagist,
                &e.name,
                &e.version,
                Purl::new("composer", vendor, name, &e.version),
            );
            pkg.dev = is_dev;
            pkg.licenses.clone_from(&e.license);
            pkg.locations.extend(
                locations
                    .get(&vec![section.to_owned(), format!("#{i}")])
                    .copied(),
            );
            pkg.depends_on = e
                .require
                .keys()
                .filter_map(|d| {
                    versions
                        .get(&d.to_ascii_lowercase())
                        .map(|v| format!("{d}@{v}"))
                })
                .collect();
            pkg.depends_on.sort();
            packages.push(pkg);
        }
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = r#"{
    "packages": [
        {
            "name": "guzzlehttp/guzzle",
            "version": "7.4.0",
            "require": {"php": "^7.2", "guzzlehttp/psr7": "^2.0"},
            "license": ["MIT"]
        },
        {
            "name": "guzzlehttp/psr7",
            "version": "2.1.0"
        }
    ],
    "packages-dev": [
        {"name": "phpunit/phpunit", "version": "9.5.0"}
    ]
}"#;
        let app = parse("composer.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("guzzlehttp/guzzle@7.4.0", false, 3),
                ("guzzlehttp/psr7@2.1.0", false, 9),
                ("phpunit/phpunit@9.5.0", true, 15)
            ]
        );
        assert_eq!(app.packages[0].depends_on, ["guzzlehttp/psr7@2.1.0"]);
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:composer/guzzlehttp/guzzle@7.4.0"
        );
        assert_eq!(app.packages[0].licenses, ["MIT"]);
    }

    #[test]
    fn malformed() {
        assert!(parse("composer.lock", b"{\"packages\": [{\"name\": 1}]}").is_err());
        assert!(parse("composer.lock", b"{").is_err());
    }
}
