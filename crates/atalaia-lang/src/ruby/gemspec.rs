//! Installed gem specifications (`…/specifications/<name>-<version>.gemspec`), the Ruby files
//! RubyGems writes: `s.name = "rack".freeze`, `s.version = "2.2.3"`, `s.licenses = ["MIT".freeze]`.
//! Read with line patterns, as Trivy does; the Ruby is never evaluated.

use atalaia_types::{Application, Ecosystem};

use crate::util::{rooted, simple_package};
use crate::LangError;

const KIND: &str = "gemspec";

/// The string literals on the right of `<var>.<field> = …` (`"x".freeze`, `["a", "b"]`).
fn assigned<'a>(text: &'a str, field: &str) -> Option<Vec<&'a str>> {
    for line in text.lines() {
        let t = line.trim();
        let Some((lhs, rhs)) = t.split_once('=') else {
            continue;
        };
        let lhs = lhs.trim();
        if lhs.rsplit_once('.').map(|(_, f)| f) != Some(field) || rhs.starts_with('=') {
            continue;
        }
        let strings: Vec<&str> = rhs.split('"').skip(1).step_by(2).collect();
        if !strings.is_empty() {
            return Some(strings);
        }
    }
    None
}

/// Parses a `.gemspec`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let name = assigned(text, "name")
        .and_then(|v| v.first().copied())
        .ok_or_else(|| LangError::new(path, KIND, "no `name`"))?;
    let version = assigned(text, "version")
        .and_then(|v| v.first().copied())
        .ok_or_else(|| LangError::new(path, KIND, "no `version`"))?;
    let mut pkg = simple_package(Ecosystem::RubyGems, name, version);
    pkg.file_path = rooted(path);
    pkg.licenses = assigned(text, "licenses")
        .or_else(|| assigned(text, "license"))
        .unwrap_or_default()
        .into_iter()
        .map(str::to_owned)
        .collect();
    Ok(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages: vec![pkg],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec() {
        let spec = "# -*- encoding: utf-8 -*-\n# stub: rack 2.2.3 ruby lib\n\nGem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.3\"\n\n  s.required_rubygems_version = Gem::Requirement.new(\">= 0\".freeze) if s.respond_to? :required_rubygems_version=\n  s.licenses = [\"MIT\".freeze]\nend\n";
        let app = parse(
            "usr/lib/ruby/gems/3.0.0/specifications/rack-2.2.3.gemspec",
            spec.as_bytes(),
        )
        .unwrap();
        let p = &app.packages[0];
        assert_eq!((p.name.as_str(), p.version.as_str()), ("rack", "2.2.3"));
        assert_eq!(p.licenses, ["MIT"]);
        assert_eq!(p.purl.to_string(), "pkg:gem/rack@2.2.3");
        assert_eq!(
            p.file_path,
            "/usr/lib/ruby/gems/3.0.0/specifications/rack-2.2.3.gemspec"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("specifications/x.gemspec", b"s.name = \"x\"\n").is_err());
        assert!(parse("specifications/x.gemspec", b"\xff").is_err());
    }
}
