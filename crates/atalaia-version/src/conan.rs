//! Conan (C, C++) versions and version ranges, as Conan 2's `Version` and `VersionRange`
//! read them.
//!
//! A version is dot-separated items, then optionally `-pre` and `+build` (split at the last
//! `+`, then at the last `-`; both are versions themselves). Items that are numbers compare as
//! numbers, other pairs compare as text; trailing zero items are ignored (`1.0 = 1`); a
//! version with a pre-release sorts before the same items without. Like Conan's own, this
//! order is not transitive when numeric and non-numeric items meet at one position
//! (`10 < 1a < 2 < 10`); versions of one shape are totally ordered.
//!
//! Ranges are `[>=1.0 <2.0]` (brackets optional): space-separated conditions with `>`, `<`,
//! `>=`, `<=`, `=`, `~` (bump the last item) and `^` (bump the first non-zero item), `||`
//! between alternatives, and `, include_prerelease` to admit pre-releases.

use std::cmp::Ordering;
use std::fmt;

use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// A Conan version.
#[derive(Debug, Clone)]
pub struct ConanVersion {
    text: Box<str>,
}

/// A borrowed view: main items, pre-release and build.
struct View<'a> {
    main: &'a str,
    pre: Option<&'a str>,
    build: Option<&'a str>,
}

fn view(s: &str) -> View<'_> {
    let (rest, build) = match s.rfind('+') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (main, pre) = match rest.rfind('-') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    View { main, pre, build }
}

fn is_num(item: &str) -> bool {
    !item.is_empty() && item.bytes().all(|c| c.is_ascii_digit())
}

fn is_zero(item: &str) -> bool {
    is_num(item) && item.bytes().all(|c| c == b'0')
}

fn cmp_item(a: &str, b: &str) -> Ordering {
    match (is_num(a), is_num(b)) {
        (true, true) => cmp_digits(a.as_bytes(), b.as_bytes()),
        (true, false) => strip(a).cmp(b),
        (false, true) => a.cmp(strip(b)),
        (false, false) => a.cmp(b),
    }
}

fn strip(n: &str) -> &str {
    let s = n.trim_start_matches('0');
    if s.is_empty() {
        "0"
    } else {
        s
    }
}

/// Compares the item lists without their trailing zero items.
fn cmp_main(a: &str, b: &str) -> Ordering {
    // Items up to the last non-zero one.
    let nonzero = |s: &str| {
        s.split('.')
            .enumerate()
            .filter(|(_, i)| !is_zero(i))
            .last()
            .map_or(0, |(k, _)| k + 1)
    };
    let (na, nb) = (nonzero(a), nonzero(b));
    let mut ia = a.split('.').take(na);
    let mut ib = b.split('.').take(nb);
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = cmp_item(x, y);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

fn cmp_opt(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => cmp_str(x, y),
    }
}

fn cmp_str(a: &str, b: &str) -> Ordering {
    let (x, y) = (view(a), view(b));
    let main = cmp_main(x.main, y.main);
    match (x.pre, y.pre) {
        (Some(p), Some(q)) => main
            .then_with(|| cmp_str(p, q))
            .then_with(|| cmp_opt(x.build, y.build)),
        (Some(_), None) => {
            if main == Ordering::Equal {
                Ordering::Less
            } else {
                main
            }
        }
        (None, Some(_)) => {
            if main == Ordering::Equal {
                Ordering::Greater
            } else {
                main
            }
        }
        (None, None) => main.then_with(|| cmp_opt(x.build, y.build)),
    }
}

impl ConanVersion {
    /// Parses a version: non-empty text without spaces.
    pub fn parse(input: &str) -> Result<ConanVersion, VersionError> {
        let s = input.trim();
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_graphic()) {
            return Err(VersionError::version(
                Scheme::Conan,
                input,
                "empty, or has spaces or control characters",
            ));
        }
        Ok(ConanVersion { text: s.into() })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn is_prerelease(&self) -> bool {
        view(&self.text).pre.is_some()
    }

    /// Conan's `upper_bound(index)`: bump item `index`, drop the rest, exclude pre-releases.
    fn upper_bound(&self, index: usize) -> Option<ConanVersion> {
        let items: Vec<&str> = view(&self.text).main.split('.').collect();
        let item = items.get(index)?;
        if !is_num(item) {
            return None;
        }
        let bumped: u128 = strip(item).parse::<u128>().ok()? + 1;
        let mut out: Vec<String> = items[..index].iter().map(|s| (*s).to_owned()).collect();
        out.push(bumped.to_string());
        Some(ConanVersion {
            text: format!("{}-", out.join(".")).into(),
        })
    }
}

impl Ord for ConanVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_str(&self.text, &other.text)
    }
}

impl PartialOrd for ConanVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ConanVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ConanVersion {}

impl fmt::Display for ConanVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

/// A Conan version range.
#[derive(Debug, Clone)]
pub struct ConanRange {
    alternatives: Vec<Vec<(Op, ConanVersion)>>,
    include_prerelease: bool,
}

impl ConanRange {
    /// Parses `[>=1.0 <2.0 || ^3.1, include_prerelease]`.
    pub fn parse(input: &str) -> Result<ConanRange, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Conan, input, reason);
        let mut s = input.trim();
        if let Some(inner) = s.strip_prefix('[') {
            s = inner.strip_suffix(']').ok_or_else(|| err("missing `]`"))?;
        }
        let (expr, options) = match s.split_once(',') {
            Some((e, o)) => (e, o),
            None => (s, ""),
        };
        let mut include_prerelease = false;
        for option in options.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            match option {
                "include_prerelease" | "include_prerelease=True" => include_prerelease = true,
                _ => return Err(err("unknown option")),
            }
        }
        let mut alternatives = Vec::new();
        for alternative in expr.split("||") {
            let mut conds = Vec::new();
            let tokens: Vec<&str> = alternative.split_whitespace().collect();
            if tokens.is_empty() {
                conds.push((
                    Op::Ge,
                    ConanVersion {
                        text: "0.0.0-".into(),
                    },
                ));
            }
            for token in tokens {
                if token == "*" {
                    conds.push((
                        Op::Ge,
                        ConanVersion {
                            text: "0.0.0-".into(),
                        },
                    ));
                    continue;
                }
                let (op, rest) = if let Some(r) = token.strip_prefix(">=") {
                    (">=", r)
                } else if let Some(r) = token.strip_prefix("<=") {
                    ("<=", r)
                } else if let Some(r) = token.strip_prefix(['>', '<', '=', '~', '^']) {
                    (&token[..1], r)
                } else {
                    ("=", token)
                };
                if rest.is_empty() {
                    return Err(err("an operator has no version"));
                }
                let v = ConanVersion::parse(rest)?;
                match op {
                    "~" | "^" => {
                        let base = if op == "~" && !rest.contains('-') {
                            ConanVersion {
                                text: format!("{rest}-").into(),
                            }
                        } else {
                            v.clone()
                        };
                        let items: Vec<&str> = view(&base.text).main.split('.').collect();
                        let index = if op == "~" {
                            items.len().saturating_sub(1)
                        } else {
                            items
                                .iter()
                                .position(|i| !is_zero(i))
                                .unwrap_or(items.len())
                        };
                        let upper = base
                            .upper_bound(index)
                            .ok_or_else(|| err("cannot bump a non-numeric item"))?;
                        conds.push((Op::Ge, base));
                        conds.push((Op::Lt, upper));
                    }
                    _ => {
                        let op = match op {
                            ">" => Op::Gt,
                            ">=" => Op::Ge,
                            "<" => Op::Lt,
                            "<=" => Op::Le,
                            _ => Op::Eq,
                        };
                        let needs_dash = matches!(op, Op::Ge | Op::Lt)
                            && !v.text.contains('-')
                            && view(&v.text).build.is_none();
                        let v = if needs_dash {
                            ConanVersion {
                                text: format!("{}-", v.text).into(),
                            }
                        } else {
                            v
                        };
                        conds.push((op, v));
                    }
                }
            }
            alternatives.push(conds);
        }
        Ok(ConanRange {
            alternatives,
            include_prerelease,
        })
    }

    /// Whether `v` is in the range.
    pub fn contains(&self, v: &ConanVersion) -> bool {
        if v.is_prerelease() && !self.include_prerelease {
            return false;
        }
        self.alternatives.iter().any(|conds| {
            conds.iter().all(|(op, bound)| {
                let ord = v.cmp(bound);
                match op {
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    Op::Eq => ord == Ordering::Equal,
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ConanVersion {
        ConanVersion::parse(s).unwrap()
    }

    fn sat(version: &str, range: &str) -> bool {
        ConanRange::parse(range).unwrap().contains(&v(version))
    }

    #[test]
    fn ordering() {
        assert_eq!(v("1.0"), v("1"));
        assert!(v("1.0-pre") < v("1.0"));
        assert!(v("1.2") < v("1.10"));
        assert!(v("1.0+b1") > v("1.0"));
        assert!(v("cci.20220101") < v("cci.20230101"));
    }

    #[test]
    fn ranges() {
        assert!(sat("1.5", "[>=1.0 <2.0]"));
        assert!(!sat("2.0-pre", "[>=1.0 <2.0]"));
        assert!(sat("2.0-pre", "[>=1.0 <2.1, include_prerelease]"));
        assert!(sat("2.5.9", "[~2.5]") && !sat("2.6", "[~2.5]"));
        assert!(sat("1.9", "[^1.2]") && !sat("2.0", "[^1.2]"));
        assert!(sat("3.0", "[<1.0 || >=3.0]"));
        assert!(sat("1.2.3", "1.2.3"));
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(ConanVersion::parse("").is_err());
        assert!(ConanVersion::parse("1 0").is_err());
        for bad in ["[>=1.0", "[>=]", "[~a.b]", "[1.0, bogus]"] {
            assert!(ConanRange::parse(bad).is_err(), "{bad}");
        }
    }
}
