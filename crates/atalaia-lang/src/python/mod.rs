//! Python: installed distributions (`METADATA`, `PKG-INFO`) and lockfiles (`poetry.lock`,
//! `requirements*.txt`, `Pipfile.lock`).

use atalaia_types::{Ecosystem, Package, Purl};

pub(crate) mod egg;
pub(crate) mod metadata;
pub(crate) mod pdm;
pub(crate) mod pipfile;
pub(crate) mod poetry;
pub(crate) mod pylock;
pub(crate) mod requirements;
pub(crate) mod uv;

/// A project name normalised per PEP 503: lower case, runs of `-`, `_` and `.` become one `-`.
/// Used for matching and for purls; packages keep the name as written.
pub fn normalize_pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A PyPI package with the purl Trivy writes: the purl spec's pypi rule, lower case with `_`
/// replaced by `-` (`pkg:pypi/django@3.2`).
pub(crate) fn pypi_package(name: &str, version: &str) -> Package {
    let purl = Purl::new(
        "pypi",
        "",
        &name.trim().to_ascii_lowercase().replace('_', "-"),
        version,
    );
    Package::new(Ecosystem::PyPI, name, version, purl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(normalize_pypi_name("Django"), "django");
        assert_eq!(normalize_pypi_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_pypi_name("Foo__Bar-._baz"), "foo-bar-baz");
        assert_eq!(
            pypi_package("PyYAML", "5.3.1").purl.to_string(),
            "pkg:pypi/pyyaml@5.3.1"
        );
    }
}
