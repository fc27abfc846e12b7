//! `requirements*.txt`: one requirement per line; only exact pins (`name==version`,
//! `name===version`) name a version, so only they become packages. Comments, `\` line
//! continuations, extras (`name[extra]`), environment markers (`; python_version < "3"`) and
//! `--hash` options are understood. Includes (`-r other.txt`, `-c constraints.txt`) cannot be
//! followed from one file's bytes: they are reported as warnings.

use atalaia_types::{Application, Location};

use super::pypi_package;
use crate::util::application;
use crate::LangError;

const KIND: &str = "pip";

/// Parses a requirements file; unfollowed includes and unpinned requirements go to `warnings`.
pub(crate) fn parse(
    path: &str,
    bytes: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    if text.contains('\0') {
        return Err(LangError::new(
            path,
            KIND,
            "contains NUL bytes (binary file)",
        ));
    }
    let mut packages = Vec::new();
    for (logical, start, end) in logical_lines(text) {
        let line = strip_comment(&logical);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(opt) = line.strip_prefix('-') {
            let opt = opt.trim_start_matches('-');
            for (flag, what) in [
                ("requirement", "include"),
                ("r", "include"),
                ("constraint", "constraints file"),
                ("c", "constraints file"),
            ] {
                if let Some(rest) = opt.strip_prefix(flag) {
                    if rest.starts_with([' ', '=', '\t']) || (flag.len() == 1 && !rest.is_empty()) {
                        let target = rest.trim_start_matches(['=', ' ', '\t']).trim();
                        warnings.push(format!(
                            "`{path}` line {start}: {what} `{target}` is not followed"
                        ));
                        break;
                    }
                }
            }
            continue;
        }
        let Some((name, version)) = pinned(line) else {
            continue;
        };
        let mut pkg = pypi_package(name, version);
        pkg.locations.push(Location {
            start_line: start,
            end_line: end,
        });
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

/// Joins `\`-continued lines; yields each logical line with its first and last line numbers.
fn logical_lines(text: &str) -> Vec<(String, u32, u32)> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut start = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if buf.is_empty() {
            start = n;
        }
        let raw = raw.trim_end_matches('\r');
        match raw.strip_suffix('\\') {
            Some(part) => {
                buf.push_str(part);
                buf.push(' ');
            }
            None => {
                buf.push_str(raw);
                out.push((std::mem::take(&mut buf), start, n));
            }
        }
    }
    if !buf.is_empty() {
        let end = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
        out.push((buf, start, end));
    }
    out
}

/// Removes a `#` comment (at the start or after whitespace, as pip does).
fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => &line[..i],
        None => line,
    }
}

/// `name[extras]==version ; marker --hash=...` -> (`name`, `version`) for exact pins.
fn pinned(line: &str) -> Option<(&str, &str)> {
    // Options after the requirement (`--hash=sha256:...`).
    let line = match line.find(" -") {
        Some(i) => &line[..i],
        None => line,
    };
    let line = line.split(';').next().unwrap_or(line).trim();
    let (lhs, rhs) = line.split_once("==")?;
    let rhs = rhs.strip_prefix('=').unwrap_or(rhs).trim();
    let name = lhs.split('[').next().unwrap_or(lhs).trim();
    // `a==1,<2` is not a single pin; a wildcard `==1.*` is not a version.
    if name.is_empty() || rhs.is_empty() || rhs.contains([',', '*', ' ', '<', '>', '!', '~']) {
        return None;
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return None;
    }
    Some((name, rhs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_extras_markers_hashes() {
        let txt = "# comment\n\
Django==3.2  # pinned\n\
requests[security,socks]==2.19.1 ; python_version >= \"3\"\n\
urllib3==1.23 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n\
flask>=1.0\n\
six===1.16.0\n\
-r base.txt\n\
--requirement=other.txt\n\
-c constraints.txt\n\
-e git+https://example.invalid/x.git#egg=x\n\
numpy==1.*\n";
        let mut warnings = Vec::new();
        let app = parse("requirements.txt", txt.as_bytes(), &mut warnings).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.locations[0].start_line,
                    p.locations[0].end_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Django", "3.2", 2, 2),
                ("requests", "2.19.1", 3, 3),
                ("six", "1.16.0", 8, 8),
                ("urllib3", "1.23", 4, 6)
            ]
        );
        assert_eq!(app.packages[0].purl.to_string(), "pkg:pypi/django@3.2");
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("`base.txt`"));
    }

    #[test]
    fn malformed() {
        let mut w = Vec::new();
        assert!(parse("requirements.txt", b"\xff\xfe\xfd", &mut w).is_err());
        assert!(parse("requirements.txt", b"a==1\0\0\0", &mut w).is_err());
        // Lines that are not requirements are skipped, never a panic.
        let app = parse("requirements.txt", b"==\n[==]\n== 1\n\\", &mut w).unwrap();
        assert!(app.packages.is_empty());
    }
}
