//! Conda `environment.yml` / `environment.yaml`: `dependencies` entries `name=version[=build]`
//! (or `name==version`) are packages; entries without a version, `pip:` sub-lists and channel
//! prefixes (`conda-forge::numpy=1.24`) are handled as Trivy does (the pip list is not read).

use atalaia_types::{Application, Ecosystem, Location};
use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::util::{application, simple_package};
use crate::LangError;

const KIND: &str = "conda-environment";

#[derive(Deserialize)]
struct Env {
    #[serde(default)]
    dependencies: Vec<Value>,
}

/// Parses an `environment.yml`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let env: Env =
        serde_yaml_ng::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let mut packages = Vec::new();
    for dep in &env.dependencies {
        let Some(spec) = dep.as_str() else { continue };
        let spec = spec.rsplit("::").next().unwrap_or(spec).trim();
        let (name, rest) = match spec.split_once("==").or_else(|| spec.split_once('=')) {
            Some((n, r)) => (n.trim(), r.trim()),
            None => continue,
        };
        let version = rest.split('=').next().unwrap_or(rest).trim();
        let valid_name = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if name.is_empty()
            || !valid_name
            || version.is_empty()
            || version.contains(['*', '<', '>', ',', '!'])
        {
            continue;
        }
        let mut pkg = simple_package(Ecosystem::Conda, name, version);
        if let Some(line) = text
            .lines()
            .position(|l| l.trim_start().starts_with('-') && l.contains(spec))
        {
            let n = u32::try_from(line + 1).unwrap_or(u32::MAX);
            pkg.locations.push(Location {
                start_line: n,
                end_line: n,
            });
        }
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env() {
        let yml = "name: app\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - conda-forge::numpy=1.24.0=py311h\n  - pandas\n  - scipy>=1.10\n  - pip:\n    - requests==2.31.0\n";
        let app = parse("environment.yml", yml.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.locations[0].start_line))
            .collect();
        assert_eq!(got, [("numpy@1.24.0", 6), ("python@3.11", 5)]);
    }

    #[test]
    fn malformed() {
        assert!(parse("environment.yml", b"dependencies: {a: 1}").is_err());
        assert!(parse("environment.yml", b"dependencies: [").is_err());
    }
}
