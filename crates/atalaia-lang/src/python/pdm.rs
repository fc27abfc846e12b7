//! `pdm.lock`: `[[package]]` tables with `name`, `version`, `groups` (dev when none is
//! `default`) and `dependencies` (requirement strings such as `"urllib3<3,>=1.21.1"`).

use std::collections::HashMap;

use atalaia_types::Application;
use serde::Deserialize;

use super::{normalize_pypi_name, pypi_package};
use crate::python::poetry::one_line;
use crate::util::{application, toml_array_blocks};
use crate::LangError;

const KIND: &str = "pdm";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// The project name at the start of a requirement string.
fn requirement_name(req: &str) -> &str {
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    &req[..end]
}

/// Parses a `pdm.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    let mut blocks = toml_array_blocks(text, "package");
    if blocks.len() != lock.package.len() {
        blocks.clear();
    }
    let ids: HashMap<String, String> = lock
        .package
        .iter()
        .map(|p| {
            (
                normalize_pypi_name(&p.name),
                format!("{}@{}", p.name, p.version),
            )
        })
        .collect();
    let mut packages = Vec::new();
    for (i, p) in lock.package.iter().enumerate() {
        let mut pkg = pypi_package(&p.name, &p.version);
        pkg.dev = !p.groups.is_empty() && !p.groups.iter().any(|g| g == "default");
        pkg.locations.extend(blocks.get(i).copied());
        pkg.depends_on = p
            .dependencies
            .iter()
            .filter_map(|d| ids.get(&normalize_pypi_name(requirement_name(d))).cloned())
            .collect();
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = "[metadata]\ngroups = [\"default\", \"dev\"]\n\n[[package]]\nname = \"requests\"\nversion = \"2.32.0\"\ngroups = [\"default\"]\ndependencies = [\n    \"urllib3<3,>=1.21.1\",\n]\n\n[[package]]\nname = \"urllib3\"\nversion = \"2.2.0\"\ngroups = [\"default\"]\n\n[[package]]\nname = \"pytest\"\nversion = \"8.0.0\"\ngroups = [\"dev\"]\n";
        let app = parse("pdm.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("pytest@8.0.0", true, 17),
                ("requests@2.32.0", false, 4),
                ("urllib3@2.2.0", false, 12)
            ]
        );
        assert_eq!(app.packages[1].depends_on, ["urllib3@2.2.0"]);
    }

    #[test]
    fn malformed() {
        assert!(parse("pdm.lock", b"[[package]]\nname = \"a\"\n").is_err());
        assert!(parse("pdm.lock", b"=").is_err());
    }
}
