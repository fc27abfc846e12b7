//! The stable identifier of a package inside an artifact, shared by findings and reports.

use atalaia_types::Package;
use sha2::{Digest as _, Sha256};

/// A stable identifier of a package inside an artifact: the first 16 hex digits of the SHA-256
/// of the application file path (empty for OS packages), ecosystem, ID, name, full version,
/// architecture, purl and the package's own file path, each followed by a NUL byte.
///
/// Findings carry it as `PkgIdentifier.UID`; `atalaia-report` gives packages the same value, so
/// a finding links to its package.
pub fn package_uid(app_file_path: &str, pkg: &Package) -> String {
    package_uid_with_purl(app_file_path, pkg, &pkg.purl.to_string())
}

/// [`package_uid`] when the caller has the package's purl as text already.
pub(crate) fn package_uid_with_purl(app_file_path: &str, pkg: &Package, purl: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        app_file_path,
        pkg.ecosystem.purl_type(),
        &pkg.id,
        &pkg.name,
        &pkg.full_version(),
        &pkg.arch,
        purl,
        &pkg.file_path,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    hex::encode(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_types::{Ecosystem, Purl};

    #[test]
    fn stable_and_distinct() {
        let a = Package::new(
            Ecosystem::PyPI,
            "a",
            "1.0",
            Purl::new("pypi", "", "a", "1.0"),
        );
        let b = Package::new(
            Ecosystem::PyPI,
            "b",
            "1.0",
            Purl::new("pypi", "", "b", "1.0"),
        );
        assert_eq!(package_uid("", &a), package_uid("", &a.clone()));
        assert_eq!(package_uid("", &a).len(), 16);
        assert_ne!(package_uid("", &a), package_uid("", &b));
        assert_ne!(package_uid("x", &a), package_uid("y", &a));
        // A fixed value: the report's package UIDs must not change.
        assert_eq!(package_uid("app/poetry.lock", &a), "d460d91f73b5f846");
    }
}
