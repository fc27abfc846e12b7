//! NuGet `packages.config`: `<package id="…" version="…" developmentDependency="true"? />`
//! elements, read with a small attribute scanner (the file is flat XML written by NuGet).

use atalaia_types::{Application, Location};

use super::nuget_package;
use crate::util::{application, LineIndex};
use crate::LangError;

const KIND: &str = "packages-config";

/// The value of attribute `name` inside one tag's text.
pub(crate) fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let quote = v.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let end = v[1..].find(quote)?;
                    return Some(&v[1..=end]);
                }
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// Parses a `packages.config`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    if !text.contains("<packages") {
        return Err(LangError::new(path, KIND, "no `<packages>` element"));
    }
    let lines = LineIndex::new(text);
    let mut packages = Vec::new();
    let mut at = 0;
    while let Some(rel) = text[at..].find("<package ") {
        let start = at + rel;
        let end = text[start..]
            .find('>')
            .map(|e| start + e)
            .ok_or_else(|| LangError::new(path, KIND, "unterminated `<package` tag"))?;
        let tag = &text[start..end];
        let (Some(id), Some(version)) = (attr(tag, "id"), attr(tag, "version")) else {
            return Err(LangError::new(
                path,
                KIND,
                format!(
                    "line {}: a package without id or version",
                    lines.line(start)
                ),
            ));
        };
        let mut pkg = nuget_package(id, version);
        pkg.dev =
            attr(tag, "developmentDependency").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        pkg.locations.push(Location {
            start_line: lines.line(start),
            end_line: lines.line(end),
        });
        packages.push(pkg);
        at = end;
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<packages>\n  <package id=\"Newtonsoft.Json\" version=\"13.0.1\" targetFramework=\"net472\" />\n  <package id='xunit' version='2.4.1' developmentDependency=\"true\" />\n</packages>\n";
        let app = parse("packages.config", xml.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("Newtonsoft.Json@13.0.1", false, 3),
                ("xunit@2.4.1", true, 4)
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse(
            "packages.config",
            b"<packages><package id=\"a\"/></packages>"
        )
        .is_err());
        assert!(parse(
            "packages.config",
            b"<packages><package id=\"a\" version=\"1\""
        )
        .is_err());
        assert!(parse("packages.config", b"hello").is_err());
    }
}
