//! dpkg: `var/lib/dpkg/status`, distroless `var/lib/dpkg/status.d/*`, and the installed-file
//! lists `var/lib/dpkg/info/*.list` / `*.md5sums`.
//!
//! Versions are split as Trivy splits them (epoch, upstream version, Debian revision); the source
//! package comes from `Source: NAME (VERSION)`, defaulting to the binary package's name and
//! version as dpkg itself does.

use atalaia_types::{Ecosystem, Package, Purl};

use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

const STATUS: &str = "var/lib/dpkg/status";
const STATUS_D: &str = "var/lib/dpkg/status.d/";
const INFO: &str = "var/lib/dpkg/info/";

/// The dpkg database analyzer.
#[derive(Debug, Clone, Copy, Default)]
pub struct DpkgAnalyzer;

impl Analyzer for DpkgAnalyzer {
    fn name(&self) -> &'static str {
        "dpkg"
    }

    fn version(&self) -> u32 {
        1
    }

    fn modes(&self) -> &'static [ScanMode] {
        ScanMode::ALL
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        if path == STATUS {
            return true;
        }
        if let Some(name) = path.strip_prefix(STATUS_D) {
            return !name.is_empty() && !name.contains('/');
        }
        if let Some(name) = path.strip_prefix(INFO) {
            return !name.contains('/') && (name.ends_with(".list") || name.ends_with(".md5sums"));
        }
        false
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let path = input.path;
        let file_name = path.rsplit('/').next().unwrap_or(path);
        if path.starts_with(INFO) || (path.starts_with(STATUS_D) && file_name.ends_with(".md5sums"))
        {
            let (package, files) = if let Some(p) = file_name.strip_suffix(".list") {
                (p, parse_list(path, input.bytes)?)
            } else {
                let p = file_name.strip_suffix(".md5sums").unwrap_or(file_name);
                (p, parse_md5sums(path, input.bytes)?)
            };
            return Ok(vec![Finding::InstalledFiles {
                package: package.to_owned(),
                files,
            }]);
        }
        // `status` has a Status field per package; distroless `status.d` files have none.
        let (packages, warnings) = parse_status(path, input.bytes)?;
        let mut out = vec![Finding::OsPackages(packages)];
        out.extend(
            warnings
                .into_iter()
                .map(|message| Finding::Warning { message }),
        );
        Ok(out)
    }
}

/// A dpkg version split like Trivy (go-deb-version): `epoch:upstream-revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DebVersion {
    pub(crate) epoch: u32,
    pub(crate) upstream: String,
    pub(crate) revision: String,
}

/// Splits and checks a dpkg version string; `None` when it is not one.
pub(crate) fn split_version(v: &str) -> Option<DebVersion> {
    let v = v.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, rest)) => (e.parse::<u32>().ok()?, rest),
        None => (0, v),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => (u, r),
        None => (rest, ""),
    };
    let up_ok = upstream.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~-:".contains(&b));
    let rev_ok = revision
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".+~".contains(&b))
        && !(rest.ends_with('-'));
    (up_ok && rev_ok).then(|| DebVersion {
        epoch,
        upstream: upstream.to_owned(),
        revision: revision.to_owned(),
    })
}

/// One control paragraph: fields in order, continuation lines folded into their field.
fn paragraphs<'a>(path: &str, text: &'a str) -> Result<Vec<Vec<(&'a str, String)>>, AnalyzeError> {
    let mut out = Vec::new();
    let mut cur: Vec<(&'a str, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            match cur.last_mut() {
                Some((_, v)) => {
                    v.push('\n');
                    v.push_str(line.trim());
                }
                None => {
                    return Err(AnalyzeError::parse(
                        path,
                        format!("line {}: continuation line without a field", n + 1),
                    ))
                }
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(AnalyzeError::parse(
                path,
                format!("line {}: expected `Field: value`", n + 1),
            ));
        };
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(AnalyzeError::parse(
                path,
                format!("line {}: bad field name `{key}`", n + 1),
            ));
        }
        cur.push((key, value.trim().to_owned()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn field<'p>(p: &'p [(&str, String)], key: &str) -> Option<&'p str> {
    p.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Whether a `Status:` value says the package is installed and wanted (`install ok installed`,
/// or `hold ok installed`); an absent field (distroless `status.d`) counts as installed.
fn is_installed(status: Option<&str>) -> bool {
    let Some(status) = status else { return true };
    let words: Vec<&str> = status.split_whitespace().collect();
    matches!(words.as_slice(), [want, "ok", "installed"] if matches!(*want, "install" | "hold"))
}

/// Parses a status file (or a `status.d` entry). Packages whose version does not parse are
/// skipped and named in the returned warnings.
pub(crate) fn parse_status(
    path: &str,
    bytes: &[u8],
) -> Result<(Vec<Package>, Vec<String>), AnalyzeError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| AnalyzeError::parse(path, format!("not UTF-8 ({e})")))?;
    let mut packages = Vec::new();
    let mut warnings = Vec::new();
    for para in paragraphs(path, text)? {
        if !is_installed(field(&para, "Status")) {
            continue;
        }
        let Some(name) = field(&para, "Package").filter(|n| !n.is_empty()) else {
            warnings.push("a package entry has no `Package` field; skipped".to_owned());
            continue;
        };
        let Some(full) = field(&para, "Version") else {
            warnings.push(format!("package `{name}` has no `Version` field; skipped"));
            continue;
        };
        let Some(v) = split_version(full) else {
            warnings.push(format!(
                "package `{name}` has an invalid version `{full}`; skipped"
            ));
            continue;
        };
        let (src_name, src_full) = match field(&para, "Source") {
            Some(src) if !src.is_empty() => match src.split_once('(') {
                Some((n, ver)) => (n.trim(), ver.trim_end().trim_end_matches(')').trim()),
                None => (src, full),
            },
            _ => (name, full),
        };
        let src_v = split_version(src_full).unwrap_or_else(|| {
            warnings.push(format!(
                "package `{name}` has an invalid source version `{src_full}`; using its own"
            ));
            v.clone()
        });
        let arch = field(&para, "Architecture").unwrap_or_default();
        let mut pkg = Package::new(
            Ecosystem::Deb,
            name,
            v.upstream.clone(),
            deb_purl(name, &v, arch),
        );
        pkg.id = format!("{name}@{}", full.trim());
        pkg.release = v.revision;
        pkg.epoch = v.epoch;
        pkg.arch = arch.to_owned();
        pkg.src_name = src_name.to_owned();
        pkg.src_version = src_v.upstream;
        pkg.src_release = src_v.revision;
        pkg.src_epoch = src_v.epoch;
        pkg.maintainer = field(&para, "Maintainer").unwrap_or_default().to_owned();
        // Names for now; the merge resolves them to the IDs of installed packages.
        pkg.depends_on = field(&para, "Depends")
            .map(parse_depends)
            .unwrap_or_default();
        packages.push(pkg);
    }
    packages.sort_by(|a, b| {
        (&a.name, &a.arch, a.full_version()).cmp(&(&b.name, &b.arch, b.full_version()))
    });
    Ok((packages, warnings))
}

/// `Depends:` as package names, every alternative kept (as Trivy does): `passwd, debconf (>= 0.5)
/// | debconf-2.0, python3:any` gives `passwd`, `debconf`, `debconf-2.0`, `python3`.
fn parse_depends(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for alt in s.split([',', '|']) {
        let name = alt.split(['(', '[', '<']).next().unwrap_or_default().trim();
        let name = name.split(':').next().unwrap_or_default();
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
    }
    out
}

/// The purl without the OS qualifiers (added once the OS is known).
fn deb_purl(name: &str, v: &DebVersion, arch: &str) -> Purl {
    let version = if v.revision.is_empty() {
        v.upstream.clone()
    } else {
        format!("{}-{}", v.upstream, v.revision)
    };
    let mut p = Purl::new("deb", "debian", name, &version).with_qualifier("arch", arch);
    if v.epoch != 0 {
        p = p.with_qualifier("epoch", &v.epoch.to_string());
    }
    p
}

/// `info/NAME.list`: one path per line, directories included; keeps files only (a line is a
/// directory when the next line is under it), as Trivy does.
fn parse_list(path: &str, bytes: &[u8]) -> Result<Vec<String>, AnalyzeError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| AnalyzeError::parse(path, format!("not UTF-8 ({e})")))?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && *l != "/.")
        .collect();
    let mut files = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with('/') {
            return Err(AnalyzeError::parse(
                path,
                format!("line {}: `{line}` is not an absolute path", i + 1),
            ));
        }
        let is_dir = lines.get(i + 1).is_some_and(|next| {
            next.len() > line.len() && next.starts_with(line) && next.as_bytes()[line.len()] == b'/'
        });
        if !is_dir {
            files.push((*line).to_owned());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// `NAME.md5sums`: `HASH  path` per line (paths without the leading `/`).
fn parse_md5sums(path: &str, bytes: &[u8]) -> Result<Vec<String>, AnalyzeError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| AnalyzeError::parse(path, format!("not UTF-8 ({e})")))?;
    let mut files = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((hash, file)) = line.split_once(char::is_whitespace) else {
            return Err(AnalyzeError::parse(
                path,
                format!("line {}: expected `HASH  PATH`", i + 1),
            ));
        };
        if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AnalyzeError::parse(
                path,
                format!("line {}: `{hash}` is not an MD5 sum", i + 1),
            ));
        }
        let file = file.trim_start();
        files.push(format!("/{}", file.trim_start_matches('/')));
    }
    files.sort();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS_TEXT: &str = "\
Package: bsdutils
Essential: yes
Status: install ok installed
Priority: required
Section: utils
Installed-Size: 339
Maintainer: util-linux packagers <util-linux@packages.debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: util-linux (2.38.1-5+deb12u3)
Version: 1:2.38.1-5+deb12u3
Description: basic utilities from 4.4BSD-Lite
 This package contains the bare minimum of BSD utilities.
 .
 More lines.

Package: diffutils
Status: install ok installed
Architecture: amd64
Version: 1:3.8-4

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u14

Package: removed-thing
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: half
Status: install ok half-installed
Architecture: amd64
Version: 1.0-1

Package: apt
Status: install ok installed
Architecture: amd64
Version: 2.6.1
Depends: libapt-pkg6.0 (>= 2.6.1), debian-archive-keyring, gpgv | gpgv2, libc6:any (>= 2.34)
";

    fn analyze(path: &str, bytes: &[u8]) -> Result<Vec<Finding>, AnalyzeError> {
        DpkgAnalyzer.analyze(&FileInput {
            path,
            bytes,
            mode: 0o644,
        })
    }

    #[test]
    fn wants_the_database_files_only() {
        let a = DpkgAnalyzer;
        for p in [
            "var/lib/dpkg/status",
            "var/lib/dpkg/status.d/tzdata",
            "var/lib/dpkg/status.d/tzdata.md5sums",
            "var/lib/dpkg/info/libc6:amd64.list",
            "var/lib/dpkg/info/bash.md5sums",
        ] {
            assert!(a.wants(p, 1, 0o644), "{p}");
        }
        for p in [
            "var/lib/dpkg/status-old",
            "var/lib/dpkg/info/bash.postinst",
            "var/lib/dpkg/status.d/",
            "var/lib/dpkg/status.d/x/y",
            "etc/dpkg/status",
        ] {
            assert!(!a.wants(p, 1, 0o644), "{p}");
        }
    }

    #[test]
    fn parses_status_like_trivy() {
        let (pkgs, warnings) = parse_status("var/lib/dpkg/status", STATUS_TEXT.as_bytes()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = pkgs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["apt", "bsdutils", "diffutils", "libc6"],
            "not-installed states are left out"
        );
        let bsd = &pkgs[1];
        assert_eq!(
            (bsd.epoch, bsd.version.as_str(), bsd.release.as_str()),
            (1, "2.38.1", "5+deb12u3")
        );
        assert_eq!(bsd.id, "bsdutils@1:2.38.1-5+deb12u3");
        assert_eq!(
            (
                bsd.src_name.as_str(),
                bsd.src_epoch,
                bsd.src_version.as_str(),
                bsd.src_release.as_str()
            ),
            ("util-linux", 0, "2.38.1", "5+deb12u3")
        );
        assert_eq!(
            bsd.purl.to_string(),
            "pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?arch=amd64&epoch=1"
        );
        assert_eq!(
            bsd.maintainer,
            "util-linux packagers <util-linux@packages.debian.org>"
        );
        assert_eq!(
            pkgs[0].depends_on,
            [
                "libapt-pkg6.0",
                "debian-archive-keyring",
                "gpgv",
                "gpgv2",
                "libc6"
            ]
        );
        let diff = &pkgs[2];
        assert_eq!(
            (
                diff.src_name.as_str(),
                diff.src_epoch,
                diff.src_version.as_str(),
                diff.src_release.as_str()
            ),
            ("diffutils", 1, "3.8", "4"),
            "source version defaults to the binary's"
        );
        let libc = &pkgs[3];
        assert_eq!(
            (libc.src_name.as_str(), libc.full_src_version()),
            ("glibc", "2.36-9+deb12u14".to_owned())
        );
        let apt = &pkgs[0];
        assert_eq!(
            (apt.version.as_str(), apt.release.as_str(), apt.id.as_str()),
            ("2.6.1", "", "apt@2.6.1")
        );
    }

    #[test]
    fn distroless_status_d_entry_has_no_status_field() {
        let text = b"Package: tzdata\nVersion: 2026b-0+deb12u1\nArchitecture: all\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nMulti-Arch: foreign\n";
        let f = analyze("var/lib/dpkg/status.d/tzdata", text).unwrap();
        let Finding::OsPackages(p) = &f[0] else {
            panic!("{f:?}")
        };
        assert_eq!(
            (p[0].name.as_str(), p[0].full_version(), p[0].arch.as_str()),
            ("tzdata", "2026b-0+deb12u1".to_owned(), "all")
        );
    }

    #[test]
    fn installed_file_lists() {
        let list = b"/.\n/usr\n/usr/bin\n/usr/bin/diff\n/usr/bin/cmp\n/usr/share/doc/diffutils\n/usr/share/doc/diffutils/copyright\n";
        let f = analyze("var/lib/dpkg/info/diffutils.list", list).unwrap();
        assert_eq!(
            f,
            vec![Finding::InstalledFiles {
                package: "diffutils".into(),
                files: vec![
                    "/usr/bin/cmp".into(),
                    "/usr/bin/diff".into(),
                    "/usr/share/doc/diffutils/copyright".into()
                ]
            }]
        );
        let md5 = b"0123456789abcdef0123456789abcdef  usr/share/zoneinfo/UTC\n";
        let f = analyze("var/lib/dpkg/status.d/tzdata.md5sums", md5).unwrap();
        assert_eq!(
            f,
            vec![Finding::InstalledFiles {
                package: "tzdata".into(),
                files: vec!["/usr/share/zoneinfo/UTC".into()]
            }]
        );
    }

    #[test]
    fn versions_split_and_rejected() {
        assert_eq!(
            split_version("1:2.38.1-5+deb12u3"),
            Some(DebVersion {
                epoch: 1,
                upstream: "2.38.1".into(),
                revision: "5+deb12u3".into()
            })
        );
        assert_eq!(
            split_version("3.0.20-1~deb12u2").unwrap().revision,
            "1~deb12u2"
        );
        assert_eq!(
            split_version("2.1.28+dfsg-10").unwrap().upstream,
            "2.1.28+dfsg"
        );
        assert_eq!(split_version("1.2-3-4").unwrap().upstream, "1.2-3");
        for bad in ["", "x:1.0", "abc", "1.0-", "1.0-r$", "1:", "-1"] {
            assert_eq!(split_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        assert!(analyze("var/lib/dpkg/status", b"\xff\xfe\x00garbage").is_err());
        assert!(analyze(
            "var/lib/dpkg/status",
            b"Package: a\nthis line has no colon\n"
        )
        .is_err());
        assert!(analyze("var/lib/dpkg/status", b" leading continuation\n").is_err());
        assert!(analyze("var/lib/dpkg/info/x.md5sums", b"nothex  usr/bin/x\n").is_err());
        assert!(analyze("var/lib/dpkg/info/x.list", b"relative/path\n").is_err());
        // A bad version skips one package with a warning; the others stay.
        let f = analyze("var/lib/dpkg/status", b"Package: a\nStatus: install ok installed\nVersion: !!\n\nPackage: b\nStatus: install ok installed\nVersion: 1.0\n").unwrap();
        assert!(matches!(&f[0], Finding::OsPackages(p) if p.len() == 1 && p[0].name == "b"));
        assert!(matches!(&f[1], Finding::Warning { message } if message.contains("`a`")));
    }
}
