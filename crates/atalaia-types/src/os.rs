//! The operating system found in an image or root filesystem.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An OS family, named as Trivy names it in `Metadata.OS.Family` and `Result.Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // each variant is the distribution it names
pub enum OsFamily {
    Alpine,
    Debian,
    Ubuntu,
    Redhat,
    Centos,
    Rocky,
    Alma,
    Oracle,
    Amazon,
    Fedora,
    #[serde(rename = "opensuse-leap")]
    OpenSuseLeap,
    #[serde(rename = "opensuse-tumbleweed")]
    OpenSuseTumbleweed,
    #[serde(rename = "opensuse")]
    OpenSuse,
    Sles,
    #[serde(rename = "sle-micro")]
    SleMicro,
    Photon,
    Azurelinux,
    #[serde(rename = "cbl-mariner")]
    CblMariner,
    Wolfi,
    Chainguard,
    Bottlerocket,
    Arch,
}

impl OsFamily {
    /// Every family, for tests and documentation.
    pub const ALL: &'static [OsFamily] = &[
        OsFamily::Alpine,
        OsFamily::Debian,
        OsFamily::Ubuntu,
        OsFamily::Redhat,
        OsFamily::Centos,
        OsFamily::Rocky,
        OsFamily::Alma,
        OsFamily::Oracle,
        OsFamily::Amazon,
        OsFamily::Fedora,
        OsFamily::OpenSuseLeap,
        OsFamily::OpenSuseTumbleweed,
        OsFamily::OpenSuse,
        OsFamily::Sles,
        OsFamily::SleMicro,
        OsFamily::Photon,
        OsFamily::Azurelinux,
        OsFamily::CblMariner,
        OsFamily::Wolfi,
        OsFamily::Chainguard,
        OsFamily::Bottlerocket,
        OsFamily::Arch,
    ];

    /// The name used in reports and purl `distro` qualifiers (`debian`, `opensuse-leap`).
    pub fn as_str(self) -> &'static str {
        match self {
            OsFamily::Alpine => "alpine",
            OsFamily::Debian => "debian",
            OsFamily::Ubuntu => "ubuntu",
            OsFamily::Redhat => "redhat",
            OsFamily::Centos => "centos",
            OsFamily::Rocky => "rocky",
            OsFamily::Alma => "alma",
            OsFamily::Oracle => "oracle",
            OsFamily::Amazon => "amazon",
            OsFamily::Fedora => "fedora",
            OsFamily::OpenSuseLeap => "opensuse-leap",
            OsFamily::OpenSuseTumbleweed => "opensuse-tumbleweed",
            OsFamily::OpenSuse => "opensuse",
            OsFamily::Sles => "sles",
            OsFamily::SleMicro => "sle-micro",
            OsFamily::Photon => "photon",
            OsFamily::Azurelinux => "azurelinux",
            OsFamily::CblMariner => "cbl-mariner",
            OsFamily::Wolfi => "wolfi",
            OsFamily::Chainguard => "chainguard",
            OsFamily::Bottlerocket => "bottlerocket",
            OsFamily::Arch => "arch",
        }
    }

    /// Parses a family name as written by [`OsFamily::as_str`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.as_str() == name)
    }
}

impl fmt::Display for OsFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The detected operating system: Trivy's `Metadata.OS`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsRelease {
    /// The distribution family.
    pub family: OsFamily,
    /// The release as the distribution writes it (`3.20.3`, `12.8`, `22.04`, `9.3`).
    pub version: String,
    /// `PRETTY_NAME` from os-release, when there is one (`Distroless`, `Debian GNU/Linux 12 (bookworm)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// The file the release was read from, inside the image (`/etc/os-release`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whether the distribution release is past its end of service life, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eosl: Option<bool>,
}

impl OsRelease {
    /// The release a vulnerability feed is keyed by: `3.20` for Alpine `3.20.3`, `12` for Debian
    /// `12.8`, the whole version otherwise.
    pub fn feed_release(&self) -> String {
        let mut parts = self.version.split('.');
        match self.family {
            OsFamily::Alpine => match (parts.next(), parts.next()) {
                (Some(a), Some(b)) => format!("{a}.{b}"),
                _ => self.version.clone(),
            },
            OsFamily::Debian
            | OsFamily::Redhat
            | OsFamily::Centos
            | OsFamily::Rocky
            | OsFamily::Alma
            | OsFamily::Oracle => parts.next().unwrap_or_default().to_owned(),
            _ => self.version.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in OsFamily::ALL {
            assert_eq!(OsFamily::from_name(f.as_str()), Some(*f));
            let json = serde_json::to_string(f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
        }
    }

    #[test]
    fn feed_release() {
        let os = |family, v: &str| OsRelease {
            family,
            version: v.into(),
            pretty_name: None,
            source: None,
            eosl: None,
        };
        assert_eq!(os(OsFamily::Alpine, "3.20.3").feed_release(), "3.20");
        assert_eq!(os(OsFamily::Debian, "12.8").feed_release(), "12");
        assert_eq!(os(OsFamily::Ubuntu, "22.04").feed_release(), "22.04");
    }
}
