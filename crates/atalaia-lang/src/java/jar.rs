//! Java archives: each archive, and recursively each archive inside it (Spring Boot
//! `BOOT-INF/lib/*.jar`, `WEB-INF/lib/*.jar`, any nested `*.jar|war|ear|par`), is identified by,
//! in order:
//!
//! 1. every `META-INF/maven/<g>/<a>/pom.properties` (`groupId:artifactId` and `version`; a
//!    shaded jar has several, each is a package);
//! 2. else `META-INF/MANIFEST.MF`: a `Bundle-SymbolicName` that is `<groupId>.<artifactId>` or
//!    a groupId whose last element starts with the artifactId of the file name gives Maven
//!    coordinates (`com.h2database` + `h2-2.1.214.jar` -> `com.h2database:h2`); else
//!    `Implementation-Title` with `Implementation-Version` (`Commons Collections`);
//! 3. else the file name (`name-1.2.3.jar`);
//! 4. else it is still listed, under its file name and without a version.
//!
//! No external Java database is needed: the package identified as the archive itself carries the
//! archive's SHA-1 in `digest` (`sha1:<hex>`), so it can be looked up later. Nested archives
//! have the path `outer.jar!/BOOT-INF/lib/inner.jar`.

use std::io::{Cursor, Read};

use atalaia_types::{Application, Ecosystem, Package, Purl};
use sha1::{Digest, Sha1};

use super::is_archive_name;
use crate::util::{application, rooted};
use crate::LangError;

const KIND: &str = "jar";
/// Nested archives deeper than this are not opened.
const MAX_DEPTH: usize = 4;
/// The largest nested archive read into memory.
const MAX_ENTRY: u64 = 256 << 20;
/// The most bytes of nested archives decompressed for one top-level archive (zip bombs made of
/// many nested archives stop here, with a warning).
const MAX_NESTED_TOTAL: u64 = 1 << 30;
/// The largest `pom.properties` or `MANIFEST.MF` read.
const MAX_META: u64 = 1 << 20;

/// Parses an archive and the archives nested in it. A nested archive that cannot be read is a
/// warning; the outer archive not being a zip file is an error.
pub(crate) fn parse(
    path: &str,
    bytes: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Application, LangError> {
    let mut packages = Vec::new();
    let mut budget = MAX_NESTED_TOTAL;
    scan(path, bytes, 0, &mut budget, &mut packages, warnings)
        .map_err(|reason| LangError::new(path, KIND, reason))?;
    Ok(application(KIND, path, packages))
}

fn scan(
    display: &str,
    bytes: &[u8],
    depth: usize,
    budget: &mut u64,
    out: &mut Vec<Package>,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a zip archive ({e})"))?;
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let digest = format!("sha1:{}", hex::encode(Sha1::digest(bytes)));
    let file_name = display.rsplit(['/', '!']).next().unwrap_or(display);
    let (file_artifact, file_version) = split_file_name(file_name);

    let mut poms = Vec::new();
    for name in names.iter().filter(|n| is_pom_properties(n)) {
        let text = read_entry(&mut zip, name, MAX_META).map_err(|e| format!("`{name}`: {e}"))?;
        let props = properties(&String::from_utf8_lossy(&text));
        let get = |k: &str| {
            props
                .iter()
                .find(|(pk, _)| pk == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let (g, a, v) = (get("groupId"), get("artifactId"), get("version"));
        if !a.is_empty() && !v.is_empty() {
            poms.push((g, a, v));
        }
    }
    poms.sort();
    poms.dedup();

    let mut found: Vec<Package> = Vec::new();
    if poms.is_empty() {
        let manifest = match names
            .iter()
            .find(|n| n.eq_ignore_ascii_case("META-INF/MANIFEST.MF"))
        {
            Some(n) => manifest(&String::from_utf8_lossy(
                &read_entry(&mut zip, n, MAX_META).map_err(|e| format!("`{n}`: {e}"))?,
            )),
            None => Vec::new(),
        };
        let field = |k: &str| {
            manifest
                .iter()
                .find(|(mk, _)| mk.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let bsn = field("Bundle-SymbolicName")
            .map(|s| s.split(';').next().unwrap_or_default().trim().to_owned());
        let version = field("Implementation-Version")
            .or_else(|| file_version.map(str::to_owned))
            .or_else(|| field("Bundle-Version"))
            .or_else(|| field("Specification-Version"));
        // A symbolic name gives Maven coordinates when it follows one of the two usual
        // conventions: `<groupId>.<artifactId>`, or the groupId alone whose last element starts
        // with the artifactId (`com.h2database` for `h2-2.1.214.jar`).
        let coords = bsn.filter(|b| !b.is_empty()).and_then(|bsn| {
            let artifact = file_artifact?;
            if let Some(group) = bsn.strip_suffix(&format!(".{artifact}")) {
                return Some((group.to_owned(), artifact.to_owned()));
            }
            let last = bsn.rsplit('.').next().unwrap_or(&bsn);
            (bsn.contains('.')
                && last
                    .to_ascii_lowercase()
                    .starts_with(&artifact.to_ascii_lowercase()))
            .then(|| (bsn.clone(), artifact.to_owned()))
        });
        let mut pkg = match (coords, field("Implementation-Title"), version) {
            (Some((group, artifact)), _, Some(v)) => maven(&group, &artifact, &v),
            (_, Some(title), Some(v)) => maven("", &title, &v),
            (_, _, v) => match (file_artifact, v.or(file_version.map(str::to_owned))) {
                (Some(a), Some(v)) => maven("", a, &v),
                _ => {
                    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
                    maven("", stem, "")
                }
            },
        };
        pkg.digest = digest.clone();
        found.push(pkg);
    } else {
        // The archive itself: the pom whose artifactId the file name starts with, else the only one.
        let own = poms
            .iter()
            .position(|(_, a, _)| {
                file_artifact.is_some_and(|fa| fa == a) || file_name.starts_with(&format!("{a}-"))
            })
            .or((poms.len() == 1).then_some(0));
        for (i, (g, a, v)) in poms.iter().enumerate() {
            let mut pkg = maven(g, a, v);
            if own == Some(i) {
                pkg.digest = digest.clone();
            }
            found.push(pkg);
        }
    }
    for mut p in found {
        p.file_path = rooted(display);
        out.push(p);
    }

    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for name in names
        .iter()
        .filter(|n| !n.ends_with('/') && is_archive_name(n.rsplit('/').next().unwrap_or(n)))
    {
        let inner_display = format!("{display}!/{name}");
        let inner = match read_entry(&mut zip, name, MAX_ENTRY.min(*budget)) {
            Ok(b) => {
                *budget = budget.saturating_sub(b.len() as u64);
                b
            }
            Err(e) => {
                warnings.push(format!("`{inner_display}`: {e}"));
                continue;
            }
        };
        if let Err(e) = scan(&inner_display, &inner, depth + 1, budget, out, warnings) {
            warnings.push(format!("`{inner_display}`: {e}"));
        }
    }
    Ok(())
}

/// A Maven package: `group:artifact` (just `artifact` without a group) and its purl.
pub(crate) fn maven(group: &str, artifact: &str, version: &str) -> Package {
    let name = if group.is_empty() {
        artifact.to_owned()
    } else {
        format!("{group}:{artifact}")
    };
    Package::new(
        Ecosystem::Maven,
        name,
        version,
        Purl::new("maven", group, artifact, version),
    )
}

fn is_pom_properties(name: &str) -> bool {
    name.starts_with("META-INF/maven/")
        && name.ends_with("/pom.properties")
        && name.matches('/').count() == 4
}

fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, String> {
    let entry = zip
        .by_name(name)
        .map_err(|e| format!("cannot open entry ({e})"))?;
    if entry.size() > limit {
        return Err(format!(
            "entry of {} bytes is over the {limit}-byte limit",
            entry.size()
        ));
    }
    let mut buf = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 20));
    entry
        .take(limit)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot decompress entry ({e})"))?;
    Ok(buf)
}

/// `artifact-1.2.3.jar` -> (`artifact`, `1.2.3`): the version starts after the last `-` that
/// is followed by a digit.
fn split_file_name(file_name: &str) -> (Option<&str>, Option<&str>) {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let split = stem
        .char_indices()
        .rfind(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
    match split {
        Some((i, _)) if i > 0 => (Some(&stem[..i]), Some(&stem[i + 1..])),
        _ => (None, None),
    }
}

/// Java `.properties`: `key=value` or `key: value`, `#`/`!` comments.
fn properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| {
            let i = l.find(['=', ':'])?;
            Some((l[..i].trim().to_owned(), l[i + 1..].trim().to_owned()))
        })
        .collect()
}

/// The main section of a `MANIFEST.MF`: `Name: value` lines, continuation lines start with one
/// space.
fn manifest(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some(last) = out.last_mut() {
                last.1.push_str(cont);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_owned(), v.trim_start().to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let method = if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn rows(app: &Application) -> Vec<(String, String, String, bool)> {
        app.packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.file_path.clone(),
                    !p.digest.is_empty(),
                )
            })
            .collect()
    }

    #[test]
    fn fat_jar_with_nested_jars() {
        let inner_pom = zip(
            &[(
                "META-INF/maven/org.yaml/snakeyaml/pom.properties",
                b"#c\nversion=1.33\ngroupId=org.yaml\nartifactId=snakeyaml\n",
            )],
            true,
        );
        let inner_bsn = zip(
            &[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nBundle-SymbolicName: com.h2database\r\nImplementation-Version: 2.1.214\r\n")],
            true,
        );
        let shaded = zip(
            &[
                (
                    "META-INF/maven/com.acme/lib/pom.properties",
                    b"groupId=com.acme\nartifactId=lib\nversion=1.0\n",
                ),
                (
                    "META-INF/maven/com.other/dep/pom.properties",
                    b"groupId=com.other\nartifactId=dep\nversion=2.0\n",
                ),
            ],
            true,
        );
        let outer = zip(
            &[
                (
                    "META-INF/maven/example/app/pom.properties",
                    b"groupId=example\nartifactId=app\nversion=0.0.1\n",
                ),
                ("BOOT-INF/lib/snakeyaml-1.33.jar", &inner_pom),
                ("BOOT-INF/lib/h2-2.1.214.jar", &inner_bsn),
                ("BOOT-INF/lib/lib-1.0.jar", &shaded),
                ("BOOT-INF/lib/broken.jar", b"not a zip"),
            ],
            false,
        );
        let mut warnings = Vec::new();
        let app = parse("app/app.jar", &outer, &mut warnings).unwrap();
        assert_eq!(
            rows(&app),
            [
                (
                    "com.acme:lib".to_owned(),
                    "1.0".to_owned(),
                    "/app/app.jar!/BOOT-INF/lib/lib-1.0.jar".to_owned(),
                    true
                ),
                (
                    "com.h2database:h2".to_owned(),
                    "2.1.214".to_owned(),
                    "/app/app.jar!/BOOT-INF/lib/h2-2.1.214.jar".to_owned(),
                    true
                ),
                (
                    "com.other:dep".to_owned(),
                    "2.0".to_owned(),
                    "/app/app.jar!/BOOT-INF/lib/lib-1.0.jar".to_owned(),
                    false
                ),
                (
                    "example:app".to_owned(),
                    "0.0.1".to_owned(),
                    "/app/app.jar".to_owned(),
                    true
                ),
                (
                    "org.yaml:snakeyaml".to_owned(),
                    "1.33".to_owned(),
                    "/app/app.jar!/BOOT-INF/lib/snakeyaml-1.33.jar".to_owned(),
                    true
                ),
            ]
        );
        assert_eq!(
            app.packages[4].purl.to_string(),
            "pkg:maven/org.yaml/snakeyaml@1.33"
        );
        let sha = format!("sha1:{}", hex::encode(Sha1::digest(&inner_pom)));
        assert_eq!(app.packages[4].digest, sha);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("broken.jar"));
    }

    #[test]
    fn manifest_title_file_name_and_unknown() {
        let m = zip(
            &[(
                "META-INF/MANIFEST.MF",
                b"Manifest-Version: 1.0\nImplementation-Title: Commons Collections\nImplementation-Version: 3.2.2\nBundle-SymbolicName: org.apache.commons.collections\n",
            )],
            true,
        );
        let mut w = Vec::new();
        let app = parse("lib/commons-collections3-3.2.2.jar", &m, &mut w).unwrap();
        assert_eq!(app.packages[0].name, "Commons Collections");
        assert_eq!(app.packages[0].version, "3.2.2");
        let empty = zip(&[("x.class", b"\xca\xfe")], true);
        let app = parse("lib/guava-31.1-jre.jar", &empty, &mut w).unwrap();
        assert_eq!(
            rows(&app),
            [(
                "guava".to_owned(),
                "31.1-jre".to_owned(),
                "/lib/guava-31.1-jre.jar".to_owned(),
                true
            )]
        );
        let app = parse("lib/thing.WAR", &empty, &mut w).unwrap();
        assert_eq!(
            rows(&app),
            [(
                "thing".to_owned(),
                String::new(),
                "/lib/thing.WAR".to_owned(),
                true
            )]
        );
        assert!(w.is_empty());
    }

    #[test]
    fn malformed() {
        let mut w = Vec::new();
        assert!(parse("a.jar", b"PK\x03\x04garbage", &mut w).is_err());
        assert!(parse("a.jar", b"", &mut w).is_err());
        let good = zip(
            &[(
                "META-INF/maven/g/a/pom.properties",
                b"groupId=g\nartifactId=a\nversion=1\n",
            )],
            true,
        );
        for n in [10, good.len() / 2, good.len() - 5] {
            assert!(
                parse("a.jar", &good[..n], &mut w).is_err(),
                "truncated at {n}"
            );
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(
            split_file_name("h2-2.1.214.jar"),
            (Some("h2"), Some("2.1.214"))
        );
        assert_eq!(
            split_file_name("commons-collections3-3.2.2.jar"),
            (Some("commons-collections3"), Some("3.2.2"))
        );
        assert_eq!(
            split_file_name("log4j-1.2-api-2.19.0.jar"),
            (Some("log4j-1.2-api"), Some("2.19.0"))
        );
        assert_eq!(split_file_name("app.jar"), (None, None));
    }

    #[test]
    fn manifest_continuations() {
        let m = manifest("Manifest-Version: 1.0\r\nBundle-SymbolicName: com.exa\r\n mple.lib;singleton:=true\r\n\r\nName: x\r\n");
        assert_eq!(
            m[1],
            (
                "Bundle-SymbolicName".to_owned(),
                "com.example.lib;singleton:=true".to_owned()
            )
        );
        assert_eq!(m.len(), 2);
    }
}
