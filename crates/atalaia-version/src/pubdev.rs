//! Dart `pub` version constraints, as the `pub_semver` package reads them.
//!
//! Versions are SemVer 2.0.0, where `pub` sorts a version with build metadata after the same
//! version without it. A constraint is `any`, a bare version (exactly it), `^1.2.3` (at least
//! 1.2.3, below the next breaking version: `2.0.0`, or `0.3.0` for `^0.2.3`), or
//! space-separated comparators (`>=1.2.3 <2.0.0`, all must hold). As in `pub_semver`, an
//! exclusive upper bound that is a release excludes that release's pre-releases
//! (`<2.0.0` rejects `2.0.0-dev`).

use std::cmp::Ordering;

use crate::constraint::Op;
use crate::semver::SemVersion;
use crate::{Scheme, VersionError};

/// A `pub` version constraint.
#[derive(Debug, Clone)]
pub struct PubConstraint {
    any: bool,
    terms: Vec<(Op, SemVersion)>,
}

impl PubConstraint {
    /// Parses `any`, `1.2.3`, `^1.2.3` or `>=1.2.3 <2.0.0`.
    pub fn parse(input: &str) -> Result<PubConstraint, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Pub, input, reason);
        let s = input.trim();
        if s == "any" {
            return Ok(PubConstraint {
                any: true,
                terms: Vec::new(),
            });
        }
        let version =
            |t: &str| SemVersion::parse_for(Scheme::Pub, t).map_err(|_| err("not a version"));
        let mut terms = Vec::new();
        let mut tokens = s.split_whitespace();
        while let Some(token) = tokens.next() {
            if let Some(rest) = token.strip_prefix('^') {
                let v = version(rest)?;
                let upper = if v.major() > 0 {
                    SemVersion::from_parts(v.major() + 1, 0, 0, "")
                } else if v.minor() > 0 {
                    SemVersion::from_parts(0, v.minor() + 1, 0, "")
                } else {
                    SemVersion::from_parts(0, 0, v.patch() + 1, "")
                };
                terms.push((Op::Ge, v));
                terms.push((Op::Lt, upper));
                continue;
            }
            let (op, rest) = match Op::split_prefix(token) {
                Some((Op::Eq | Op::Ne, _)) => return Err(err("pub has no `=` or `!=` operator")),
                Some((_, _)) if token.starts_with("<<") || token.starts_with(">>") => {
                    return Err(err("unknown operator"));
                }
                Some((op, "")) => (
                    op,
                    tokens
                        .next()
                        .ok_or_else(|| err("an operator has no version"))?,
                ),
                Some(found) => found,
                None => (Op::Eq, token),
            };
            terms.push((op, version(rest)?));
        }
        if terms.is_empty() {
            return Err(err("empty constraint"));
        }
        Ok(PubConstraint { any: false, terms })
    }

    /// Whether `v` is allowed.
    pub fn allows(&self, v: &SemVersion) -> bool {
        if self.any {
            return true;
        }
        self.terms.iter().all(|(op, bound)| {
            let ord = SemVersion::cmp_for(Scheme::Pub, v, bound);
            if *op == Op::Lt
                && v.is_prerelease()
                && !bound.is_prerelease()
                && v.triple() == bound.triple()
            {
                return false;
            }
            if *op == Op::Eq {
                return ord == Ordering::Equal;
            }
            op.holds(ord)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(version: &str, c: &str) -> bool {
        PubConstraint::parse(c)
            .unwrap()
            .allows(&SemVersion::parse_for(Scheme::Pub, version).unwrap())
    }

    #[test]
    fn constraints() {
        assert!(sat("1.9.0", "^1.2.3") && !sat("2.0.0", "^1.2.3"));
        assert!(sat("0.2.9", "^0.2.3") && !sat("0.3.0", "^0.2.3"));
        assert!(sat("1.5.0", ">=1.2.3 <2.0.0"));
        assert!(!sat("2.0.0-dev", "<2.0.0"));
        assert!(sat("7.0.0", "any"));
        assert!(sat("1.0.0", "1.0.0") && !sat("1.0.0+1", "1.0.0"));
    }

    #[test]
    fn malformed_constraints_are_errors() {
        for bad in ["", "^", ">=", "1.0", "=1.0.0", ">=1.0.0 <", "anything"] {
            assert!(PubConstraint::parse(bad).is_err(), "{bad}");
        }
    }
}
