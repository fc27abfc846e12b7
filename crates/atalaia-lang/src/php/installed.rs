//! Composer's `vendor/composer/installed.json`: `{"packages": [...]}` (Composer 2) or a bare
//! array (Composer 1) of `{name, version, license, require}`.

use atalaia_types::{Application, Ecosystem, Package, Purl};
use serde::Deserialize;

use crate::util::{application, rooted};
use crate::LangError;

const KIND: &str = "composer-vendor";

#[derive(Deserialize)]
#[serde(untagged)]
enum Installed {
    V2 { packages: Vec<Entry> },
    V1(Vec<Entry>),
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    #[serde(default)]
    license: Vec<String>,
}

/// Parses an `installed.json`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let installed: Installed =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let entries = match installed {
        Installed::V2 { packages } | Installed::V1(packages) => packages,
    };
    let mut packages = Vec::new();
    for e in entries {
        let (vendor, name) = e.name.split_once('/').unwrap_or(("", &e.name));
        let mut pkg = Package::new(
            Ecosystem::Packagist,
            &e.name,
            &e.version,
            Purl::new("composer", vendor, name, &e.version),
        );
        pkg.licenses = e.license;
        pkg.file_path = rooted(path);
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_layouts() {
        let v2 = br#"{"packages": [{"name": "monolog/monolog", "version": "2.3.5", "license": ["MIT"]}], "dev": true}"#;
        let app = parse("app/vendor/composer/installed.json", v2).unwrap();
        assert_eq!(
            app.packages[0].purl.to_string(),
            "pkg:composer/monolog/monolog@2.3.5"
        );
        assert_eq!(
            app.packages[0].file_path,
            "/app/vendor/composer/installed.json"
        );
        let v1 = br#"[{"name": "psr/log", "version": "1.1.4"}]"#;
        assert_eq!(
            parse("vendor/composer/installed.json", v1)
                .unwrap()
                .packages[0]
                .id,
            "psr/log@1.1.4"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("installed.json", b"{\"packages\": 1}").is_err());
        assert!(parse("installed.json", b"[").is_err());
    }
}
