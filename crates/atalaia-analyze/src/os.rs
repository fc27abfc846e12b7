//! OS detection: `os-release` and the distributions' own release files, each read by one
//! analyzer into a candidate [`OsRelease`]; [`detect`] then picks the release from the files of
//! the final filesystem, with Trivy's precedence (a distribution's own file gives the precise
//! version: `alpine-release` 3.20.3, `debian_version` 12.15; Ubuntu's `lsb-release` beats the
//! `debian_version` Ubuntu also ships; Oracle, Rocky, Alma, CentOS and Fedora beat the
//! `redhat-release` they also ship). An unknown OS is `None`, never a guess.

use atalaia_types::{OsFamily, OsRelease};

use crate::merge::MergedFs;
use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

/// `os-release` locations, most authoritative first.
const OS_RELEASE: &[&str] = &[
    "etc/os-release",
    "usr/lib/os-release",
    "x86_64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release",
    "aarch64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release",
];

/// Distribution release files, in precedence order when they disagree on the family.
const DISTRO_FILES: &[&str] = &[
    "etc/lsb-release",
    "etc/alpine-release",
    "etc/oracle-release",
    "etc/rocky-release",
    "etc/almalinux-release",
    "etc/centos-release",
    "etc/fedora-release",
    "usr/lib/fedora-release",
    "etc/redhat-release",
    "etc/system-release",
    "usr/lib/system-release",
    "etc/debian_version",
];

/// The OS release analyzer.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsReleaseAnalyzer;

impl Analyzer for OsReleaseAnalyzer {
    fn name(&self) -> &'static str {
        "os-release"
    }

    fn version(&self) -> u32 {
        1
    }

    fn modes(&self) -> &'static [ScanMode] {
        ScanMode::ALL
    }

    fn wants(&self, path: &str, size: u64, _mode: u32) -> bool {
        // Release files are a few lines; a huge one is not one.
        size <= 64 << 10 && (OS_RELEASE.contains(&path) || DISTRO_FILES.contains(&path))
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let text = std::str::from_utf8(input.bytes)
            .map_err(|e| AnalyzeError::parse(input.path, format!("not UTF-8 ({e})")))?;
        let source = format!("/{}", input.path);
        let found = if OS_RELEASE.contains(&input.path) {
            parse_os_release(text)
        } else {
            parse_distro_file(input.path, text)
        };
        Ok(found
            .map(|(family, version, pretty_name)| {
                Finding::Os(OsRelease {
                    family,
                    version,
                    pretty_name,
                    source: Some(source),
                    eosl: None,
                })
            })
            .into_iter()
            .collect())
    }
}

/// The family of an os-release `ID`.
fn family_of_id(id: &str) -> Option<OsFamily> {
    Some(match id {
        "alpine" => OsFamily::Alpine,
        "debian" => OsFamily::Debian,
        "ubuntu" => OsFamily::Ubuntu,
        "rhel" => OsFamily::Redhat,
        "centos" => OsFamily::Centos,
        "rocky" => OsFamily::Rocky,
        "almalinux" => OsFamily::Alma,
        "ol" => OsFamily::Oracle,
        "fedora" => OsFamily::Fedora,
        "amzn" => OsFamily::Amazon,
        "opensuse-tumbleweed" => OsFamily::OpenSuseTumbleweed,
        // `opensuse` for Leap 42, `opensuse-leap` for Leap 15, as Trivy maps them.
        "opensuse-leap" | "opensuse" => OsFamily::OpenSuseLeap,
        "sles" => OsFamily::Sles,
        "sle-micro" | "sl-micro" | "sle-micro-rancher" => OsFamily::SleMicro,
        "photon" => OsFamily::Photon,
        "wolfi" => OsFamily::Wolfi,
        "chainguard" => OsFamily::Chainguard,
        "azurelinux" => OsFamily::Azurelinux,
        "mariner" => OsFamily::CblMariner,
        "bottlerocket" => OsFamily::Bottlerocket,
        "arch" => OsFamily::Arch,
        _ => return None,
    })
}

/// One `KEY=value` line's value, unquoted.
fn unquote(v: &str) -> String {
    let v = v.trim();
    let inner = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn key_values(text: &str) -> impl Iterator<Item = (&str, String)> {
    text.lines().filter_map(|l| {
        let l = l.trim();
        if l.starts_with('#') {
            return None;
        }
        let (k, v) = l.split_once('=')?;
        Some((k.trim(), unquote(v)))
    })
}

/// `os-release`: family from `ID`, version from `VERSION_ID` (may be empty: Debian sid, Arch).
fn parse_os_release(text: &str) -> Option<(OsFamily, String, Option<String>)> {
    let (mut id, mut version, mut pretty) = (None, String::new(), None);
    for (k, v) in key_values(text) {
        match k {
            "ID" => id = Some(v),
            "VERSION_ID" => version = v,
            "PRETTY_NAME" => pretty = Some(v).filter(|p| !p.is_empty()),
            _ => {}
        }
    }
    let family = family_of_id(&id?)?;
    Some((family, version, pretty))
}

/// A distribution's own release file.
fn parse_distro_file(path: &str, text: &str) -> Option<(OsFamily, String, Option<String>)> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "alpine-release" => (!first.is_empty()).then(|| (OsFamily::Alpine, first.to_owned(), None)),
        "debian_version" => (!first.is_empty()).then(|| (OsFamily::Debian, first.to_owned(), None)),
        "lsb-release" => {
            let (mut id, mut release) = (String::new(), String::new());
            for (k, v) in key_values(text) {
                match k {
                    "DISTRIB_ID" => id = v,
                    "DISTRIB_RELEASE" => release = v,
                    _ => {}
                }
            }
            (id.eq_ignore_ascii_case("ubuntu") && !release.is_empty()).then_some((
                OsFamily::Ubuntu,
                release,
                None,
            ))
        }
        "system-release" => parse_amazon(text),
        _ => parse_redhat_like(first),
    }
}

/// `NAME release VERSION (CODENAME)`, as Trivy's redhatbase analyzer reads it.
fn parse_redhat_like(line: &str) -> Option<(OsFamily, String, Option<String>)> {
    let i = line.find(" release ")?;
    let name = line[..i].trim().to_ascii_lowercase();
    let rest = &line[i + " release ".len()..];
    let version: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let family = match name.as_str() {
        "centos" | "centos linux" | "centos stream" => OsFamily::Centos,
        "rocky" | "rocky linux" => OsFamily::Rocky,
        "alma" | "almalinux" | "alma linux" => OsFamily::Alma,
        "oracle" | "oracle linux" | "oracle linux server" => OsFamily::Oracle,
        "fedora" | "fedora linux" => OsFamily::Fedora,
        n if n.starts_with("red hat") => OsFamily::Redhat,
        _ => return None,
    };
    Some((family, version, None))
}

/// Amazon's `system-release`, versions written as Trivy writes them (`2 (Karoo)`,
/// `AMI release 2018.03`).
fn parse_amazon(text: &str) -> Option<(OsFamily, String, Option<String>)> {
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Amazon Linux release 2") {
            if fields.len() < 5 {
                continue;
            }
            return Some((
                OsFamily::Amazon,
                format!("{} {}", fields[3], fields[4]),
                None,
            ));
        } else if line.starts_with("Amazon Linux") && fields.len() > 2 {
            return Some((OsFamily::Amazon, fields[2..].join(" "), None));
        }
    }
    None
}

/// Families a distribution file may refine: a specific family beats the generic one whose
/// files it also ships.
fn refines(specific: OsFamily, generic: OsFamily) -> bool {
    matches!(
        (specific, generic),
        (OsFamily::Ubuntu, OsFamily::Debian)
            | (
                OsFamily::Oracle
                    | OsFamily::Rocky
                    | OsFamily::Alma
                    | OsFamily::Centos
                    | OsFamily::Fedora,
                OsFamily::Redhat
            )
    )
}

/// The OS of a merged filesystem: the release file candidates found at the well-known paths
/// (symlinks resolved), combined with [`choose`].
pub(crate) fn detect(fs: &MergedFs<'_>) -> Option<OsRelease> {
    let find = |path: &str| -> Option<OsRelease> {
        let (_, node) = fs.lookup(path)?;
        node.node.findings().iter().find_map(|f| match f {
            Finding::Os(os) => {
                let mut os = os.clone();
                // Reported under the well-known path, not where a symlink led.
                os.source = Some(format!("/{path}"));
                Some(os)
            }
            _ => None,
        })
    };
    let os_release = OS_RELEASE.iter().find_map(|p| find(p));
    let distro: Vec<OsRelease> = DISTRO_FILES.iter().filter_map(|p| find(p)).collect();
    choose(os_release, &distro)
}

/// Combines the os-release candidate with the distribution-file candidates (in
/// [`DISTRO_FILES`] order).
pub(crate) fn choose(os_release: Option<OsRelease>, distro: &[OsRelease]) -> Option<OsRelease> {
    // The family: os-release says what the system is; without one, the first distribution
    // file (precedence order). A distribution file may refine a generic family.
    let mut family = os_release
        .as_ref()
        .map(|o| o.family)
        .or_else(|| distro.first().map(|d| d.family))?;
    if let Some(d) = distro.iter().find(|d| refines(d.family, family)) {
        family = d.family;
    }
    let pretty_name = os_release.as_ref().and_then(|o| o.pretty_name.clone());
    let from_file = distro
        .iter()
        .find(|d| d.family == family && !d.version.is_empty());
    let mut chosen = match (from_file, os_release) {
        (Some(d), _) => d.clone(),
        (None, Some(o)) if o.family == family && !o.version.is_empty() => o,
        _ => return None,
    };
    chosen.pretty_name = pretty_name;
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Option<OsRelease> {
        let f = OsReleaseAnalyzer
            .analyze(&FileInput {
                path,
                bytes: text.as_bytes(),
                mode: 0o644,
            })
            .unwrap();
        f.into_iter().find_map(|f| match f {
            Finding::Os(o) => Some(o),
            _ => None,
        })
    }

    /// (family, version) of what `files` say together.
    fn detect_files(
        files: &[(&str, &str)],
    ) -> Option<(OsFamily, String, Option<String>, Option<String>)> {
        let os_release = files
            .iter()
            .filter(|(p, _)| OS_RELEASE.contains(p))
            .find_map(|(p, t)| run(p, t));
        let distro: Vec<OsRelease> = DISTRO_FILES
            .iter()
            .filter_map(|d| {
                files
                    .iter()
                    .find(|(p, _)| p == d)
                    .and_then(|(p, t)| run(p, t))
            })
            .collect();
        choose(os_release, &distro).map(|o| (o.family, o.version, o.pretty_name, o.source))
    }

    const DEBIAN: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n";
    const DISTROLESS: &str = "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\nVERSION=\"Debian GNU/Linux 12 (bookworm)\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n";
    const ALPINE: &str = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\nHOME_URL=\"https://alpinelinux.org/\"\n";
    const UBUNTU: &str = "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.4 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n";
    const UBUNTU_LSB: &str = "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.4 LTS\"\n";
    const ROCKY: &str = "NAME=\"Rocky Linux\"\nVERSION=\"9.3 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\nPLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"Rocky Linux 9.3 (Blue Onyx)\"\n";

    #[test]
    fn debian_prefers_debian_version() {
        let got = detect_files(&[
            ("etc/os-release", DEBIAN),
            ("etc/debian_version", "12.15\n"),
        ])
        .unwrap();
        assert_eq!(
            got,
            (
                OsFamily::Debian,
                "12.15".into(),
                Some("Debian GNU/Linux 12 (bookworm)".into()),
                Some("/etc/debian_version".into())
            )
        );
        let got = detect_files(&[("etc/os-release", DEBIAN)]).unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Debian, "12"));
        let got = detect_files(&[("etc/debian_version", "trixie/sid\n")]).unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Debian, "trixie/sid"));
    }

    #[test]
    fn distroless() {
        let got = detect_files(&[
            ("etc/os-release", DISTROLESS),
            ("etc/debian_version", "12.15"),
        ])
        .unwrap();
        assert_eq!(
            (got.0, got.1.as_str(), got.2.as_deref()),
            (OsFamily::Debian, "12.15", Some("Distroless"))
        );
        let got = detect_files(&[("usr/lib/os-release", DISTROLESS)]).unwrap();
        assert_eq!(
            (got.0, got.1.as_str(), got.2.as_deref()),
            (OsFamily::Debian, "12", Some("Distroless"))
        );
    }

    #[test]
    fn alpine() {
        let got = detect_files(&[
            ("etc/os-release", ALPINE),
            ("etc/alpine-release", "3.20.3\n"),
        ])
        .unwrap();
        assert_eq!(
            (got.0, got.1.as_str(), got.3.as_deref()),
            (OsFamily::Alpine, "3.20.3", Some("/etc/alpine-release"))
        );
        let edge = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.0_alpha20240923\nPRETTY_NAME=\"Alpine Linux edge\"\n";
        let got = detect_files(&[("etc/os-release", edge)]).unwrap();
        assert_eq!(got.1, "3.21.0_alpha20240923");
    }

    #[test]
    fn ubuntu_beats_its_debian_version() {
        let got = detect_files(&[
            ("etc/os-release", UBUNTU),
            ("etc/lsb-release", UBUNTU_LSB),
            ("etc/debian_version", "bookworm/sid"),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Ubuntu, "22.04"));
        let got = detect_files(&[
            ("etc/lsb-release", UBUNTU_LSB),
            ("etc/debian_version", "bookworm/sid"),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Ubuntu, "22.04"));
    }

    #[test]
    fn redhat_family() {
        let got = detect_files(&[
            ("etc/os-release", ROCKY),
            ("etc/rocky-release", "Rocky Linux release 9.3 (Blue Onyx)\n"),
            (
                "etc/redhat-release",
                "Rocky Linux release 9.3 (Blue Onyx)\n",
            ),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Rocky, "9.3"));
        let got = detect_files(&[
            (
                "etc/centos-release",
                "CentOS Linux release 7.9.2009 (Core)\n",
            ),
            (
                "etc/redhat-release",
                "CentOS Linux release 7.9.2009 (Core)\n",
            ),
            (
                "etc/os-release",
                "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nVERSION_ID=\"7\"\n",
            ),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Centos, "7.9.2009"));
        let got = detect_files(&[
            (
                "etc/redhat-release",
                "Red Hat Enterprise Linux release 9.3 (Plow)\n",
            ),
            (
                "etc/os-release",
                "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"9.3\"\n",
            ),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Redhat, "9.3"));
        // Oracle Linux 7 ships a redhat-release naming RHEL; oracle-release wins.
        let got = detect_files(&[
            (
                "etc/redhat-release",
                "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n",
            ),
            ("etc/oracle-release", "Oracle Linux Server release 7.9\n"),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Oracle, "7.9"));
        let got = detect_files(&[(
            "etc/almalinux-release",
            "AlmaLinux release 9.3 (Shamrock Pearl Jaguar)\n",
        )])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Alma, "9.3"));
        let got =
            detect_files(&[("etc/fedora-release", "Fedora release 39 (Thirty Nine)\n")]).unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Fedora, "39"));
        let got = detect_files(&[("etc/centos-release", "CentOS Stream release 9\n")]).unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Centos, "9"));
    }

    #[test]
    fn amazon() {
        let got = detect_files(&[
            ("etc/system-release", "Amazon Linux release 2 (Karoo)\n"),
            (
                "etc/os-release",
                "NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nVERSION_ID=\"2\"\n",
            ),
        ])
        .unwrap();
        assert_eq!((got.0, got.1.as_str()), (OsFamily::Amazon, "2 (Karoo)"));
        let got =
            detect_files(&[("etc/system-release", "Amazon Linux AMI release 2018.03\n")]).unwrap();
        assert_eq!(got.1, "AMI release 2018.03");
        let got = detect_files(&[(
            "etc/system-release",
            "Amazon Linux release 2023.3.20240131 (Amazon Linux)\n",
        )])
        .unwrap();
        assert_eq!(got.1, "2023.3.20240131 (Amazon");
    }

    #[test]
    fn os_release_only_distributions() {
        let cases: &[(&str, OsFamily, &str)] = &[
            ("NAME=\"SLES\"\nVERSION=\"15-SP5\"\nVERSION_ID=\"15.5\"\nID=\"sles\"\nID_LIKE=\"suse\"\n", OsFamily::Sles, "15.5"),
            ("NAME=\"openSUSE Leap\"\nVERSION=\"15.5\"\nID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\nVERSION_ID=\"15.5\"\n", OsFamily::OpenSuseLeap, "15.5"),
            ("NAME=\"openSUSE Leap\"\nVERSION=\"42.3\"\nID=opensuse\nVERSION_ID=\"42.3\"\n", OsFamily::OpenSuseLeap, "42.3"),
            ("NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\nVERSION_ID=\"20240101\"\n", OsFamily::OpenSuseTumbleweed, "20240101"),
            ("NAME=\"SLE Micro\"\nVERSION=\"5.5\"\nVERSION_ID=\"5.5\"\nID=\"sle-micro\"\n", OsFamily::SleMicro, "5.5"),
            ("NAME=\"VMware Photon OS\"\nVERSION=\"5.0\"\nID=photon\nVERSION_ID=5.0\n", OsFamily::Photon, "5.0"),
            ("NAME=\"Microsoft Azure Linux\"\nVERSION=\"3.0.20240824\"\nID=azurelinux\nVERSION_ID=\"3.0\"\n", OsFamily::Azurelinux, "3.0"),
            ("NAME=\"Common Base Linux Mariner\"\nVERSION=\"2.0.20240609\"\nID=mariner\nVERSION_ID=\"2.0\"\n", OsFamily::CblMariner, "2.0"),
            ("ID=wolfi\nNAME=\"Wolfi\"\nPRETTY_NAME=\"Wolfi\"\nVERSION_ID=\"20230201\"\n", OsFamily::Wolfi, "20230201"),
            ("ID=chainguard\nNAME=\"Chainguard\"\nPRETTY_NAME=\"Chainguard\"\nVERSION_ID=\"20230214\"\n", OsFamily::Chainguard, "20230214"),
            ("NAME=Bottlerocket\nID=bottlerocket\nVERSION=\"1.7.2 (aws-ecs-1)\"\nVERSION_ID=1.7.2\n", OsFamily::Bottlerocket, "1.7.2"),
        ];
        for (text, family, version) in cases {
            let got = detect_files(&[("etc/os-release", text)]).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((got.0, got.1.as_str()), (*family, *version), "{text}");
        }
    }

    #[test]
    fn unknown_or_versionless_is_none() {
        assert_eq!(
            detect_files(&[("etc/os-release", "ID=gentoo\nVERSION_ID=2.15\n")]),
            None
        );
        assert_eq!(
            detect_files(&[(
                "etc/os-release",
                "NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n"
            )]),
            None
        );
        assert_eq!(detect_files(&[("etc/os-release", "VERSION_ID=1\n")]), None);
        assert_eq!(
            detect_files(&[("etc/redhat-release", "Something release x\n")]),
            None
        );
        assert_eq!(detect_files(&[]), None);
    }

    #[test]
    fn malformed_input() {
        assert!(OsReleaseAnalyzer
            .analyze(&FileInput {
                path: "etc/os-release",
                bytes: b"\xff\xfe",
                mode: 0
            })
            .is_err());
        assert_eq!(
            run("etc/os-release", "garbage without equals\n=\n==\nID\n"),
            None
        );
        assert_eq!(run("etc/alpine-release", "\n\n"), None);
        assert_eq!(run("etc/lsb-release", "DISTRIB_ID=Ubuntu\n"), None);
        assert_eq!(run("etc/system-release", "Amazon Linux release 2\n"), None);
        assert_eq!(unquote(r#""a \"quoted\" name""#), "a \"quoted\" name");
    }
}
