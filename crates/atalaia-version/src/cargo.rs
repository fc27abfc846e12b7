//! Cargo version requirements, with the semantics of the `semver` crate Cargo uses.
//!
//! Comma-separated comparators that must all hold: `^1.2.3` (also a bare `1.2.3`), `~1.2.3`,
//! `=1.2.3`, `>1.2`, `>=1`, `<1.2.3`, `<=1.2`, wildcards `1.*`, `1.2.x`, `*`. Partial versions
//! are filled as the `semver` crate fills them (`>1.2` means `>=1.3.0`, `<=1.2` means
//! `<1.3.0`). A version with a pre-release matches only if some comparator names the same
//! `major.minor.patch` with a pre-release too.

use std::cmp::Ordering;

use crate::semver::{cmp_prerelease, SemVersion};
use crate::{Scheme, VersionError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Exact,
    Greater,
    GreaterEq,
    Less,
    LessEq,
    Tilde,
    Caret,
    Wildcard,
}

#[derive(Debug, Clone)]
struct Comparator {
    op: Op,
    major: u64,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Box<str>,
}

/// A Cargo version requirement.
#[derive(Debug, Clone)]
pub struct CargoReq {
    comparators: Vec<Comparator>,
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn is_wild(s: &str) -> bool {
    matches!(s, "*" | "x" | "X")
}

fn parse_comparator(text: &str) -> Result<Comparator, &'static str> {
    let t = text.trim();
    const OPS: [(&str, Op); 7] = [
        (">=", Op::GreaterEq),
        ("<=", Op::LessEq),
        ("=", Op::Exact),
        (">", Op::Greater),
        ("<", Op::Less),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ];
    let (op, rest) = OPS
        .iter()
        .find_map(|(s, op)| t.strip_prefix(s).map(|r| (Some(*op), r.trim_start())))
        .unwrap_or((None, t));
    if rest.is_empty() {
        return Err("a comparator has no version");
    }
    let (main, pre) = match rest.find('-') {
        Some(p) => (&rest[..p], &rest[p + 1..]),
        None => (rest, ""),
    };
    let (main, build) = match main.find('+') {
        Some(p) => (&main[..p], Some(&main[p + 1..])),
        None => (main, None),
    };
    let (pre, build) = match (pre.find('+'), build) {
        (Some(p), None) => (&pre[..p], Some(&pre[p + 1..])),
        (_, b) => (pre, b),
    };
    if let Some(build) = build {
        crate::semver::parse_core(&format!("0.0.0+{build}"), false)
            .map_err(|_| "invalid build metadata")?;
    }
    let parts: Vec<&str> = main.split('.').collect();
    if parts.len() > 3 {
        return Err("more than three version numbers");
    }
    if is_wild(parts[0]) {
        if parts.iter().any(|p| !is_wild(p))
            || op.is_some_and(|o| o != Op::Exact)
            || !pre.is_empty()
        {
            return Err("`*` must stand alone");
        }
        return Ok(Comparator {
            op: Op::Wildcard,
            major: u64::MAX,
            minor: None,
            patch: None,
            pre: "".into(),
        });
    }
    let major = number(parts[0]).ok_or("the major version is not a number")?;
    let mut wildcard = false;
    let mut minor = None;
    let mut patch = None;
    if let Some(m) = parts.get(1) {
        if is_wild(m) {
            wildcard = true;
        } else {
            minor = Some(number(m).ok_or("the minor version is not a number")?);
        }
    }
    if let Some(p) = parts.get(2) {
        if is_wild(p) {
            wildcard = true;
        } else if wildcard {
            return Err("a number after a wildcard");
        } else {
            patch = Some(number(p).ok_or("the patch version is not a number")?);
        }
    }
    if !pre.is_empty() || rest.contains('-') {
        if patch.is_none() {
            return Err("a pre-release needs a full version");
        }
        let probe = format!("0.0.0-{pre}");
        crate::semver::parse_core(&probe, false).map_err(|_| "invalid pre-release")?;
    }
    // As in the `semver` crate, a wildcard after an operator just leaves the version partial
    // (`>=1.*` is `>=1`); without an operator it is the wildcard comparator.
    let op = match (op, wildcard) {
        (None, true) => Op::Wildcard,
        (None, false) => Op::Caret,
        (Some(op), _) => op,
    };
    Ok(Comparator {
        op,
        major,
        minor,
        patch,
        pre: pre.into(),
    })
}

impl Comparator {
    fn exact(&self, v: &SemVersion) -> bool {
        v.major() == self.major
            && self.minor.is_none_or(|m| v.minor() == m)
            && self.patch.is_none_or(|p| v.patch() == p)
            && v.pre() == &*self.pre
    }

    fn greater(&self, v: &SemVersion) -> bool {
        if v.major() != self.major {
            return v.major() > self.major;
        }
        let Some(minor) = self.minor else {
            return false;
        };
        if v.minor() != minor {
            return v.minor() > minor;
        }
        let Some(patch) = self.patch else {
            return false;
        };
        if v.patch() != patch {
            return v.patch() > patch;
        }
        cmp_prerelease(v.pre(), &self.pre) == Ordering::Greater
    }

    fn less(&self, v: &SemVersion) -> bool {
        if v.major() != self.major {
            return v.major() < self.major;
        }
        let Some(minor) = self.minor else {
            return false;
        };
        if v.minor() != minor {
            return v.minor() < minor;
        }
        let Some(patch) = self.patch else {
            return false;
        };
        if v.patch() != patch {
            return v.patch() < patch;
        }
        cmp_prerelease(v.pre(), &self.pre) == Ordering::Less
    }

    fn tilde(&self, v: &SemVersion) -> bool {
        if v.major() != self.major || self.minor.is_some_and(|m| v.minor() != m) {
            return false;
        }
        if let Some(patch) = self.patch {
            if v.patch() != patch {
                return v.patch() > patch;
            }
        }
        cmp_prerelease(v.pre(), &self.pre) != Ordering::Less
    }

    fn caret(&self, v: &SemVersion) -> bool {
        if v.major() != self.major {
            return false;
        }
        let Some(minor) = self.minor else { return true };
        let Some(patch) = self.patch else {
            return if self.major > 0 {
                v.minor() >= minor
            } else {
                v.minor() == minor
            };
        };
        if self.major > 0 {
            if v.minor() != minor {
                return v.minor() > minor;
            } else if v.patch() != patch {
                return v.patch() > patch;
            }
        } else if minor > 0 {
            if v.minor() != minor {
                return false;
            } else if v.patch() != patch {
                return v.patch() > patch;
            }
        } else if v.minor() != minor || v.patch() != patch {
            return false;
        }
        cmp_prerelease(v.pre(), &self.pre) != Ordering::Less
    }

    fn matches(&self, v: &SemVersion) -> bool {
        match self.op {
            Op::Exact => self.exact(v),
            Op::Greater => self.greater(v),
            Op::GreaterEq => !self.less(v),
            Op::Less => self.less(v),
            Op::LessEq => !self.greater(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
            Op::Wildcard => self.major == u64::MAX || self.exact_wild(v),
        }
    }

    fn exact_wild(&self, v: &SemVersion) -> bool {
        v.major() == self.major && self.minor.is_none_or(|m| v.minor() == m)
    }

    fn pre_is_compatible(&self, v: &SemVersion) -> bool {
        self.major == v.major()
            && self.minor == Some(v.minor())
            && self.patch == Some(v.patch())
            && !self.pre.is_empty()
    }
}

impl CargoReq {
    /// Parses a requirement (`^1.2, <1.5`).
    pub fn parse(input: &str) -> Result<CargoReq, VersionError> {
        let err = |reason| VersionError::constraint(Scheme::Cargo, input, reason);
        let comparators = input
            .split(',')
            .map(parse_comparator)
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        if comparators.len() > 32 {
            return Err(err("excessive number of version comparators"));
        }
        if comparators.len() > 1 && comparators.iter().any(|c| c.major == u64::MAX) {
            return Err(err(
                "wildcard req (*) must be the only comparator in the version req",
            ));
        }
        Ok(CargoReq { comparators })
    }

    /// Whether `v` matches every comparator (and the pre-release rule).
    pub fn matches(&self, v: &SemVersion) -> bool {
        self.comparators.iter().all(|c| c.matches(v))
            && (!v.is_prerelease() || self.comparators.iter().any(|c| c.pre_is_compatible(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(version: &str, req: &str) -> bool {
        CargoReq::parse(req)
            .unwrap()
            .matches(&SemVersion::parse_for(Scheme::Cargo, version).unwrap())
    }

    #[test]
    fn requirement_semantics() {
        assert!(sat("1.9.0", "1.2.3"));
        assert!(!sat("2.0.0", "^1.2.3"));
        assert!(sat("0.2.9", "^0.2.3") && !sat("0.3.0", "^0.2.3"));
        assert!(sat("0.0.3", "^0.0.3") && !sat("0.0.4", "^0.0.3"));
        assert!(sat("1.2.9", "~1.2.3") && !sat("1.3.0", "~1.2.3"));
        assert!(sat("1.3.0", ">1.2") && !sat("1.2.9", ">1.2"));
        assert!(sat("1.2.9", "<=1.2") && !sat("1.3.0", "<=1.2"));
        assert!(sat("1.7.0", ">=1.2, <1.8"));
        assert!(sat("1.4.0", "1.*") && !sat("2.0.0", "1.*"));
        assert!(sat("3.0.0", "*"));
        assert!(!sat("1.3.0-alpha", ">=1.2"));
        assert!(sat("1.2.3-beta.2", ">=1.2.3-beta.1"));
    }

    #[test]
    fn malformed_requirements_are_errors() {
        for bad in ["", "^", "1.2.3.4", ">=a", "1.2-pre", "01.2", ","] {
            assert!(CargoReq::parse(bad).is_err(), "{bad}");
        }
    }
}
