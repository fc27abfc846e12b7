//! PEP 751 `pylock.toml` / `pylock.<name>.toml`: `[[packages]]` with `name`, `version` (absent for
//! VCS and directory sources, which are skipped) and `dependencies` (`{ name = … }` tables).

use std::collections::HashMap;

use atalaia_types::Application;
use serde::Deserialize;

use super::{normalize_pypi_name, pypi_package};
use crate::python::poetry::one_line;
use crate::util::{application, toml_array_blocks};
use crate::LangError;

const KIND: &str = "pylock";

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lock-version")]
    lock_version: String,
    #[serde(default)]
    packages: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    dependencies: Vec<Dep>,
}

#[derive(Deserialize)]
struct Dep {
    #[serde(default)]
    name: Option<String>,
}

/// Parses a `pylock.toml`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        toml::from_str(text).map_err(|e| LangError::new(path, KIND, one_line(&e.to_string())))?;
    if !lock.lock_version.starts_with("1.") {
        return Err(LangError::new(
            path,
            KIND,
            format!("unsupported lock-version `{}`", lock.lock_version),
        ));
    }
    let mut blocks = toml_array_blocks(text, "packages");
    if blocks.len() != lock.packages.len() {
        blocks.clear();
    }
    let ids: HashMap<String, String> = lock
        .packages
        .iter()
        .filter_map(|p| {
            p.version
                .as_ref()
                .map(|v| (normalize_pypi_name(&p.name), format!("{}@{v}", p.name)))
        })
        .collect();
    let mut packages = Vec::new();
    for (i, p) in lock.packages.iter().enumerate() {
        let Some(version) = p.version.as_deref() else {
            continue;
        };
        let mut pkg = pypi_package(&p.name, version);
        pkg.locations.extend(blocks.get(i).copied());
        pkg.depends_on = p
            .dependencies
            .iter()
            .filter_map(|d| d.name.as_deref())
            .filter_map(|n| ids.get(&normalize_pypi_name(n)).cloned())
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
        let lock = "lock-version = \"1.0\"\ncreated-by = \"pip\"\n\n[[packages]]\nname = \"requests\"\nversion = \"2.32.3\"\ndependencies = [{ name = \"urllib3\" }]\n\n[[packages.wheels]]\nurl = \"https://example.invalid/requests.whl\"\n\n[[packages]]\nname = \"urllib3\"\nversion = \"2.2.3\"\n\n[[packages]]\nname = \"local\"\ndirectory = { path = \".\" }\n";
        let app = parse("pylock.toml", lock.as_bytes()).unwrap();
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
                ("requests@2.32.3", vec!["urllib3@2.2.3".to_owned()], 4),
                ("urllib3@2.2.3", vec![], 12)
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("pylock.toml", b"[[packages]]\nname = \"a\"\n").is_err());
        assert!(parse("pylock.toml", b"lock-version = \"2.0\"\n").is_err());
    }
}
