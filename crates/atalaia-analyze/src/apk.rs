//! apk: the installed database `lib/apk/db/installed` (or `usr/lib/apk/db/installed`).
//!
//! One package per blank-line-separated record of `X:value` lines: `P` name, `V` version, `A`
//! arch, `o` origin (the source package), `L` license, `m` maintainer, `F`/`R` the installed
//! files (directory, then the files in it).

use atalaia_types::{Ecosystem, Package, Purl};

use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

/// The apk database analyzer.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApkAnalyzer;

impl Analyzer for ApkAnalyzer {
    fn name(&self) -> &'static str {
        "apk"
    }

    fn version(&self) -> u32 {
        1
    }

    fn modes(&self) -> &'static [ScanMode] {
        ScanMode::ALL
    }

    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        matches!(path, "lib/apk/db/installed" | "usr/lib/apk/db/installed")
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let (packages, warnings) = parse_installed(input.path, input.bytes)?;
        let mut out = vec![Finding::OsPackages(packages)];
        out.extend(
            warnings
                .into_iter()
                .map(|message| Finding::Warning { message }),
        );
        Ok(out)
    }
}

#[derive(Default)]
struct Record {
    name: String,
    version: String,
    arch: String,
    origin: String,
    license: String,
    maintainer: String,
    files: Vec<String>,
    dir: String,
    depends: Vec<String>,
    provides: Vec<String>,
}

impl Record {
    fn finish(self, packages: &mut Vec<(Package, Vec<String>)>, warnings: &mut Vec<String>) {
        if self.name.is_empty() && self.version.is_empty() {
            return;
        }
        if self.name.is_empty() || self.version.is_empty() {
            let which = if self.name.is_empty() {
                "`P:` (name)"
            } else {
                "`V:` (version)"
            };
            let who = if self.name.is_empty() {
                String::new()
            } else {
                format!(" `{}`", self.name)
            };
            warnings.push(format!("package{who} has no {which}; skipped"));
            return;
        }
        let purl = Purl::new("apk", "alpine", &self.name, &self.version)
            .with_qualifier("arch", &self.arch);
        let mut p = Package::new(Ecosystem::Apk, self.name, self.version, purl);
        p.arch = self.arch;
        p.src_name = if self.origin.is_empty() {
            p.name.clone()
        } else {
            self.origin
        };
        p.src_version.clone_from(&p.version);
        p.licenses = split_licenses(&self.license);
        p.depends_on = self.depends;
        p.maintainer = self.maintainer;
        let mut files = self.files;
        files.sort();
        files.dedup();
        p.installed_files = files;
        packages.push((p, self.provides));
    }
}

/// An apk dependency or provide without its version constraint (`so:libc.musl-x86_64.so.1=1`,
/// `musl>=1.2`).
fn trim_requirement(s: &str) -> &str {
    s.find(['<', '>', '=', '~']).map_or(s, |i| &s[..i])
}

/// `L:` split into licenses as Trivy splits it: `AND`/`OR` dropped, a detached `1.0`/`2.0`/`3.0`
/// joined to the name before it (`MPL 2.0` is `MPL2.0`).
fn split_licenses(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in line.split_whitespace() {
        let word = word.trim_matches(|c| c == '(' || c == ')');
        match word {
            "" | "AND" | "OR" => {}
            "1.0" | "2.0" | "3.0" if !out.is_empty() => {
                if let Some(last) = out.last_mut() {
                    last.push_str(word);
                }
            }
            _ => out.push(word.to_owned()),
        }
    }
    out
}

/// Parses an apk installed database. Records without a name or version are skipped and named in
/// the returned warnings.
pub(crate) fn parse_installed(
    path: &str,
    bytes: &[u8],
) -> Result<(Vec<Package>, Vec<String>), AnalyzeError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| AnalyzeError::parse(path, format!("not UTF-8 ({e})")))?;
    let mut records: Vec<(Package, Vec<String>)> = Vec::new();
    let mut warnings = Vec::new();
    let mut rec = Record::default();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() {
            std::mem::take(&mut rec).finish(&mut records, &mut warnings);
            continue;
        }
        let b = line.as_bytes();
        if b.len() < 2 || b[1] != b':' || !b[0].is_ascii_alphanumeric() {
            return Err(AnalyzeError::parse(
                path,
                format!("line {}: expected `X:value`", n + 1),
            ));
        }
        let value = &line[2..];
        match b[0] {
            b'P' => rec.name = value.to_owned(),
            b'V' => rec.version = value.to_owned(),
            b'A' => rec.arch = value.to_owned(),
            b'o' => rec.origin = value.to_owned(),
            b'L' => rec.license = value.to_owned(),
            b'm' => rec.maintainer = value.to_owned(),
            b'F' => rec.dir = value.trim_matches('/').to_owned(),
            b'D' => rec.depends.extend(
                value
                    .split_whitespace()
                    .filter(|d| !d.starts_with('!'))
                    .map(|d| trim_requirement(d).to_owned()),
            ),
            b'p' => rec.provides.extend(
                value
                    .split_whitespace()
                    .map(|d| trim_requirement(d).to_owned()),
            ),
            b'R' => {
                let file = if rec.dir.is_empty() {
                    format!("/{value}")
                } else {
                    format!("/{}/{value}", rec.dir)
                };
                rec.files.push(file);
            }
            _ => {}
        }
    }
    rec.finish(&mut records, &mut warnings);
    // One record per name (the first), as apk itself and Trivy keep them.
    let mut seen = std::collections::HashSet::new();
    records.retain(|(p, _)| seen.insert(p.name.clone()));
    // Dependencies name packages or what they provide; resolve both to package IDs.
    let mut provider: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (p, provides) in &records {
        for name in provides.iter().map(String::as_str).chain([p.name.as_str()]) {
            provider.insert(name, p.id.as_str());
        }
    }
    let resolved: Vec<Vec<String>> = records
        .iter()
        .map(|(p, _)| {
            let mut ids: Vec<String> = p
                .depends_on
                .iter()
                .filter_map(|d| provider.get(d.as_str()))
                .map(|id| (*id).to_owned())
                .collect();
            ids.sort();
            ids.dedup();
            ids
        })
        .collect();
    let mut packages: Vec<Package> = records
        .into_iter()
        .zip(resolved)
        .map(|((mut p, _), ids)| {
            p.depends_on = ids;
            p
        })
        .collect();
    packages.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    Ok((packages, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: &str = "\
C:Q1Hf9KS8r5AzBP0pFZnB3H8c6YQ4M=
P:musl
V:1.2.5-r0
A:x86_64
S:411323
I:647168
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
p:so:libc.musl-x86_64.so.1=1
t:1712059036
c:1c8d5d2a86b4ed0e7a3a5b8e2b3a8f1c4d8a3e2f
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1fF5fqBF9ZxE4Z4WFEDJ1HwbIFCs=
R:libc.musl-x86_64.so.1

P:ssl_client
V:1.36.1-r29
A:x86_64
L:GPL-2.0-only
o:busybox
D:so:libc.musl-x86_64.so.1 !uclibc-utils zlib>=1.3 missing-thing
F:usr
F:usr/bin
R:ssl_client

P:zlib
V:1.3.1-r1
A:x86_64
L:Zlib

";

    #[test]
    fn parses_records() {
        let (pkgs, warnings) = parse_installed("lib/apk/db/installed", DB.as_bytes()).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(pkgs.len(), 3);
        let musl = &pkgs[0];
        assert_eq!(
            (
                musl.name.as_str(),
                musl.version.as_str(),
                musl.arch.as_str()
            ),
            ("musl", "1.2.5-r0", "x86_64")
        );
        assert_eq!(
            (musl.src_name.as_str(), musl.src_version.as_str()),
            ("musl", "1.2.5-r0")
        );
        assert_eq!(musl.id, "musl@1.2.5-r0");
        assert_eq!(musl.licenses, ["MIT"]);
        assert_eq!(
            musl.installed_files,
            ["/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"]
        );
        assert_eq!(
            musl.purl.to_string(),
            "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64"
        );
        assert_eq!(pkgs[1].src_name, "busybox");
        assert_eq!(pkgs[1].installed_files, ["/usr/bin/ssl_client"]);
        assert_eq!(
            pkgs[2].src_name, "zlib",
            "no origin: the package is its own source"
        );
        assert_eq!(
            pkgs[1].depends_on,
            ["musl@1.2.5-r0", "zlib@1.3.1-r1"],
            "provides and names resolve; conflicts and unknowns drop"
        );
        assert!(musl.depends_on.is_empty());
    }

    #[test]
    fn licenses_split_like_trivy() {
        assert_eq!(split_licenses("MIT"), ["MIT"]);
        assert_eq!(
            split_licenses("MIT AND BSD-2-Clause"),
            ["MIT", "BSD-2-Clause"]
        );
        assert_eq!(split_licenses("MPL 2.0 GPL2+"), ["MPL2.0", "GPL2+"]);
        assert_eq!(
            split_licenses("(GPL-2.0-or-later OR MIT)"),
            ["GPL-2.0-or-later", "MIT"]
        );
        assert!(split_licenses("").is_empty());
    }

    #[test]
    fn malformed_input() {
        assert!(parse_installed("lib/apk/db/installed", b"P:x\nnot a field line\n").is_err());
        assert!(parse_installed("lib/apk/db/installed", b"\xff\xff").is_err());
        let (p, w) = parse_installed("lib/apk/db/installed", b"P:x\n\nP:y\nV:1-r0\n").unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(w.len(), 1);
        let (p, w) = parse_installed("lib/apk/db/installed", b"").unwrap();
        assert!(p.is_empty() && w.is_empty());
    }
}
