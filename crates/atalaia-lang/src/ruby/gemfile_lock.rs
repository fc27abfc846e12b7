//! `Gemfile.lock` (bundler): the `specs:` of the `GEM`, `GIT` and `PATH` sections give the gems
//! (`    name (version[-platform])`) and their dependencies (6-space lines); the `DEPENDENCIES`
//! section names the direct ones.

use std::collections::HashMap;

use atalaia_types::{Application, Ecosystem, Location, Relationship};

use crate::util::{application, simple_package};
use crate::LangError;

const KIND: &str = "bundler";

/// Parses a `Gemfile.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    // (name, version, line, dependency names)
    let mut gems: Vec<(String, String, u32, Vec<String>)> = Vec::new();
    let mut direct: Vec<String> = Vec::new();
    let mut section = "";
    let mut in_specs = false;
    let mut saw_section = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        if line.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        if indent == 0 {
            if !body
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == ' ' || c == '_')
            {
                return Err(LangError::new(
                    path,
                    KIND,
                    format!("line {n}: `{body}` is not a section name"),
                ));
            }
            section = match body {
                "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => "source",
                "DEPENDENCIES" => "deps",
                _ => "other",
            };
            saw_section = true;
            in_specs = false;
            continue;
        }
        match (section, indent) {
            ("source", 2) => in_specs = body == "specs:",
            ("source", 4) if in_specs => {
                let (name, version) = name_version(body).ok_or_else(|| {
                    LangError::new(
                        path,
                        KIND,
                        format!("line {n}: `{body}` is not `name (version)`"),
                    )
                })?;
                let version = version.split('-').next().unwrap_or(version);
                gems.push((name.to_owned(), version.to_owned(), n, Vec::new()));
            }
            ("source", 6) if in_specs => {
                if let Some(g) = gems.last_mut() {
                    let dep = body.split(' ').next().unwrap_or(body);
                    g.3.push(dep.to_owned());
                }
            }
            ("deps", 2) => {
                let name = body.split([' ', '!']).next().unwrap_or(body);
                direct.push(name.to_owned());
            }
            _ => {}
        }
    }
    if !saw_section {
        return Err(LangError::new(
            path,
            KIND,
            "no sections (GEM, DEPENDENCIES, …)",
        ));
    }
    let versions: HashMap<&str, &str> = gems.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect();
    let mut packages = Vec::with_capacity(gems.len());
    for (name, version, line, deps) in &gems {
        let mut pkg = simple_package(Ecosystem::RubyGems, name, version);
        pkg.relationship = if direct.contains(name) {
            Relationship::Direct
        } else {
            Relationship::Indirect
        };
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

/// `name (1.2.3)` -> (`name`, `1.2.3`).
fn name_version(s: &str) -> Option<(&str, &str)> {
    let (name, rest) = s.split_once(" (")?;
    let version = rest.strip_suffix(')')?;
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "GIT
  remote: https://example.invalid/x.git
  revision: abc
  specs:
    xgem (0.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.13.0-x86_64-linux)
      racc (~> 1.4)
    racc (1.6.0)
    rails (7.0.0)
      nokogiri (>= 1.6)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  rails (= 7.0.0)
  xgem!

BUNDLED WITH
   2.3.0
";

    #[test]
    fn gems() {
        let app = parse("Gemfile.lock", LOCK.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.relationship,
                    p.depends_on.clone(),
                    p.locations[0].start_line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "nokogiri@1.13.0",
                    Relationship::Indirect,
                    vec!["racc@1.6.0".to_owned()],
                    10
                ),
                ("racc@1.6.0", Relationship::Indirect, vec![], 12),
                (
                    "rails@7.0.0",
                    Relationship::Direct,
                    vec!["nokogiri@1.13.0".to_owned()],
                    13
                ),
                ("xgem@0.1.0", Relationship::Direct, vec![], 5),
            ]
        );
        assert_eq!(app.packages[0].purl.to_string(), "pkg:gem/nokogiri@1.13.0");
    }

    #[test]
    fn malformed() {
        assert!(parse("Gemfile.lock", b"just some text").is_err());
        assert!(parse("Gemfile.lock", b"GEM\n  specs:\n    broken\n").is_err());
        assert!(parse("Gemfile.lock", b"\xff\xfe").is_err());
    }
}
