//! Package-name normalisation per namespace, so that the names an inventory reports and the
//! names a feed writes meet in one key.

use std::borrow::Cow;

/// Normalises a package name for lookups in `namespace`: PEP 503 for `PyPI` (lowercase, runs of
/// `-`, `_`, `.` become one `-`), lowercase for `npm`, `Packagist`, `NuGet`, `Hex` and `Pub`,
/// `group:artifact` for `Maven` (a `/` separator is accepted), as written otherwise (Go module
/// paths, crates, gems and OS source packages are case-sensitive names).
pub fn normalize_package_name(namespace: &str, name: &str) -> String {
    normalized(namespace, name).into_owned()
}

/// [`normalize_package_name`], borrowing `name` when it is already normal (the usual case:
/// lookups take it once per package).
pub(crate) fn normalized<'a>(namespace: &str, name: &'a str) -> Cow<'a, str> {
    let name = name.trim();
    match namespace {
        "PyPI" if !is_pep503(name) => Cow::Owned(pep503(name)),
        "npm" | "Packagist" | "NuGet" | "Hex" | "Pub"
            if name.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            Cow::Owned(name.to_ascii_lowercase())
        }
        "Maven" => match name.split_once('/') {
            Some((group, artifact)) if !name.contains(':') => {
                Cow::Owned(format!("{group}:{artifact}"))
            }
            _ => Cow::Borrowed(name),
        },
        _ => Cow::Borrowed(name),
    }
}

/// Whether [`pep503`] would leave `name` as it is.
fn is_pep503(name: &str) -> bool {
    let mut after_sep = false;
    for c in name.chars() {
        match c {
            '_' | '.' => return false,
            '-' if after_sep => return false,
            '-' => after_sep = true,
            c if c.is_ascii_uppercase() => return false,
            _ => after_sep = false,
        }
    }
    true
}

fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_sep = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_is_pep503() {
        assert_eq!(
            normalize_package_name("PyPI", "Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize_package_name("PyPI", "a--b__c"), "a-b-c");
        // Borrowed exactly when normalising changes nothing.
        for name in [
            "django",
            "a-b",
            "Django",
            "a--b",
            "a_b",
            "a.b",
            "-a",
            "a-",
            "zope.interface",
        ] {
            let n = normalized("PyPI", name);
            assert_eq!(n, pep503(name), "{name}");
            assert_eq!(
                matches!(n, Cow::Borrowed(_)),
                pep503(name) == name,
                "{name}"
            );
        }
        assert!(matches!(
            normalized("npm", "lodash"),
            Cow::Borrowed("lodash")
        ));
        assert_eq!(normalized("npm", "JSONStream"), "jsonstream");
    }

    #[test]
    fn npm_is_lowercase_and_maven_is_group_colon_artifact() {
        assert_eq!(normalize_package_name("npm", "JSONStream"), "jsonstream");
        assert_eq!(
            normalize_package_name("Maven", "org.apache.logging.log4j/log4j-core"),
            "org.apache.logging.log4j:log4j-core"
        );
        assert_eq!(
            normalize_package_name("Maven", "com.h2database:h2"),
            "com.h2database:h2"
        );
    }

    #[test]
    fn others_are_kept() {
        assert_eq!(
            normalize_package_name("Go", "github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(normalize_package_name("debian 11", "apache2"), "apache2");
    }
}
