//! Package-URL matching: a general purl (in an ignore entry or a VEX statement) against the
//! specific purl of a finding's package.
//!
//! Both follow Trivy: type, namespace and name must be equal; a version in the general purl must
//! equal the finding's (no version matches every version); every qualifier of the general purl
//! must be on the finding's purl with the same value, while the finding may carry more
//! (`pkg:deb/debian/openssl` matches `pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12`,
//! `…?distro=debian-12` does not match `…?distro=debian-12.5`). Ignore files also compare the
//! subpath when the entry has one (Trivy's `purl.Match`); VEX does not (go-vex `PurlMatches`).
//! Before comparing, names are normalised as packageurl-go's parser does (PyPI names lower case
//! with `_` as `-`; GitHub, GitLab and Bitbucket namespaces and names lower case).

use atalaia_types::Purl;

/// Parses and normalises a purl.
pub(crate) fn parse(s: &str) -> Option<Purl> {
    s.trim().parse::<Purl>().ok().map(normalise)
}

pub(crate) fn normalise(mut p: Purl) -> Purl {
    match p.ty.as_str() {
        "pypi" => {
            p.name = p.name.to_ascii_lowercase().replace('_', "-");
        }
        "github" | "gitlab" | "bitbucket" => {
            p.namespace = p.namespace.to_ascii_lowercase();
            p.name = p.name.to_ascii_lowercase();
        }
        _ => {}
    }
    p
}

fn core_matches(general: &Purl, specific: &Purl) -> bool {
    general.ty == specific.ty
        && general.namespace == specific.namespace
        && general.name == specific.name
        && (general.version.is_empty() || general.version == specific.version)
        && general
            .qualifiers
            .iter()
            .all(|(k, v)| specific.qualifiers.get(k) == Some(v))
}

/// Trivy's `purl.PackageURL.Match` (ignore files).
pub(crate) fn ignore_matches(general: &Purl, specific: &Purl) -> bool {
    core_matches(general, specific)
        && (general.subpath.is_empty() || general.subpath == specific.subpath)
}

/// go-vex's `PurlMatches` (VEX documents).
pub(crate) fn vex_matches(general: &Purl, specific: &Purl) -> bool {
    core_matches(general, specific)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Purl {
        parse(s).unwrap()
    }

    #[test]
    fn general_to_specific() {
        let target = p("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
        assert!(ignore_matches(&p("pkg:deb/debian/openssl"), &target));
        assert!(ignore_matches(
            &p("pkg:deb/debian/openssl@3.0.11-1~deb12u2"),
            &target
        ));
        assert!(ignore_matches(
            &p("pkg:deb/debian/openssl?arch=amd64"),
            &target
        ));
        assert!(!ignore_matches(
            &p("pkg:deb/debian/openssl?arch=arm64"),
            &target
        ));
        assert!(!ignore_matches(
            &p("pkg:deb/debian/openssl?distro=debian-12.5"),
            &target
        ));
        assert!(!ignore_matches(&p("pkg:deb/debian/openssl@3.0.9"), &target));
        assert!(!ignore_matches(&p("pkg:deb/ubuntu/openssl"), &target));
        assert!(!ignore_matches(&p("pkg:rpm/debian/openssl"), &target));
        // The finding's extra qualifiers do not matter; the entry's do.
        assert!(!ignore_matches(
            &target,
            &p("pkg:deb/debian/openssl@3.0.11-1~deb12u2")
        ));
    }

    #[test]
    fn subpath_only_for_ignore_files() {
        let target = p("pkg:golang/example.com/mod@v1.0.0#sub/a");
        let entry = p("pkg:golang/example.com/mod#sub/b");
        assert!(!ignore_matches(&entry, &target));
        assert!(vex_matches(&entry, &target));
    }

    #[test]
    fn pypi_names_are_normalised() {
        assert!(vex_matches(
            &p("pkg:pypi/Django_Rest"),
            &p("pkg:pypi/django-rest@1.0")
        ));
    }
}
