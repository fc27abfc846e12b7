//! Go binaries: the build info blob that `go build` embeds (`\xff Go buildinf:`), in the inline
//! format of Go >= 1.18 and the older pointer format (two pointers to Go strings holding the
//! version and the module info).
//!
//! Packages: `stdlib` at the Go version (`v1.19.8`, as Trivy writes it; direct), the main module
//! (root; its version from the `mod` line, or from `-ldflags -X …version=` when the build says
//! `(devel)`, else empty; from the `path` line when a GOPATH build has no `mod` line) and every
//! `dep` line, with `=>` replacements applied.

use atalaia_types::{Application, Package, Relationship};
use object::{Object, ObjectSection, ObjectSegment};

use super::stdlib_version;
use crate::util::{go_package, sort_packages};
use crate::LangError;

const KIND: &str = "gobinary";
const MAGIC: &[u8] = b"\xff Go buildinf:";

/// The Go version and module info strings of a binary, if it has build info.
struct BuildInfo {
    go_version: String,
    mod_info: String,
}

/// Parses an ELF file; `Ok(None)` when it is not a Go binary with build info.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Option<Application>, LangError> {
    let Some(info) = build_info(path, bytes)? else {
        return Ok(None);
    };
    let mut packages = Vec::new();
    let mut main: Option<Package> = None;
    let mut path_line: Option<String> = None;
    let mut ldflags = String::new();
    let mut deps: Vec<Package> = Vec::new();
    // Which list the last `mod`/`dep` went to, for a following `=>` line.
    let mut last_is_main = false;
    for line in info.mod_info.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["path", p, ..] => path_line = Some((*p).to_owned()),
            ["mod", p, v, ..] => {
                main = Some(go_package(p, v));
                last_is_main = true;
            }
            ["dep", p, v, ..] => {
                deps.push(go_package(p, v));
                last_is_main = false;
            }
            ["dep", p] => {
                deps.push(go_package(p, ""));
                last_is_main = false;
            }
            ["=>", p, rest @ ..] => {
                let v = rest.first().copied().unwrap_or("");
                let target = if last_is_main {
                    main.as_mut()
                } else {
                    deps.last_mut()
                };
                if let Some(t) = target {
                    *t = go_package(p, v);
                }
            }
            ["build", kv] => {
                if let Some(v) = kv.strip_prefix("-ldflags=") {
                    ldflags = v.trim_matches('"').to_owned();
                }
            }
            _ => {}
        }
    }
    let mut main = main.or_else(|| {
        path_line
            .filter(|p| p.contains('.') && p != "command-line-arguments")
            .map(|p| go_package(&p, ""))
    });
    if let Some(m) = main.as_mut() {
        if m.version == "(devel)" || m.version.is_empty() {
            let v = ldflags_version(&ldflags).unwrap_or_default();
            *m = go_package(&m.name, &v);
        }
        m.relationship = Relationship::Root;
    }
    let mut root_deps = Vec::new();
    if let Some(v) = stdlib_version(&info.go_version) {
        let mut std = go_package("stdlib", &v);
        std.relationship = Relationship::Direct;
        root_deps.push(std.id.clone());
        packages.push(std);
    }
    for mut d in deps {
        d.relationship = Relationship::Unknown;
        root_deps.push(d.id.clone());
        packages.push(d);
    }
    if let Some(mut m) = main {
        root_deps.sort();
        m.depends_on = root_deps;
        packages.push(m);
    }
    sort_packages(&mut packages);
    Ok(Some(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages,
    }))
}

/// The version set by `-X <pkg>.version=<v>` (or `.Version`) in the link flags, where `<pkg>`
/// is `main` or a package whose last path element says it holds version information.
fn ldflags_version(ldflags: &str) -> Option<String> {
    let mut words = ldflags.split_whitespace();
    let mut found = None;
    while let Some(w) = words.next() {
        let assignment = if w == "-X" || w == "--X" {
            words.next()?
        } else if let Some(rest) = w.strip_prefix("-X=").or_else(|| w.strip_prefix("--X=")) {
            rest
        } else {
            continue;
        };
        let assignment = assignment.trim_matches(['\'', '"']);
        let Some((key, value)) = assignment.split_once('=') else {
            continue;
        };
        let Some((pkg, var)) = key.rsplit_once('.') else {
            continue;
        };
        let var = var.to_ascii_lowercase();
        let last = pkg.rsplit('/').next().unwrap_or(pkg).to_ascii_lowercase();
        if matches!(var.as_str(), "version" | "ver")
            && matches!(
                last.as_str(),
                "main" | "version" | "cmd" | "common" | "build" | "buildinfo" | "info"
            )
            && !value.is_empty()
        {
            found = Some(value.to_owned());
        }
    }
    found
}

/// Finds and decodes the build info; `Ok(None)` when the file has none.
fn build_info(path: &str, bytes: &[u8]) -> Result<Option<BuildInfo>, LangError> {
    let Ok(file) = object::File::parse(bytes) else {
        return Ok(None);
    };
    // The blob lives at the start of `.go.buildinfo`; without section headers, search the
    // writable data for the magic at a 16-byte boundary, as `debug/buildinfo` does.
    let blob: &[u8] = match file
        .section_by_name(".go.buildinfo")
        .and_then(|s| s.data().ok())
    {
        Some(d) if d.starts_with(MAGIC) => d,
        // ELF files with a section table and no `.go.buildinfo` are not Go binaries.
        _ if file.sections().next().is_some() => return Ok(None),
        _ => match find_magic(bytes) {
            Some(at) => &bytes[at..],
            None => return Ok(None),
        },
    };
    if blob.len() < 32 {
        return Err(LangError::new(path, KIND, "build info header is truncated"));
    }
    let ptr_size = usize::from(blob[14]);
    let flags = blob[15];
    let big_endian = flags & 1 != 0;
    if flags & 2 != 0 {
        // Inline: two varint-prefixed strings after the 32-byte header.
        let (go_version, rest) = read_varint_string(path, &blob[32..])?;
        let (mod_info, _) = read_varint_string(path, rest)?;
        return Ok(Some(BuildInfo {
            go_version: String::from_utf8_lossy(go_version).into_owned(),
            mod_info: strip_sentinels(mod_info),
        }));
    }
    if ptr_size != 4 && ptr_size != 8 {
        return Err(LangError::new(
            path,
            KIND,
            format!("build info pointer size {ptr_size} is not 4 or 8"),
        ));
    }
    let read_ptr = |b: &[u8]| -> Option<u64> {
        let b = b.get(..ptr_size)?;
        Some(match (ptr_size, big_endian) {
            (4, false) => u64::from(u32::from_le_bytes(b.try_into().ok()?)),
            (4, true) => u64::from(u32::from_be_bytes(b.try_into().ok()?)),
            (_, false) => u64::from_le_bytes(b.try_into().ok()?),
            (_, true) => u64::from_be_bytes(b.try_into().ok()?),
        })
    };
    let read_mem = |addr: u64, len: u64| -> Option<&[u8]> {
        file.segments()
            .find_map(|s| s.data_range(addr, len).ok().flatten())
    };
    // A Go string header: pointer to the bytes, then the length.
    let read_go_string = |header_addr: u64| -> Option<&[u8]> {
        let hdr = read_mem(header_addr, 2 * ptr_size as u64)?;
        let data = read_ptr(hdr)?;
        let len = read_ptr(&hdr[ptr_size..])?;
        if len > 1 << 24 {
            return None;
        }
        read_mem(data, len)
    };
    let corrupt = || LangError::new(path, KIND, "build info pointers do not point into the file");
    let version_addr = read_ptr(&blob[16..]).ok_or_else(corrupt)?;
    let mod_addr = read_ptr(&blob[16 + ptr_size..]).ok_or_else(corrupt)?;
    let go_version = read_go_string(version_addr).ok_or_else(corrupt)?;
    let mod_info = read_go_string(mod_addr).unwrap_or_default();
    Ok(Some(BuildInfo {
        go_version: String::from_utf8_lossy(go_version).into_owned(),
        mod_info: strip_sentinels(mod_info),
    }))
}

fn find_magic(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = memchr::memmem::find(&bytes[from..], MAGIC) {
        let at = from + rel;
        if at % 16 == 0 {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// An unsigned LEB128 length, then that many bytes.
fn read_varint_string<'a>(path: &str, b: &'a [u8]) -> Result<(&'a [u8], &'a [u8]), LangError> {
    let mut len: u64 = 0;
    let mut shift = 0;
    let mut i = 0;
    loop {
        let byte = *b
            .get(i)
            .ok_or_else(|| LangError::new(path, KIND, "build info string length is truncated"))?;
        i += 1;
        len |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 63 {
            return Err(LangError::new(
                path,
                KIND,
                "build info string length overflows",
            ));
        }
    }
    let len = usize::try_from(len)
        .map_err(|_| LangError::new(path, KIND, "build info string is too long"))?;
    let end = i
        .checked_add(len)
        .filter(|&e| e <= b.len())
        .ok_or_else(|| LangError::new(path, KIND, "build info string is truncated"))?;
    Ok((&b[i..end], &b[end..]))
}

/// The module info is wrapped in 16-byte sentinels (`cmd/go` writes them so the blob can be
/// found); remove them when present.
fn strip_sentinels(b: &[u8]) -> String {
    let b = if b.len() >= 33 && b[b.len() - 17] == b'\n' {
        &b[16..b.len() - 16]
    } else {
        b
    };
    String::from_utf8_lossy(b).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldflags() {
        assert_eq!(
            ldflags_version("-s -w -X main.version=1.2.3 -X main.commit=abc").as_deref(),
            Some("1.2.3")
        );
        assert_eq!(
            ldflags_version("-X=github.com/x/y/internal/version.Version=v2.0.0").as_deref(),
            Some("v2.0.0")
        );
        assert_eq!(ldflags_version("-X main.commit=abc").as_deref(), None);
    }

    #[test]
    fn varint_strings() {
        let mut b = vec![3u8];
        b.extend_from_slice(b"abcrest");
        let (s, rest) = read_varint_string("x", &b).unwrap();
        assert_eq!((s, rest), (&b"abc"[..], &b"rest"[..]));
        assert!(read_varint_string("x", &[0x80, 0x80]).is_err());
        assert!(read_varint_string("x", &[10, b'a']).is_err());
    }
}

#[cfg(test)]
mod elf_tests {
    use super::*;
    use crate::testelf::{elf, BASE, FIRST_SECTION_OFFSET};

    const SENTINEL_START: &[u8] = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6";
    const SENTINEL_END: &[u8] = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2";

    fn mod_info(body: &str) -> Vec<u8> {
        let mut m = SENTINEL_START.to_vec();
        m.extend_from_slice(body.as_bytes());
        m.extend_from_slice(SENTINEL_END);
        m
    }

    fn varint(out: &mut Vec<u8>, mut n: usize) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    const BODY: &str = "path\texample.com/app/cmd/app\nmod\texample.com/app\t(devel)\t\n\
dep\tgolang.org/x/text\tv0.3.0\th1:abc=\ndep\tgithub.com/old/mod\tv1.0.0\th1:x=\n\
=>\tgithub.com/new/mod\tv1.1.0\th1:def=\nbuild\t-compiler=gc\nbuild\t-ldflags=\"-s -X main.version=1.2.3\"\n";

    fn summary(app: &Application) -> Vec<(String, Relationship)> {
        app.packages
            .iter()
            .map(|p| (p.id.clone(), p.relationship))
            .collect()
    }

    #[test]
    fn inline_format() {
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 2]);
        blob.resize(32, 0);
        let version = b"go1.22.1";
        varint(&mut blob, version.len());
        blob.extend_from_slice(version);
        let info = mod_info(BODY);
        varint(&mut blob, info.len());
        blob.extend_from_slice(&info);
        let bin = elf(&[(".text", vec![0xc3; 40]), (".go.buildinfo", blob)]);
        let app = parse("usr/bin/app", &bin).unwrap().expect("a Go binary");
        assert_eq!(app.app_type, "gobinary");
        assert_eq!(
            summary(&app),
            [
                ("example.com/app@1.2.3".to_owned(), Relationship::Root),
                (
                    "github.com/new/mod@v1.1.0".to_owned(),
                    Relationship::Unknown
                ),
                ("golang.org/x/text@v0.3.0".to_owned(), Relationship::Unknown),
                ("stdlib@v1.22.1".to_owned(), Relationship::Direct),
            ]
        );
        assert_eq!(app.packages[0].depends_on.len(), 3);
        assert_eq!(
            app.packages[3].purl.to_string(),
            "pkg:golang/stdlib@v1.22.1"
        );
        // Through the executable dispatch too.
        let app = crate::parse(crate::LangFile::Executable, "usr/bin/app", &bin).unwrap();
        assert_eq!(app.packages.len(), 4);
    }

    #[test]
    fn pointer_format() {
        // Header (32) | string header 1 (16) | string header 2 (16) | version | mod info.
        let version = b"go1.16.3";
        let info = mod_info("path\texample.com/tool\nmod\texample.com/tool\tv1.0.0\th1:x=\n");
        let base = BASE + FIRST_SECTION_OFFSET;
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 0]);
        blob.extend_from_slice(&(base + 32).to_le_bytes());
        blob.extend_from_slice(&(base + 48).to_le_bytes());
        blob.extend_from_slice(&(base + 64).to_le_bytes());
        blob.extend_from_slice(&(version.len() as u64).to_le_bytes());
        blob.extend_from_slice(&(base + 64 + version.len() as u64).to_le_bytes());
        blob.extend_from_slice(&(info.len() as u64).to_le_bytes());
        blob.extend_from_slice(version);
        blob.extend_from_slice(&info);
        let bin = elf(&[(".go.buildinfo", blob)]);
        let app = parse("tool", &bin).unwrap().expect("a Go binary");
        assert_eq!(
            summary(&app),
            [
                ("example.com/tool@v1.0.0".to_owned(), Relationship::Root),
                ("stdlib@v1.16.3".to_owned(), Relationship::Direct)
            ]
        );
    }

    #[test]
    fn gopath_build_has_main_from_path() {
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 2]);
        blob.resize(32, 0);
        varint(&mut blob, 8);
        blob.extend_from_slice(b"go1.19.8");
        let info = mod_info("path\tgithub.com/junegunn/fzf\nbuild\t-trimpath=true\n");
        varint(&mut blob, info.len());
        blob.extend_from_slice(&info);
        let app = parse("fzf", &elf(&[(".go.buildinfo", blob)]))
            .unwrap()
            .unwrap();
        assert_eq!(
            summary(&app),
            [
                ("github.com/junegunn/fzf@".to_owned(), Relationship::Root),
                ("stdlib@v1.19.8".to_owned(), Relationship::Direct)
            ]
        );
    }

    #[test]
    fn malformed() {
        // Inline flag with a length running past the end.
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 2]);
        blob.resize(32, 0);
        blob.push(100);
        blob.extend_from_slice(b"go1");
        assert!(parse("x", &elf(&[(".go.buildinfo", blob)])).is_err());
        // Truncated header.
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 2]);
        assert!(parse("x", &elf(&[(".go.buildinfo", blob)])).is_err());
        // Pointers outside the file.
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&[8, 0]);
        blob.extend_from_slice(&u64::MAX.to_le_bytes());
        blob.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(parse("x", &elf(&[(".go.buildinfo", blob)])).is_err());
        // Not Go at all, and truncated ELF files: no packages, no panic.
        let plain = elf(&[(".text", vec![0xc3; 64])]);
        assert!(parse("x", &plain).unwrap().is_none());
        for n in [0, 4, 16, 63, 64, 100, 200, plain.len() - 1] {
            assert!(parse("x", &plain[..n]).unwrap().is_none());
        }
    }
}
