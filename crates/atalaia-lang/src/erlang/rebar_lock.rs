//! Erlang `rebar.lock`: `{"1.2.0", [{<<"name">>, {pkg, <<"hexname">>, <<"version">>}, Level}, …]}.`
//! Hex packages (`pkg`) are packages, level 0 is direct; `git` dependencies are skipped.

use atalaia_types::{Application, Ecosystem, Location, Relationship};

use crate::util::{application, simple_package, LineIndex};
use crate::LangError;

const KIND: &str = "rebar";

/// The next `<<"...">>` binary at or after `from`: (contents, end offset).
fn binary(text: &str, from: usize) -> Option<(&str, usize)> {
    let start = text.get(from..)?.find("<<\"")? + from + 3;
    let end = text.get(start..)?.find("\">>")? + start;
    Some((&text[start..end], end + 3))
}

/// Parses a `rebar.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return Err(LangError::new(path, KIND, "not an Erlang term"));
    }
    let lines = LineIndex::new(text);
    let mut packages = Vec::new();
    let mut at = 0;
    while let Some(rel) = text[at..].find("{pkg,") {
        let pos = at + rel;
        let (name, after_name) = binary(text, pos)
            .ok_or_else(|| LangError::new(path, KIND, "a `pkg` tuple without a name"))?;
        let (version, after_version) = binary(text, after_name)
            .ok_or_else(|| LangError::new(path, KIND, format!("`{name}` has no version")))?;
        // `}, Level}` follows the pkg tuple.
        let level = text[after_version..]
            .trim_start_matches(|c: char| c == '}' || c == ',' || c.is_whitespace())
            .split(['}', ','])
            .next()
            .unwrap_or("")
            .trim();
        let mut pkg = simple_package(Ecosystem::Hex, name, version);
        pkg.relationship = if level == "0" {
            Relationship::Direct
        } else {
            Relationship::Indirect
        };
        let line = lines.line(pos);
        pkg.locations.push(Location {
            start_line: line,
            end_line: line,
        });
        packages.push(pkg);
        at = after_version;
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = "{\"1.2.0\",\n[{<<\"certifi\">>,{pkg,<<\"certifi\">>,<<\"2.9.0\">>},1},\n {<<\"cowboy\">>,{pkg,<<\"cowboy\">>,<<\"2.9.0\">>},0},\n {<<\"x\">>,{git,\"https://example.invalid/x.git\",{ref,\"abc\"}},0}]}.\n[\n{pkg_hash,[\n {<<\"certifi\">>, <<\"ABC\">>}]}\n].\n";
        let app = parse("rebar.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship, p.locations[0].start_line))
            .collect();
        assert_eq!(
            got,
            [
                ("certifi@2.9.0", Relationship::Indirect, 2),
                ("cowboy@2.9.0", Relationship::Direct, 3)
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("rebar.lock", b"hello").is_err());
        assert!(parse("rebar.lock", b"{\"1.2.0\", [{<<\"a\">>,{pkg,<<\"a\">>").is_err());
    }
}
