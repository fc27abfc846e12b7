//! Hex package requirements, as Elixir's `Version.match?/2` reads them.
//!
//! Hex versions are SemVer 2.0.0 (see [`crate::semver`]). A requirement is `op version` terms
//! (`==`, `!=`, `>`, `>=`, `<`, `<=`, `~>`; a bare version means `==`) joined with `and` and
//! `or` (`and` binds tighter). `~> 2.1` means `>= 2.1.0 and < 3.0.0-0`; `~> 2.1.3` means
//! `>= 2.1.3 and < 2.2.0-0`. Pre-release versions are not excluded (Elixir's `allow_pre`
//! defaults to true).

use crate::constraint::Op;
use crate::semver::SemVersion;
use crate::{Scheme, VersionError};

/// An Elixir version requirement.
#[derive(Debug, Clone)]
pub struct HexRequirement {
    alternatives: Vec<Vec<(Op, SemVersion)>>,
}

impl HexRequirement {
    /// Parses `~> 2.0 and != 2.1.0 or >= 3.0.0`.
    pub fn parse(input: &str) -> Result<HexRequirement, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Hex, input, reason);
        let mut alternatives = Vec::new();
        let words: Vec<&str> = input.split_whitespace().collect();
        for alternative in words.split(|w| *w == "or") {
            let mut terms = Vec::new();
            for term in alternative.split(|w| *w == "and") {
                let text = term.concat();
                if text.is_empty() {
                    return Err(err("`and`/`or` without a term"));
                }
                if let Some(rest) = text.strip_prefix("~>") {
                    let n = rest.split('.').count();
                    let pre_at = rest.find('-');
                    if n == 2 && pre_at.is_none() {
                        let v = SemVersion::parse_for(Scheme::Hex, &format!("{rest}.0"))
                            .map_err(|_| err("not a version"))?;
                        terms.push((Op::Ge, SemVersion::from_parts(v.major(), v.minor(), 0, "")));
                        terms.push((Op::Lt, SemVersion::from_parts(v.major() + 1, 0, 0, "0")));
                    } else {
                        let v = SemVersion::parse_for(Scheme::Hex, rest)
                            .map_err(|_| err("not a version"))?;
                        let upper = SemVersion::from_parts(v.major(), v.minor() + 1, 0, "0");
                        terms.push((Op::Ge, v));
                        terms.push((Op::Lt, upper));
                    }
                    continue;
                }
                let (op, rest) = match Op::split_prefix(&text) {
                    Some((_, r)) if text.starts_with("<<") || text.starts_with(">>") => {
                        return Err(err(&format!("unknown operator before `{r}`")));
                    }
                    Some(found) => found,
                    None => (Op::Eq, text.as_str()),
                };
                if text.starts_with('=') && !text.starts_with("==") {
                    return Err(err("use `==`"));
                }
                let v =
                    SemVersion::parse_for(Scheme::Hex, rest).map_err(|_| err("not a version"))?;
                terms.push((op, v));
            }
            alternatives.push(terms);
        }
        if alternatives.is_empty() {
            return Err(err("empty requirement"));
        }
        Ok(HexRequirement { alternatives })
    }

    /// Whether `v` satisfies the requirement.
    pub fn matches(&self, v: &SemVersion) -> bool {
        self.alternatives
            .iter()
            .any(|terms| terms.iter().all(|(op, b)| op.holds(v.cmp(b))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(version: &str, req: &str) -> bool {
        HexRequirement::parse(req)
            .unwrap()
            .matches(&SemVersion::parse_for(Scheme::Hex, version).unwrap())
    }

    #[test]
    fn requirements() {
        assert!(sat("2.9.0", "~> 2.1") && !sat("3.0.0", "~> 2.1"));
        assert!(sat("2.1.9", "~> 2.1.3") && !sat("2.2.0", "~> 2.1.3"));
        assert!(sat("1.0.0", "1.0.0") && !sat("1.0.1", "== 1.0.0"));
        assert!(sat("5.0.0", "< 1.0.0 or >= 5.0.0"));
        assert!(!sat("1.5.0", ">= 1.0.0 and != 1.5.0"));
    }

    #[test]
    fn malformed_requirements_are_errors() {
        for bad in ["", "and", "~> 1", ">= 1.0", "1.0.0 or", "= 1.0.0", "~> x"] {
            assert!(HexRequirement::parse(bad).is_err(), "{bad}");
        }
    }
}
