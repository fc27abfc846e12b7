//! Ruby gem versions and requirements, as `Gem::Version` and `Gem::Requirement` read them.
//!
//! A version is digits, then `.`-separated alphanumerics, then optionally `-` and a
//! pre-release (each `-` reads as `.pre.`); it is cut into runs of digits and runs of letters.
//! Trailing zeros of the numeric part and of the rest are dropped (`1.0 = 1`); letters sort
//! before numbers, so any version with letters is a pre-release of the numbers before them;
//! letter runs compare as (case-sensitive) strings. A blank version is `0`.
//!
//! Requirements are comma-separated `op version` terms (a bare version means `=`) (`=`, `!=`, `>`, `<`, `>=`, `<=`,
//! `~>`); `~> 2.2.1` means `>= 2.2.1, < 2.3` (the "pessimistic" bump of the release).

use std::cmp::Ordering;
use std::fmt;

use crate::util::{cmp_digits, SmallBuf};
use crate::{Scheme, VersionError};

/// A gem version.
#[derive(Debug, Clone)]
pub struct GemVersion {
    text: Box<str>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Seg {
    /// The `pre` that a `-` stands for.
    #[default]
    Pre,
    Num(u32, u32),
    Str(u32, u32),
}

type Segs = SmallBuf<Seg, 16>;

fn ruby_strip(s: &str) -> &str {
    s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\0'))
}

fn valid(s: &str) -> bool {
    let (main, pre) = match s.find('-') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = main.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|p| {
        p.split('.')
            .all(|x| !x.is_empty() && x.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
    });
    first_ok && rest_ok && pre_ok
}

fn segments(s: &str) -> Segs {
    let b = s.as_bytes();
    let mut out = Segs::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'-' {
            out.push(Seg::Pre);
            i += 1;
        } else if c.is_ascii_digit() {
            let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            out.push(Seg::Num(i as u32, (i + n) as u32));
            i += n;
        } else if c.is_ascii_alphabetic() {
            let n = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            out.push(Seg::Str(i as u32, (i + n) as u32));
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

impl GemVersion {
    /// Parses a version (`Gem::Version.new`); blank means `0`.
    pub fn parse(input: &str) -> Result<GemVersion, VersionError> {
        let s = ruby_strip(input);
        let s = if s.is_empty() { "0" } else { s };
        if !valid(s) || s.len() > u32::MAX as usize {
            return Err(VersionError::version(
                Scheme::Rubygems,
                input,
                "Malformed version number string",
            ));
        }
        Ok(GemVersion { text: s.into() })
    }

    /// The version as written (stripped; `0` for a blank one).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the version has letters (`Gem::Version#prerelease?`).
    pub fn is_prerelease(&self) -> bool {
        self.text
            .bytes()
            .any(|c| c.is_ascii_alphabetic() || c == b'-')
    }

    fn num(&self, seg: Seg) -> &str {
        match seg {
            Seg::Num(a, b) | Seg::Str(a, b) => &self.text[a as usize..b as usize],
            Seg::Pre => "pre",
        }
    }

    /// The numbers before the first letter run (`segments` of `#release`).
    fn release_numbers(&self) -> impl Iterator<Item = &str> {
        let segs = segments(&self.text);
        let n = segs
            .as_slice()
            .iter()
            .take_while(|s| matches!(s, Seg::Num(..)))
            .count();
        let ranges: Vec<Seg> = segs.as_slice()[..n].to_vec();
        ranges.into_iter().map(move |s| self.num(s))
    }

    /// Compares `self.release()` with an all-numeric version without building it.
    fn cmp_release_with(&self, numeric: &GemVersion) -> Ordering {
        let a = segments(&self.text);
        let b = segments(&numeric.text);
        let na = a
            .as_slice()
            .iter()
            .take_while(|s| matches!(s, Seg::Num(..)))
            .count();
        let nb = b
            .as_slice()
            .iter()
            .take_while(|s| matches!(s, Seg::Num(..)))
            .count();
        for i in 0..na.max(nb) {
            let x = if i < na {
                self.num(a.as_slice()[i])
            } else {
                "0"
            };
            let y = if i < nb {
                numeric.num(b.as_slice()[i])
            } else {
                "0"
            };
            let ord = cmp_digits(x.as_bytes(), y.as_bytes());
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }

    /// `Gem::Version#bump`: drop letter runs and the last number, then add one to the new last.
    pub fn bump(&self) -> GemVersion {
        let mut nums: Vec<&str> = self.release_numbers().collect();
        if nums.len() > 1 {
            nums.pop();
        }
        let last = nums.pop().unwrap_or("0");
        let mut out: Vec<String> = nums.iter().map(|s| (*s).to_owned()).collect();
        out.push(increment(last));
        GemVersion {
            text: out.join(".").into(),
        }
    }

    /// `Gem::Version#release`: the version without its pre-release part.
    pub fn release(&self) -> GemVersion {
        if !self.is_prerelease() {
            return self.clone();
        }
        let nums: Vec<&str> = self.release_numbers().collect();
        let text = if nums.is_empty() {
            "0".to_owned()
        } else {
            nums.join(".")
        };
        GemVersion { text: text.into() }
    }
}

fn increment(digits: &str) -> String {
    let mut d: Vec<u8> = digits.trim_start_matches('0').bytes().collect();
    let mut i = d.len();
    loop {
        if i == 0 {
            d.insert(0, b'1');
            break;
        }
        i -= 1;
        if d[i] == b'9' {
            d[i] = b'0';
        } else {
            d[i] += 1;
            break;
        }
    }
    String::from_utf8(d).unwrap_or_else(|_| "1".to_owned())
}

/// The canonical segments: trailing zeros dropped from the numeric part and from the rest.
fn canonical(v: &GemVersion) -> Segs {
    let segs = segments(&v.text);
    let s = segs.as_slice();
    let is_zero = |seg: &Seg| matches!(seg, Seg::Num(a, b) if v.text[*a as usize..*b as usize].bytes().all(|c| c == b'0'));
    let split = s
        .iter()
        .position(|x| !matches!(x, Seg::Num(..)))
        .unwrap_or(s.len());
    let mut out = Segs::new();
    let mut num_end = split;
    while num_end > 0 && is_zero(&s[num_end - 1]) {
        num_end -= 1;
    }
    let mut rest_end = s.len();
    while rest_end > split && is_zero(&s[rest_end - 1]) {
        rest_end -= 1;
    }
    for seg in s[..num_end].iter().chain(&s[split..rest_end]) {
        out.push(*seg);
    }
    out
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.text == other.text {
            return Ordering::Equal;
        }
        let a = canonical(self);
        let b = canonical(other);
        let (a, b) = (a.as_slice(), b.as_slice());
        for i in 0..a.len().max(b.len()) {
            let l = a.get(i).copied();
            let r = b.get(i).copied();
            let is_num = |s: Option<Seg>| matches!(s, None | Some(Seg::Num(..)));
            let ord = match (is_num(l), is_num(r)) {
                (true, true) => {
                    let x = l.map_or("0", |s| self.num(s));
                    let y = r.map_or("0", |s| other.num(s));
                    cmp_digits(x.as_bytes(), y.as_bytes())
                }
                (false, true) => Ordering::Less,
                (true, false) => Ordering::Greater,
                (false, false) => self
                    .num(l.unwrap_or_default())
                    .cmp(other.num(r.unwrap_or_default())),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

impl fmt::Display for GemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReqOp {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Pessimistic,
}

/// A `Gem::Requirement`: every term must hold.
#[derive(Debug, Clone)]
pub struct Requirement {
    terms: Vec<(ReqOp, GemVersion, Option<GemVersion>)>,
}

impl Requirement {
    /// Parses `~> 1.2, >= 1.2.3` (an empty string is ill-formed, as in `Gem::Requirement.parse`).
    pub fn parse(input: &str) -> Result<Requirement, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Rubygems, input, reason);
        let mut terms = Vec::new();
        if ruby_strip(input).is_empty() {
            return Err(err("Illformed requirement [\"\"]"));
        }
        for term in input.split(',') {
            let t = ruby_strip(term);
            const OPS: [(&str, ReqOp); 7] = [
                ("~>", ReqOp::Pessimistic),
                (">=", ReqOp::Ge),
                ("<=", ReqOp::Le),
                ("!=", ReqOp::Ne),
                ("=", ReqOp::Eq),
                (">", ReqOp::Gt),
                ("<", ReqOp::Lt),
            ];
            let (op, rest) = OPS
                .iter()
                .find_map(|(text, op)| t.strip_prefix(text).map(|r| (*op, r)))
                .unwrap_or((ReqOp::Eq, t));
            let rest = ruby_strip(rest);
            if rest.is_empty() {
                return Err(err("a requirement term has no version"));
            }
            let version = GemVersion::parse(rest).map_err(|_| err("Illformed requirement"))?;
            let bump = (op == ReqOp::Pessimistic).then(|| version.bump());
            terms.push((op, version, bump));
        }
        Ok(Requirement { terms })
    }

    /// Whether `v` satisfies every term.
    pub fn satisfied_by(&self, v: &GemVersion) -> bool {
        self.terms.iter().all(|(op, r, bump)| match op {
            ReqOp::Eq => v == r,
            ReqOp::Ne => v != r,
            ReqOp::Gt => v > r,
            ReqOp::Lt => v < r,
            ReqOp::Ge => v >= r,
            ReqOp::Le => v <= r,
            ReqOp::Pessimistic => {
                v >= r
                    && bump
                        .as_ref()
                        .is_some_and(|b| v.cmp_release_with(b) == Ordering::Less)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GemVersion {
        GemVersion::parse(s).unwrap()
    }

    fn sat(version: &str, req: &str) -> bool {
        Requirement::parse(req).unwrap().satisfied_by(&v(version))
    }

    #[test]
    fn ordering_and_bump() {
        assert!(v("1.0.a") < v("1.0"));
        assert_eq!(v("1.0"), v("1"));
        assert_eq!(v(""), v("0"));
        assert_eq!(v("5.2.4.a10").bump().as_str(), "5.3");
        assert_eq!(v("5").bump().as_str(), "6");
        assert_eq!(v("1.9.3.alpha.5").release().as_str(), "1.9.3");
        assert_eq!(increment("199"), "200");
    }

    #[test]
    fn requirements() {
        assert!(sat("2.2.5", "~> 2.2.1"));
        assert!(!sat("2.3.0", "~> 2.2.1"));
        assert!(sat("2.9", "~> 2.2"));
        assert!(!sat("3.0", "~> 2.2"));
        assert!(!sat("2.3.0.beta", "~> 2.2.1"));
        assert!(sat("1.5", "> 1, < 2"));
    }

    #[test]
    fn malformed_input_is_an_error() {
        for bad in ["junk", "1.0\n2.0", "1..2", "1.2 3.4", "1.0-", "-1"] {
            assert!(GemVersion::parse(bad).is_err(), "{bad:?}");
        }
        for bad in ["~>", "> junk", "1.0,,2", "=> 1"] {
            assert!(Requirement::parse(bad).is_err(), "{bad}");
        }
    }
}
