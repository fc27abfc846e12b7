//! Semantic versions and Masterminds-style constraints, for sprig's `semverCompare`.
//!
//! Constraints: `||` alternatives of comma- or space-separated comparisons, each `=`, `!=`,
//! `>`, `<`, `>=`, `<=`, `~` (patch-level changes), `^` (no change of the first non-zero
//! part), `x`/`*` wildcards and hyphen ranges (`1.2 - 1.4`). As in Masterminds `semver/v3`,
//! a pre-release version only satisfies a comparison that names a pre-release itself.

use std::cmp::Ordering;

/// A parsed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major.
    pub major: i64,
    /// Minor.
    pub minor: i64,
    /// Patch.
    pub patch: i64,
    /// Pre-release (after `-`), empty when none.
    pub pre: String,
}

impl Version {
    /// Parse `v1.2.3-pre+build`; missing minor/patch are 0.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s.split_once('+').map_or(s, |(a, _)| a);
        let (core, pre) = s.split_once('-').unwrap_or((s, ""));
        let mut parts = core.split('.');
        let mut num = || -> Option<i64> {
            match parts.next() {
                None => Some(0),
                Some(p) => p.parse().ok(),
            }
        };
        let v = Version {
            major: num()?,
            minor: num()?,
            patch: num()?,
            pre: pre.to_string(),
        };
        if parts.next().is_some() {
            return None;
        }
        Some(v)
    }

    fn cmp(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_pre(&self.pre, &o.pre),
            })
    }
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    _ => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// A version pattern with wildcards: how many parts were given.
struct Pattern {
    v: Version,
    /// Parts given explicitly (1..=3); wildcards and missing parts reduce it.
    given: usize,
}

fn pattern(s: &str) -> Option<Pattern> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let s = s.split_once('+').map_or(s, |(a, _)| a);
    let (core, pre) = s.split_once('-').unwrap_or((s, ""));
    let mut nums = [0i64; 3];
    let mut given = 0;
    for (i, p) in core.split('.').enumerate() {
        if i >= 3 {
            return None;
        }
        if matches!(p, "x" | "X" | "*") {
            continue;
        }
        if given < i {
            // A number after a wildcard.
            return None;
        }
        nums[i] = p.parse().ok()?;
        given = i + 1;
    }
    Some(Pattern {
        v: Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre: pre.to_string(),
        },
        given,
    })
}

fn bump(v: &Version, part: usize) -> Version {
    match part {
        0 => Version {
            major: v.major + 1,
            minor: 0,
            patch: 0,
            pre: String::new(),
        },
        1 => Version {
            major: v.major,
            minor: v.minor + 1,
            patch: 0,
            pre: String::new(),
        },
        _ => Version {
            major: v.major,
            minor: v.minor,
            patch: v.patch + 1,
            pre: String::new(),
        },
    }
}

fn check(op: &str, p: &Pattern, v: &Version) -> bool {
    if !v.pre.is_empty() && p.v.pre.is_empty() {
        return false;
    }
    let lo = &p.v;
    let ge = |x: &Version| v.cmp(x) != Ordering::Less;
    let lt = |x: &Version| v.cmp(x) == Ordering::Less;
    match op {
        "" | "=" | "==" => {
            if p.given == 0 {
                true
            } else if p.given < 3 {
                ge(lo) && lt(&bump(lo, p.given - 1))
            } else {
                v.cmp(lo) == Ordering::Equal
            }
        }
        "!=" => !check("=", p, v),
        ">" => {
            if p.given < 3 && p.given > 0 {
                ge(&bump(lo, p.given - 1))
            } else {
                v.cmp(lo) == Ordering::Greater
            }
        }
        ">=" | "=>" => ge(lo),
        "<" => lt(lo),
        "<=" | "=<" => {
            if p.given < 3 && p.given > 0 {
                lt(&bump(lo, p.given - 1))
            } else {
                v.cmp(lo) != Ordering::Greater
            }
        }
        "~" | "~>" => ge(lo) && lt(&bump(lo, if p.given <= 1 { 0 } else { 1 })),
        "^" => {
            let part = if lo.major > 0 || p.given <= 1 {
                0
            } else if lo.minor > 0 || p.given == 2 {
                1
            } else {
                2
            };
            ge(lo) && lt(&bump(lo, part))
        }
        _ => false,
    }
}

/// Whether `version` satisfies `constraint`. An unparsable constraint or version is an error.
pub fn matches(constraint: &str, version: &str) -> Result<bool, String> {
    let v =
        Version::parse(version).ok_or_else(|| format!("invalid semantic version {version:?}"))?;
    for alt in constraint.split("||") {
        let alt = alt.trim();
        // Hyphen range.
        if let Some((a, b)) = alt.split_once(" - ") {
            let (Some(pa), Some(pb)) = (pattern(a), pattern(b)) else {
                return Err(format!("improper constraint: {constraint}"));
            };
            if check(">=", &pa, &v) && check("<=", &pb, &v) {
                return Ok(true);
            }
            continue;
        }
        let mut all = true;
        let mut any = false;
        for term in alt.split([',', ' ']).filter(|t| !t.is_empty()) {
            let split = term
                .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
                .unwrap_or(term.len());
            let (op, ver) = term.split_at(split);
            let p = pattern(ver).ok_or_else(|| format!("improper constraint: {constraint}"))?;
            any = true;
            if !check(op.trim(), &p, &v) {
                all = false;
            }
        }
        if any && all {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn constraints() {
        for (c, v, want) in [
            (">=1.19-0", "v1.29.0", true),
            ("<1.19-0", "v1.29.0", false),
            (">=1.4-0, <1.16-0", "1.29.0", false),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("^1.2", "1.9.0", true),
            ("^0.2.3", "0.3.0", false),
            ("1.x", "1.4.0", true),
            ("<1.2 || >=1.29", "1.29.0", true),
            (">=1.2.3", "1.2.4-beta", false),
            ("1.2 - 1.4", "1.4.9", true),
        ] {
            assert_eq!(matches(c, v), Ok(want), "{c} {v}");
        }
        assert!(matches(">=x.y", "1.0.0").is_err());
        assert!(matches(">=1.0", "not-a-version").is_err());
    }
}
