//! Packages: what an OS package database, a lockfile or an installed tree says is there.

use serde::{Deserialize, Serialize};

use crate::{Digest, Purl};

/// Where a package comes from, which decides its purl type, its version scheme and the advisory
/// namespace it is matched in. Names follow OSV (`PyPI`, `crates.io`) and purl types (`pypi`, `cargo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[allow(missing_docs)] // each variant is the ecosystem it names
pub enum Ecosystem {
    Apk,
    Deb,
    Rpm,
    Pacman,
    PyPI,
    Npm,
    #[serde(rename = "crates.io")]
    CratesIo,
    Go,
    Maven,
    RubyGems,
    Packagist,
    NuGet,
    Pub,
    Hex,
    SwiftURL,
    CocoaPods,
    ConanCenter,
    Julia,
    Conda,
    Terraform,
}

impl Ecosystem {
    /// The purl type (`pkg:<type>/…`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Apk => "apk",
            Ecosystem::Deb => "deb",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Pacman => "alpm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Go => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::SwiftURL => "swift",
            Ecosystem::CocoaPods => "cocoapods",
            Ecosystem::ConanCenter => "conan",
            Ecosystem::Julia => "julia",
            Ecosystem::Conda => "conda",
            Ecosystem::Terraform => "terraform",
        }
    }

    /// The ecosystem of a purl type, the inverse of [`Ecosystem::purl_type`].
    pub fn from_purl_type(ty: &str) -> Option<Self> {
        Some(match ty {
            "apk" => Ecosystem::Apk,
            "deb" => Ecosystem::Deb,
            "rpm" => Ecosystem::Rpm,
            "alpm" => Ecosystem::Pacman,
            "pypi" => Ecosystem::PyPI,
            "npm" => Ecosystem::Npm,
            "cargo" => Ecosystem::CratesIo,
            "golang" => Ecosystem::Go,
            "maven" => Ecosystem::Maven,
            "gem" => Ecosystem::RubyGems,
            "composer" => Ecosystem::Packagist,
            "nuget" => Ecosystem::NuGet,
            "pub" => Ecosystem::Pub,
            "hex" => Ecosystem::Hex,
            "swift" => Ecosystem::SwiftURL,
            "cocoapods" => Ecosystem::CocoaPods,
            "conan" => Ecosystem::ConanCenter,
            "julia" => Ecosystem::Julia,
            "conda" => Ecosystem::Conda,
            "terraform" => Ecosystem::Terraform,
            _ => return None,
        })
    }

    /// The version scheme `atalaia-version` compares this ecosystem's versions with.
    pub fn version_scheme(self) -> &'static str {
        match self {
            Ecosystem::Apk => "apk",
            Ecosystem::Deb => "dpkg",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Pacman => "rpm",
            Ecosystem::PyPI | Ecosystem::Conda => "pep440",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Go => "go",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems | Ecosystem::CocoaPods => "rubygems",
            Ecosystem::Packagist => "composer",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::SwiftURL => "swift",
            Ecosystem::ConanCenter => "conan",
            Ecosystem::Julia | Ecosystem::Terraform => "semver",
        }
    }

    /// Whether packages of this ecosystem are managed by the operating system.
    pub fn is_os(self) -> bool {
        matches!(
            self,
            Ecosystem::Apk | Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Pacman
        )
    }
}

/// How a package relates to the project that declares it (Trivy's `Relationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Relationship {
    Root,
    Workspace,
    Direct,
    Indirect,
    #[default]
    Unknown,
}

/// The layer that introduced a package or file (Trivy's `Layer`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct PackageLayer {
    /// The digest of the layer blob as stored (compressed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    /// The digest of the uncompressed layer tar.
    #[serde(default, rename = "DiffID", skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<Digest>,
    /// The history entry that made the layer (`created_by`), when the image records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

impl PackageLayer {
    /// Whether nothing is known about the layer (filesystem scans).
    pub fn is_empty(&self) -> bool {
        self.digest.is_none() && self.diff_id.is_none() && self.created_by.is_none()
    }
}

/// Lines of a lockfile that declare a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Location {
    /// First line, 1-based.
    pub start_line: u32,
    /// Last line, inclusive.
    pub end_line: u32,
}

/// One package found in an artifact.
///
/// For OS packages `version` and `release` are split the way Trivy splits them (dpkg: upstream
/// and revision; apk: the whole version in `version`); [`Package::full_version`] joins them back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// The ecosystem, which decides purl type and version scheme.
    pub ecosystem: Ecosystem,
    /// A stable ID inside the report (`name@version`, Trivy's `ID`).
    pub id: String,
    /// The name as the source writes it.
    pub name: String,
    /// The version (for dpkg and rpm: without epoch and release).
    pub version: String,
    /// The release (dpkg revision, rpm release); empty when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release: String,
    /// The epoch; 0 when there is none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub epoch: u32,
    /// The architecture (`amd64`, `x86_64`, `noarch`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub arch: String,
    /// The source package (dpkg `Source:`, apk origin, rpm source rpm); empty for language packages.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub src_name: String,
    /// The source package's version, split like `version`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub src_version: String,
    /// The source package's release.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub src_release: String,
    /// The source package's epoch.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub src_epoch: u32,
    /// Licenses as declared (SPDX expressions where the source uses them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// The maintainer, when the package database records one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub maintainer: String,
    /// The package URL.
    pub purl: Purl,
    /// Whether the package is only needed for development.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dev: bool,
    /// How the package relates to its project.
    #[serde(default)]
    pub relationship: Relationship,
    /// IDs of the packages this one depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// The layer that introduced the package (empty outside images).
    #[serde(default, skip_serializing_if = "PackageLayer::is_empty")]
    pub layer: PackageLayer,
    /// The file the package was found in, when it is not the application's own file
    /// (a jar inside a fat jar, a `METADATA` file), with a leading `/` inside images.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file_path: String,
    /// Lines in a lockfile that declare the package.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Files the package installed (OS packages), with a leading `/` as Trivy writes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub installed_files: Vec<String>,
    /// A content digest of the package's file where that identifies it (a jar's SHA-1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
    /// For a language package whose file an OS package installed (a Debian-packaged Go tool):
    /// that OS package's ID (`fzf@0.38.0-1+b1`). Empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owned_by: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Package {
    /// A package with the fields every package has; the rest empty.
    pub fn new(
        ecosystem: Ecosystem,
        name: impl Into<String>,
        version: impl Into<String>,
        purl: Purl,
    ) -> Self {
        let name = name.into();
        let version = version.into();
        Package {
            ecosystem,
            id: format!("{name}@{version}"),
            name,
            version,
            release: String::new(),
            epoch: 0,
            arch: String::new(),
            src_name: String::new(),
            src_version: String::new(),
            src_release: String::new(),
            src_epoch: 0,
            licenses: Vec::new(),
            maintainer: String::new(),
            purl,
            dev: false,
            relationship: Relationship::Unknown,
            depends_on: Vec::new(),
            layer: PackageLayer::default(),
            file_path: String::new(),
            locations: Vec::new(),
            installed_files: Vec::new(),
            digest: String::new(),
            owned_by: String::new(),
        }
    }

    /// The version as the package manager writes it: `epoch:version-release`.
    pub fn full_version(&self) -> String {
        join_version(self.epoch, &self.version, &self.release)
    }

    /// The source package's version as the package manager writes it.
    pub fn full_src_version(&self) -> String {
        join_version(self.src_epoch, &self.src_version, &self.src_release)
    }
}

/// Joins epoch, version and release the way dpkg and rpm write them.
pub(crate) fn join_version(epoch: u32, version: &str, release: &str) -> String {
    let mut s = String::new();
    if epoch != 0 {
        s.push_str(&epoch.to_string());
        s.push(':');
    }
    s.push_str(version);
    if !release.is_empty() {
        s.push('-');
        s.push_str(release);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_types_round_trip() {
        for e in [
            Ecosystem::Apk,
            Ecosystem::Deb,
            Ecosystem::PyPI,
            Ecosystem::CratesIo,
            Ecosystem::Go,
            Ecosystem::Maven,
        ] {
            assert_eq!(Ecosystem::from_purl_type(e.purl_type()), Some(e));
        }
    }

    #[test]
    fn full_version_joins_parts() {
        assert_eq!(join_version(1, "2.36", "9+deb12u7"), "1:2.36-9+deb12u7");
        assert_eq!(join_version(0, "3.6.5-r0", ""), "3.6.5-r0");
    }
}
