//! Elixir `mix.lock`: an Elixir map literal, one dependency per line:
//! `"plug": {:hex, :plug, "1.14.0", "<hash>", [:mix], [{:mime, "~> 2.0", [hex: :mime, …]}], "hexpm", "<hash>"},`.
//! Hex packages are packages (their dependency lists give the graph); `:git` and `:path`
//! dependencies have no Hex version and are skipped. Read line by line, never evaluated.

use std::collections::HashMap;

use atalaia_types::{Application, Ecosystem, Location};

use crate::util::{application, simple_package};
use crate::LangError;

const KIND: &str = "hex";

/// Parses a `mix.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let trimmed = text.trim();
    if !(trimmed.starts_with("%{") && trimmed.ends_with('}')) {
        return Err(LangError::new(path, KIND, "not an Elixir map (`%{ … }`)"));
    }
    // (name, version, line, dependency names)
    let mut entries: Vec<(String, String, u32, Vec<String>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let Some(rest) = line.trim().split_once(": {:hex, :").map(|(_, r)| r) else {
            continue;
        };
        let mut parts = rest.splitn(3, ',');
        let name = parts.next().unwrap_or_default().trim().trim_matches('"');
        let version = parts.next().unwrap_or_default().trim().trim_matches('"');
        if name.is_empty() || version.is_empty() {
            return Err(LangError::new(
                path,
                KIND,
                format!("line {n}: a :hex entry without name or version"),
            ));
        }
        let deps = rest
            .split("hex: :")
            .skip(1)
            .filter_map(|d| d.split([',', ']', ' ']).next())
            .map(str::to_owned)
            .collect();
        entries.push((name.to_owned(), version.to_owned(), n, deps));
    }
    let versions: HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.0.as_str(), e.1.as_str()))
        .collect();
    let mut packages = Vec::new();
    for (name, version, line, deps) in &entries {
        let mut pkg = simple_package(Ecosystem::Hex, name, version);
        pkg.locations.push(Location {
            start_line: *line,
            end_line: *line,
        });
        pkg.depends_on = deps
            .iter()
            .filter_map(|d| versions.get(d.as_str()).map(|v| format!("{d}@{v}")))
            .collect();
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock() {
        let lock = "%{\n  \"mime\": {:hex, :mime, \"2.0.3\", \"abc\", [:mix], [], \"hexpm\", \"def\"},\n  \"my_dep\": {:git, \"https://example.invalid/x.git\", \"abc\", []},\n  \"plug\": {:hex, :plug, \"1.14.0\", \"abc\", [:mix], [{:mime, \"~> 1.0 or ~> 2.0\", [hex: :mime, repo: \"hexpm\", optional: false]}, {:plug_crypto, \"~> 1.1\", [hex: :plug_crypto, repo: \"hexpm\", optional: false]}], \"hexpm\", \"def\"},\n}\n";
        let app = parse("mix.lock", lock.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.depends_on.clone(),
                    p.locations[0].start_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("mime@2.0.3", vec![], 2),
                ("plug@1.14.0", vec!["mime@2.0.3".to_owned()], 4)
            ]
        );
        assert_eq!(app.packages[1].purl.to_string(), "pkg:hex/plug@1.14.0");
    }

    #[test]
    fn malformed() {
        assert!(parse("mix.lock", b"[1, 2]").is_err());
        assert!(parse("mix.lock", b"%{\n  \"a\": {:hex, :a, \"\", \"x\"},\n}").is_err());
    }
}
