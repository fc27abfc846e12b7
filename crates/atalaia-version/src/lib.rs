//! Parse and compare versions; decide whether a version is in a range.
//!
//! A wrong comparison is a missed vulnerability or a false alarm, so each scheme follows its
//! ecosystem's own tool, rule for rule, and is tested against that tool's test vectors:
//!
//! | scheme | follows | constraint grammar |
//! | --- | --- | --- |
//! | `dpkg` | dpkg `verrevcmp` (epoch, upstream, revision, `~`) | [comparators](#comparators) (`<<`, `>>` too) |
//! | `rpm` | rpm `rpmvercmp` and EVR (`~`, `^`) | [comparators](#comparators) |
//! | `apk` | apk-tools (`_alpha` … `_p`, letter, `-rN`) | [comparators](#comparators) |
//! | `semver` | SemVer 2.0.0 (an optional leading `v` is accepted) | npm ranges, `,` also means AND |
//! | `npm` | node-semver (ranges, `^ ~ x`, hyphens, `\|\|`, prerelease rule) | npm ranges |
//! | `pep440` | pypa/packaging `Version` | PEP 440 specifiers (`~= == != <= >= < > ===`, `.*`) |
//! | `maven` | Maven 3.8.7+ `ComparableVersion` | Maven ranges (`[1.0,2.0)`, `(,1.0],[1.2,)`) |
//! | `go` | golang.org/x/mod/semver (`v`, `+incompatible`, pseudo-versions) | [comparators](#comparators) |
//! | `rubygems` | `Gem::Version` | `Gem::Requirement` (`~>`, `,`) |
//! | `nuget` | NuGet `NuGetVersion` (4 parts, SemVer 2 prerelease) | NuGet ranges (`[1.0,2.0)`, `1.0` = at least, `1.*`) |
//! | `composer` | Composer `VersionParser` normalisation and stabilities | Composer constraints (`^ ~ , \|\| @stability`) |
//! | `cargo` | SemVer 2.0.0 | Cargo requirements (`^` default, `~`, `=`, `*`, `,`) |
//! | `hex` | SemVer 2.0.0 (Elixir `Version`) | Elixir requirements (`~>`, `and`, `or`) |
//! | `pub` | SemVer 2.0.0 as the Dart `pub_semver` package orders it | `^`, comparators, `any` |
//! | `swift` | SemVer 2.0.0 (SwiftPM) | [comparators](#comparators) |
//! | `conan` | Conan `Version` (dotted items, `-pre`, `+build`) | Conan ranges (`[>=1.0 <2.0]`, `~`, `^`) |
//!
//! `hex`, `pub`, `swift` and `conan` versions are SemVer (or dotted) versions in their
//! ecosystems; they map onto the SemVer rules here, with the ecosystem's requirement syntax.
//!
//! Where an ecosystem's own order is not a total order (Maven with an empty qualifier in the
//! middle, `1-ga-snapshot`; Conan when a number meets a word at one position) this crate keeps
//! the ecosystem's answer for each pair, as the matcher must agree with the ecosystem.
//!
//! # Comparators
//!
//! The schemes whose ecosystems have no range language of their own (`dpkg`, `rpm`, `apk`,
//! `go`, `swift`) take a list of comparators: `op version` with `op` one of `=`, `==`, `!=`,
//! `<`, `<=`, `>`, `>=` (and `<<`, `>>` for dpkg), separated by `,` or spaces (all must hold),
//! alternatives separated by `||`. A bare version means `=`; `*` matches every version.
//!
//! # Hot path
//!
//! [`Version::parse`] parses once (one allocation: the owned text) and [`Version`] compares
//! many times without allocating; [`Constraint::parse`] does the same for constraints.
//! [`osv::affected`] evaluates OSV `SEMVER` and `ECOSYSTEM` ranges and `versions` lists.
//!
//! ```
//! use std::cmp::Ordering;
//! assert_eq!(atalaia_version::compare("dpkg", "1:2.36-9", "2.40-1").unwrap(), Ordering::Greater);
//! assert!(atalaia_version::satisfies("npm", "1.2.3", "^1.0.0 || ^2.0.0").unwrap());
//! assert!(atalaia_version::compare("pep440", "1.0", "lolwat").is_err());
//! ```

#![deny(missing_docs)]

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

pub mod apk;
pub mod cargo;
pub mod composer;
pub mod conan;
pub(crate) mod constraint;
pub mod dpkg;
mod error;
pub mod go;
pub mod hex;
pub mod maven;
pub mod npm;
pub mod nuget;
pub mod osv;
pub mod pep440;
pub mod pubdev;
pub mod rpm;
pub mod rubygems;
pub mod semver;
pub(crate) mod util;

pub use error::VersionError;

/// A versioning scheme: how an ecosystem writes, orders and constrains its versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Debian and Ubuntu packages (`[epoch:]upstream[-revision]`).
    Dpkg,
    /// RPM packages (`[epoch:]version[-release]`).
    Rpm,
    /// Alpine packages.
    Apk,
    /// Plain SemVer 2.0.0.
    Semver,
    /// npm packages (node-semver).
    Npm,
    /// Python packages (PEP 440).
    Pep440,
    /// Maven artifacts.
    Maven,
    /// Go modules.
    Go,
    /// Ruby gems.
    Rubygems,
    /// NuGet packages.
    Nuget,
    /// Composer (Packagist) packages.
    Composer,
    /// Rust crates.
    Cargo,
    /// Hex (Erlang, Elixir) packages.
    Hex,
    /// Dart and Flutter packages.
    Pub,
    /// Swift packages.
    Swift,
    /// Conan (C, C++) packages.
    Conan,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 16] = [
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Apk,
        Scheme::Semver,
        Scheme::Npm,
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::Go,
        Scheme::Rubygems,
        Scheme::Nuget,
        Scheme::Composer,
        Scheme::Cargo,
        Scheme::Hex,
        Scheme::Pub,
        Scheme::Swift,
        Scheme::Conan,
    ];

    /// The scheme's name, as [`compare`] and [`satisfies`] take it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Semver => "semver",
            Scheme::Npm => "npm",
            Scheme::Pep440 => "pep440",
            Scheme::Maven => "maven",
            Scheme::Go => "go",
            Scheme::Rubygems => "rubygems",
            Scheme::Nuget => "nuget",
            Scheme::Composer => "composer",
            Scheme::Cargo => "cargo",
            Scheme::Hex => "hex",
            Scheme::Pub => "pub",
            Scheme::Swift => "swift",
            Scheme::Conan => "conan",
        }
    }

    /// The scheme of an OSV ecosystem name (`Debian:12`, `PyPI`, `crates.io`, …), if known.
    ///
    /// The part after the first `:` (a release, as in `Alpine:v3.19`) is ignored.
    pub fn from_osv_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem).trim();
        Some(match base {
            "Debian" | "Ubuntu" | "Echo" | "Linux" => Scheme::Dpkg,
            "Alpine"
            | "Alpaquita"
            | "BellSoft Hardened Containers"
            | "Chainguard"
            | "Wolfi"
            | "MinimOS" => Scheme::Apk,
            "Red Hat" | "AlmaLinux" | "Rocky Linux" | "openSUSE" | "SUSE" | "Mageia"
            | "openEuler" | "Azure Linux" | "Photon OS" | "Oracle Linux" | "Amazon Linux" => {
                Scheme::Rpm
            }
            "npm" => Scheme::Npm,
            "PyPI" => Scheme::Pep440,
            "Maven" => Scheme::Maven,
            "Go" => Scheme::Go,
            "RubyGems" => Scheme::Rubygems,
            "NuGet" => Scheme::Nuget,
            "Packagist" => Scheme::Composer,
            "crates.io" => Scheme::Cargo,
            "Hex" => Scheme::Hex,
            "Pub" => Scheme::Pub,
            "SwiftURL" => Scheme::Swift,
            "ConanCenter" => Scheme::Conan,
            _ => return None,
        })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scheme {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.as_str() == s)
            .ok_or_else(|| VersionError::UnknownScheme(s.to_owned()))
    }
}

/// A parsed version of some scheme: parse once, compare many times without allocating.
///
/// Versions of one scheme are totally ordered; versions of different schemes are not
/// comparable ([`PartialOrd::partial_cmp`] returns `None`, [`Version::try_cmp`] an error).
/// Equality is the scheme's equality (`1.0` equals `1.0.0` under PEP 440).
#[derive(Debug, Clone)]
pub enum Version {
    /// A dpkg version.
    Dpkg(dpkg::DpkgVersion),
    /// An rpm EVR.
    Rpm(rpm::RpmVersion),
    /// An apk version.
    Apk(apk::ApkVersion),
    /// A SemVer version under the given scheme (`semver`, `cargo`, `hex`, `pub`, `swift`).
    Semver(Scheme, semver::SemVersion),
    /// An npm version.
    Npm(npm::NpmVersion),
    /// A PEP 440 version.
    Pep440(pep440::Pep440Version),
    /// A Maven version.
    Maven(maven::MavenVersion),
    /// A Go module version.
    Go(go::GoVersion),
    /// A RubyGems version.
    Rubygems(rubygems::GemVersion),
    /// A NuGet version.
    Nuget(nuget::NugetVersion),
    /// A Composer version.
    Composer(composer::ComposerVersion),
    /// A Conan version.
    Conan(conan::ConanVersion),
}

impl Version {
    /// Parses `input` under `scheme`.
    pub fn parse(scheme: Scheme, input: &str) -> Result<Version, VersionError> {
        Ok(match scheme {
            Scheme::Dpkg => Version::Dpkg(dpkg::DpkgVersion::parse(input)?),
            Scheme::Rpm => Version::Rpm(rpm::RpmVersion::parse(input)?),
            Scheme::Apk => Version::Apk(apk::ApkVersion::parse(input)?),
            Scheme::Semver | Scheme::Cargo | Scheme::Hex | Scheme::Pub | Scheme::Swift => {
                Version::Semver(scheme, semver::SemVersion::parse_for(scheme, input)?)
            }
            Scheme::Npm => Version::Npm(npm::NpmVersion::parse(input)?),
            Scheme::Pep440 => Version::Pep440(pep440::Pep440Version::parse(input)?),
            Scheme::Maven => Version::Maven(maven::MavenVersion::parse(input)?),
            Scheme::Go => Version::Go(go::GoVersion::parse(input)?),
            Scheme::Rubygems => Version::Rubygems(rubygems::GemVersion::parse(input)?),
            Scheme::Nuget => Version::Nuget(nuget::NugetVersion::parse(input)?),
            Scheme::Composer => Version::Composer(composer::ComposerVersion::parse(input)?),
            Scheme::Conan => Version::Conan(conan::ConanVersion::parse(input)?),
        })
    }

    /// The scheme this version was parsed under.
    pub fn scheme(&self) -> Scheme {
        match self {
            Version::Dpkg(_) => Scheme::Dpkg,
            Version::Rpm(_) => Scheme::Rpm,
            Version::Apk(_) => Scheme::Apk,
            Version::Semver(scheme, _) => *scheme,
            Version::Npm(_) => Scheme::Npm,
            Version::Pep440(_) => Scheme::Pep440,
            Version::Maven(_) => Scheme::Maven,
            Version::Go(_) => Scheme::Go,
            Version::Rubygems(_) => Scheme::Rubygems,
            Version::Nuget(_) => Scheme::Nuget,
            Version::Composer(_) => Scheme::Composer,
            Version::Conan(_) => Scheme::Conan,
        }
    }

    /// The text the version was parsed from (trimmed where the scheme trims).
    pub fn as_str(&self) -> &str {
        match self {
            Version::Dpkg(v) => v.as_str(),
            Version::Rpm(v) => v.as_str(),
            Version::Apk(v) => v.as_str(),
            Version::Semver(_, v) => v.as_str(),
            Version::Npm(v) => v.as_str(),
            Version::Pep440(v) => v.as_str(),
            Version::Maven(v) => v.as_str(),
            Version::Go(v) => v.as_str(),
            Version::Rubygems(v) => v.as_str(),
            Version::Nuget(v) => v.as_str(),
            Version::Composer(v) => v.as_str(),
            Version::Conan(v) => v.as_str(),
        }
    }

    /// Compares two versions of the same scheme; `None` across schemes.
    pub fn cmp_same_scheme(&self, other: &Version) -> Option<Ordering> {
        Some(match (self, other) {
            (Version::Dpkg(a), Version::Dpkg(b)) => a.cmp(b),
            (Version::Rpm(a), Version::Rpm(b)) => a.cmp(b),
            (Version::Apk(a), Version::Apk(b)) => a.cmp(b),
            (Version::Semver(sa, a), Version::Semver(sb, b)) if sa == sb => {
                semver::SemVersion::cmp_for(*sa, a, b)
            }
            (Version::Npm(a), Version::Npm(b)) => a.cmp(b),
            (Version::Pep440(a), Version::Pep440(b)) => a.cmp(b),
            (Version::Maven(a), Version::Maven(b)) => a.cmp(b),
            (Version::Go(a), Version::Go(b)) => a.cmp(b),
            (Version::Rubygems(a), Version::Rubygems(b)) => a.cmp(b),
            (Version::Nuget(a), Version::Nuget(b)) => a.cmp(b),
            (Version::Composer(a), Version::Composer(b)) => a.cmp(b),
            (Version::Conan(a), Version::Conan(b)) => a.cmp(b),
            _ => return None,
        })
    }

    /// Compares two versions, failing when their schemes differ.
    pub fn try_cmp(&self, other: &Version) -> Result<Ordering, VersionError> {
        self.cmp_same_scheme(other)
            .ok_or_else(|| VersionError::InvalidRange {
                reason: format!(
                    "cannot compare a {} version with a {} version",
                    self.scheme(),
                    other.scheme()
                ),
            })
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_same_scheme(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.cmp_same_scheme(other)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed constraint (range, requirement, specifier) of some scheme: parse once, test many.
#[derive(Debug, Clone)]
pub struct Constraint {
    scheme: Scheme,
    inner: ConstraintInner,
}

#[derive(Debug, Clone)]
enum ConstraintInner {
    Generic(constraint::Disjunction<Version>),
    Npm(npm::Range),
    Pep440(pep440::SpecifierSet),
    Maven(maven::MavenRange),
    Rubygems(rubygems::Requirement),
    Nuget(nuget::NugetRange),
    Composer(composer::ComposerConstraint),
    Cargo(cargo::CargoReq),
    Hex(hex::HexRequirement),
    Pub(pubdev::PubConstraint),
    Conan(conan::ConanRange),
}

impl Constraint {
    /// Parses `input` as a constraint under `scheme`.
    pub fn parse(scheme: Scheme, input: &str) -> Result<Constraint, VersionError> {
        let inner = match scheme {
            Scheme::Dpkg | Scheme::Rpm | Scheme::Apk | Scheme::Go | Scheme::Swift => {
                ConstraintInner::Generic(constraint::Disjunction::parse(scheme, input, |s| {
                    Version::parse(scheme, s)
                })?)
            }
            Scheme::Npm => ConstraintInner::Npm(npm::Range::parse(input, npm::Options::default())?),
            Scheme::Semver => ConstraintInner::Npm(npm::Range::parse_semver(input)?),
            Scheme::Pep440 => ConstraintInner::Pep440(pep440::SpecifierSet::parse(input)?),
            Scheme::Maven => ConstraintInner::Maven(maven::MavenRange::parse(input)?),
            Scheme::Rubygems => ConstraintInner::Rubygems(rubygems::Requirement::parse(input)?),
            Scheme::Nuget => ConstraintInner::Nuget(nuget::NugetRange::parse(input)?),
            Scheme::Composer => {
                ConstraintInner::Composer(composer::ComposerConstraint::parse(input)?)
            }
            Scheme::Cargo => ConstraintInner::Cargo(cargo::CargoReq::parse(input)?),
            Scheme::Hex => ConstraintInner::Hex(hex::HexRequirement::parse(input)?),
            Scheme::Pub => ConstraintInner::Pub(pubdev::PubConstraint::parse(input)?),
            Scheme::Conan => ConstraintInner::Conan(conan::ConanRange::parse(input)?),
        };
        Ok(Constraint { scheme, inner })
    }

    /// The scheme this constraint was parsed under.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Whether `version` satisfies the constraint; an error when its scheme differs.
    pub fn matches(&self, version: &Version) -> Result<bool, VersionError> {
        let mismatch = || VersionError::InvalidRange {
            reason: format!(
                "a {} constraint cannot test a {} version",
                self.scheme,
                version.scheme()
            ),
        };
        Ok(match (&self.inner, version) {
            (ConstraintInner::Generic(d), v) => {
                if v.scheme() != self.scheme {
                    return Err(mismatch());
                }
                d.matches(v, |a, b| match (a, b) {
                    // rpm's dependency rule: a bound without a release matches every release.
                    (Version::Rpm(a), Version::Rpm(b)) => a.matches_release_of(b),
                    _ => a.cmp_same_scheme(b).unwrap_or(Ordering::Equal),
                })
            }
            (ConstraintInner::Npm(r), Version::Npm(v)) => r.test(v.semver()),
            (ConstraintInner::Npm(r), Version::Semver(Scheme::Semver, v)) => r.test(v),
            (ConstraintInner::Pep440(s), Version::Pep440(v)) => s.contains(v),
            (ConstraintInner::Maven(r), Version::Maven(v)) => r.contains(v),
            (ConstraintInner::Rubygems(r), Version::Rubygems(v)) => r.satisfied_by(v),
            (ConstraintInner::Nuget(r), Version::Nuget(v)) => r.contains(v),
            (ConstraintInner::Composer(c), Version::Composer(v)) => c.matches(v),
            (ConstraintInner::Cargo(c), Version::Semver(Scheme::Cargo, v)) => c.matches(v),
            (ConstraintInner::Hex(c), Version::Semver(Scheme::Hex, v)) => c.matches(v),
            (ConstraintInner::Pub(c), Version::Semver(Scheme::Pub, v)) => c.allows(v),
            (ConstraintInner::Conan(c), Version::Conan(v)) => c.contains(v),
            _ => return Err(mismatch()),
        })
    }
}

/// Compares two versions under `scheme` (a name such as `dpkg`, `npm` or `pep440`).
///
/// Fails when the scheme is unknown or either string is not a version under it.
pub fn compare(scheme: &str, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let scheme: Scheme = scheme.parse()?;
    let a = Version::parse(scheme, a)?;
    let b = Version::parse(scheme, b)?;
    a.try_cmp(&b)
}

/// Whether `version` satisfies `constraint` under `scheme`.
///
/// Fails when the scheme is unknown, the version is not a version or the constraint is not
/// a constraint under it.
pub fn satisfies(scheme: &str, version: &str, constraint: &str) -> Result<bool, VersionError> {
    let scheme: Scheme = scheme.parse()?;
    let version = Version::parse(scheme, version)?;
    Constraint::parse(scheme, constraint)?.matches(&version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_names_round_trip() {
        for scheme in Scheme::ALL {
            assert_eq!(scheme.as_str().parse::<Scheme>().unwrap(), scheme);
        }
        assert!(matches!(
            "cobol".parse::<Scheme>(),
            Err(VersionError::UnknownScheme(_))
        ));
    }

    #[test]
    fn osv_ecosystems_map_to_schemes() {
        assert_eq!(Scheme::from_osv_ecosystem("Debian:12"), Some(Scheme::Dpkg));
        assert_eq!(
            Scheme::from_osv_ecosystem("Alpine:v3.19"),
            Some(Scheme::Apk)
        );
        assert_eq!(Scheme::from_osv_ecosystem("crates.io"), Some(Scheme::Cargo));
        assert_eq!(Scheme::from_osv_ecosystem("Nope"), None);
    }

    #[test]
    fn versions_of_different_schemes_do_not_compare() {
        let a = Version::parse(Scheme::Dpkg, "1.0").unwrap();
        let b = Version::parse(Scheme::Rpm, "1.0").unwrap();
        assert_eq!(a.partial_cmp(&b), None);
        assert!(a.try_cmp(&b).is_err());
        let c = Constraint::parse(Scheme::Rpm, ">= 1.0").unwrap();
        assert!(c.matches(&a).is_err());
        assert!(c.matches(&b).unwrap());
    }
}
