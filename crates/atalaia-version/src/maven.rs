//! Maven versions and version ranges, as Maven's `ComparableVersion` and `VersionRange` read
//! them.
//!
//! A version is cut into items at `.` and `-` and at every switch between digits and letters;
//! a `-` (or a switch) opens a nested list. Numbers compare as numbers of any size; known
//! qualifiers order `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
//! < sp`, and unknown qualifiers sort after them, case-insensitively; `a1`, `b1`, `m1` mean
//! `alpha-1`, `beta-1`, `milestone-1`. Trailing zeros and empty qualifiers are dropped, so
//! `1 = 1.0 = 1-0 = 1.0.0-ga`. This follows `ComparableVersion` of Maven 3.8.7 and later
//! (with the MNG-5568, MNG-6572, MNG-6964 and MNG-7644 fixes: `1.0.0.RC1` reads as
//! `1.0.0-RC1`, and `2.0.a = 2-a = 2.0.0.a`), and is tested against Maven's own jar.
//!
//! Parsing stores only the text; a comparison re-reads both versions into stack buffers, so it
//! does not allocate for versions of up to 32 items.

use std::cmp::Ordering;
use std::fmt;

use crate::constraint::Disjunction;
use crate::util::{cmp_digits, SmallBuf};
use crate::{Scheme, VersionError};

/// A Maven version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    text: Box<str>,
}

#[derive(Debug, Clone, Copy, Default)]
enum Item {
    /// The rest of the list is a nested list (always the last element of its list).
    #[default]
    Sub,
    /// Digits `text[a..b]` (an empty range is zero).
    Int(u32, u32),
    Str(Qual),
}

#[derive(Debug, Clone, Copy)]
enum Qual {
    /// Index in `alpha, beta, milestone, rc, snapshot, "", sp`.
    Known(u8),
    /// Unknown qualifier `text[a..b]`, compared case-insensitively.
    Other(u32, u32),
}

const RELEASE: u8 = 5;
/// Longest accepted version: comparisons re-read both versions, so bound the work.
const MAX_LEN: usize = 1024;
const KNOWN: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

type Items = SmallBuf<Item, 32>;

fn string_item(s: &str, a: usize, b: usize, followed_by_digit: bool) -> Item {
    let word = &s[a..b];
    if followed_by_digit && word.len() == 1 {
        match word.as_bytes()[0].to_ascii_lowercase() {
            b'a' => return Item::Str(Qual::Known(0)),
            b'b' => return Item::Str(Qual::Known(1)),
            b'm' => return Item::Str(Qual::Known(2)),
            _ => {}
        }
    }
    for alias in ["ga", "final", "release"] {
        if word.eq_ignore_ascii_case(alias) {
            return Item::Str(Qual::Known(RELEASE));
        }
    }
    if word.eq_ignore_ascii_case("cr") {
        return Item::Str(Qual::Known(3));
    }
    match KNOWN.iter().position(|k| word.eq_ignore_ascii_case(k)) {
        Some(i) => Item::Str(Qual::Known(i as u8)),
        None => Item::Str(Qual::Other(a as u32, b as u32)),
    }
}

fn parse_item(s: &str, is_digit: bool, a: usize, b: usize) -> Item {
    if is_digit {
        Item::Int(a as u32, b as u32)
    } else {
        string_item(s, a, b, false)
    }
}

fn is_null(s: &str, item: Item) -> bool {
    match item {
        Item::Int(a, b) => s.as_bytes()[a as usize..b as usize]
            .iter()
            .all(|&c| c == b'0'),
        Item::Str(Qual::Known(k)) => k == RELEASE,
        Item::Str(Qual::Other(..)) | Item::Sub => false,
    }
}

/// Whether the list being filled (the items after the last `Sub`) is empty.
fn list_is_empty(buf: &Items) -> bool {
    matches!(buf.as_slice().last(), None | Some(Item::Sub))
}

fn items(s: &str) -> Items {
    let bytes = s.as_bytes();
    let mut buf = Items::new();
    let mut is_digit = false;
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'.' || c == b'-' {
            if i == start {
                buf.push(Item::Int(0, 0));
            } else {
                buf.push(parse_item(s, is_digit, start, i));
            }
            start = i + 1;
            if c == b'-' {
                buf.push(Item::Sub);
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // MNG-7644: `1.0.0.RC1` reads as `1.0.0-RC1`.
                if !list_is_empty(&buf) {
                    buf.push(Item::Sub);
                }
                buf.push(string_item(s, start, i, true));
                start = i;
                buf.push(Item::Sub);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                buf.push(parse_item(s, true, start, i));
                start = i;
                buf.push(Item::Sub);
            }
            is_digit = false;
        }
    }
    if bytes.len() > start {
        // MNG-7644: a trailing qualifier after `.` opens a list, as after `-`.
        if !is_digit && !list_is_empty(&buf) {
            buf.push(Item::Sub);
        }
        buf.push(parse_item(s, is_digit, start, bytes.len()));
    }
    normalize(s, &mut buf);
    buf
}

/// `ListItem.normalize()` of every nested list, innermost first.
fn normalize(s: &str, buf: &mut Items) {
    let mut seg_end = buf.len();
    loop {
        let sub_pos = buf.as_slice()[..seg_end]
            .iter()
            .rposition(|x| matches!(x, Item::Sub));
        let seg_start = sub_pos.map_or(0, |p| p + 1);
        while seg_end > seg_start && is_null(s, buf.as_slice()[seg_end - 1]) {
            buf.remove(seg_end - 1);
            seg_end -= 1;
        }
        let has_child = seg_end < buf.len();
        match sub_pos {
            Some(p) if seg_start == seg_end && !has_child => {
                buf.remove(p);
                seg_end = p;
            }
            Some(p) => seg_end = p,
            None => break,
        }
    }
}

#[derive(Clone, Copy)]
enum Elem<'a> {
    Int(u32, u32),
    Str(Qual),
    List(&'a [Item]),
}

fn next_elem<'a>(list: &'a [Item], i: &mut usize) -> Option<Elem<'a>> {
    let item = *list.get(*i)?;
    *i += 1;
    Some(match item {
        Item::Sub => {
            let rest = &list[*i..];
            *i = list.len();
            Elem::List(rest)
        }
        Item::Int(a, b) => Elem::Int(a, b),
        Item::Str(q) => Elem::Str(q),
    })
}

struct Cmp<'a> {
    a: &'a str,
    b: &'a str,
}

impl Cmp<'_> {
    fn swap(&self) -> Cmp<'_> {
        Cmp {
            a: self.b,
            b: self.a,
        }
    }

    fn qual(&self, x: Qual, y: Qual) -> Ordering {
        match (x, y) {
            (Qual::Known(p), Qual::Known(q)) => p.cmp(&q),
            (Qual::Known(_), Qual::Other(..)) => Ordering::Less,
            (Qual::Other(..), Qual::Known(_)) => Ordering::Greater,
            (Qual::Other(a0, a1), Qual::Other(b0, b1)) => {
                let x = self.a.as_bytes()[a0 as usize..a1 as usize]
                    .iter()
                    .map(u8::to_ascii_lowercase);
                let y = self.b.as_bytes()[b0 as usize..b1 as usize]
                    .iter()
                    .map(u8::to_ascii_lowercase);
                x.cmp(y)
            }
        }
    }

    /// `item.compareTo(null)`, for an item of `a`.
    fn with_null(&self, x: Elem<'_>) -> Ordering {
        match x {
            Elem::Int(p, q) => {
                if self.a.as_bytes()[p as usize..q as usize]
                    .iter()
                    .all(|&c| c == b'0')
                {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            Elem::Str(q) => self.qual(q, Qual::Known(RELEASE)),
            Elem::List(list) => {
                let mut i = 0;
                while let Some(e) = next_elem(list, &mut i) {
                    let ord = self.with_null(e);
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                Ordering::Equal
            }
        }
    }

    fn elem(&self, x: Elem<'_>, y: Elem<'_>) -> Ordering {
        match (x, y) {
            (Elem::Int(a0, a1), Elem::Int(b0, b1)) => cmp_digits(
                &self.a.as_bytes()[a0 as usize..a1 as usize],
                &self.b.as_bytes()[b0 as usize..b1 as usize],
            ),
            (Elem::Int(..), _) => Ordering::Greater,
            (Elem::Str(_), Elem::Int(..)) => Ordering::Less,
            (Elem::Str(p), Elem::Str(q)) => self.qual(p, q),
            (Elem::Str(_), Elem::List(_)) => Ordering::Less,
            (Elem::List(_), Elem::Int(..)) => Ordering::Less,
            (Elem::List(_), Elem::Str(_)) => Ordering::Greater,
            (Elem::List(p), Elem::List(q)) => self.list(p, q),
        }
    }

    fn list(&self, a: &[Item], b: &[Item]) -> Ordering {
        let (mut i, mut j) = (0, 0);
        loop {
            let ord = match (next_elem(a, &mut i), next_elem(b, &mut j)) {
                (None, None) => return Ordering::Equal,
                (None, Some(r)) => self.swap().with_null(r).reverse(),
                (Some(l), None) => self.with_null(l),
                (Some(l), Some(r)) => self.elem(l, r),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
    }
}

impl MavenVersion {
    /// Parses a version: any non-empty ASCII text without spaces or control characters.
    pub fn parse(input: &str) -> Result<MavenVersion, VersionError> {
        let err = |reason| VersionError::version(Scheme::Maven, input, reason);
        if input.is_empty() {
            return Err(err("version string is empty"));
        }
        if !input.bytes().all(|c| c.is_ascii_graphic()) {
            return Err(err(
                "version string has spaces, control or non-ASCII characters",
            ));
        }
        if input.len() > MAX_LEN {
            return Err(err("version string is longer than 1024 bytes"));
        }
        Ok(MavenVersion { text: input.into() })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maven's canonical form (`getCanonical()`), e.g. `1-alpha-1` for `1a1`.
    pub fn canonical(&self) -> String {
        let buf = items(&self.text);
        let mut out = String::new();
        let mut first = true;
        for item in buf.as_slice() {
            match item {
                Item::Sub => {
                    out.push('-');
                    first = true;
                    continue;
                }
                _ if !first => out.push('.'),
                _ => {}
            }
            first = false;
            match *item {
                Item::Int(a, b) => {
                    let digits = self.text[a as usize..b as usize].trim_start_matches('0');
                    out.push_str(if digits.is_empty() { "0" } else { digits });
                }
                Item::Str(Qual::Known(k)) => out.push_str(KNOWN[k as usize]),
                Item::Str(Qual::Other(a, b)) => {
                    out.push_str(&self.text[a as usize..b as usize].to_ascii_lowercase())
                }
                Item::Sub => {}
            }
        }
        out
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let a = items(&self.text);
        let b = items(&other.text);
        Cmp {
            a: &self.text,
            b: &other.text,
        }
        .list(a.as_slice(), b.as_slice())
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One bracketed restriction of a Maven range.
#[derive(Debug, Clone)]
struct Restriction {
    lower: Option<(MavenVersion, bool)>,
    upper: Option<(MavenVersion, bool)>,
}

impl Restriction {
    fn contains(&self, v: &MavenVersion) -> bool {
        let above = self
            .lower
            .as_ref()
            .is_none_or(|(l, inclusive)| match v.cmp(l) {
                Ordering::Greater => true,
                Ordering::Equal => *inclusive,
                Ordering::Less => false,
            });
        let below = self
            .upper
            .as_ref()
            .is_none_or(|(u, inclusive)| match v.cmp(u) {
                Ordering::Less => true,
                Ordering::Equal => *inclusive,
                Ordering::Greater => false,
            });
        above && below
    }
}

/// A Maven version range: `[1.0,2.0)`, `(,1.0],[1.2,)`, `[1.5]`; also a bare version (exact,
/// unlike Maven's "soft" requirement, which would match everything) or a comparator list
/// (`>= 1.0, < 2.0`).
#[derive(Debug, Clone)]
pub struct MavenRange {
    inner: RangeInner,
}

#[derive(Debug, Clone)]
enum RangeInner {
    Restrictions(Vec<Restriction>),
    Comparators(Disjunction<MavenVersion>),
}

impl MavenRange {
    /// Parses a range.
    pub fn parse(input: &str) -> Result<MavenRange, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Maven, input, reason);
        let s = input.trim();
        if s.is_empty() {
            return Err(err("empty range"));
        }
        if !s.starts_with(['[', '(']) {
            if s.starts_with(['<', '>', '=', '!']) {
                let d = Disjunction::parse(Scheme::Maven, s, MavenVersion::parse)?;
                return Ok(MavenRange {
                    inner: RangeInner::Comparators(d),
                });
            }
            let v = MavenVersion::parse(s)?;
            let r = Restriction {
                lower: Some((v.clone(), true)),
                upper: Some((v, true)),
            };
            return Ok(MavenRange {
                inner: RangeInner::Restrictions(vec![r]),
            });
        }
        let mut rest = s;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let lower_inclusive = match rest.as_bytes()[0] {
                b'[' => true,
                b'(' => false,
                _ => return Err(err("a restriction must start with `[` or `(`")),
            };
            let close = rest
                .find([']', ')'])
                .ok_or_else(|| err("unbounded restriction"))?;
            let upper_inclusive = rest.as_bytes()[close] == b']';
            let body = &rest[1..close];
            let version = |t: &str| -> Result<Option<MavenVersion>, VersionError> {
                let t = t.trim();
                if t.is_empty() {
                    Ok(None)
                } else {
                    MavenVersion::parse(t).map(Some)
                }
            };
            let restriction = match body.split_once(',') {
                None => {
                    if !lower_inclusive || !upper_inclusive {
                        return Err(err("a single version must be in `[` `]`"));
                    }
                    let v = version(body)?.ok_or_else(|| err("empty restriction"))?;
                    Restriction {
                        lower: Some((v.clone(), true)),
                        upper: Some((v, true)),
                    }
                }
                Some((lo, hi)) => {
                    if hi.contains(',') {
                        return Err(err("a restriction has more than two bounds"));
                    }
                    let lower = version(lo)?;
                    let upper = version(hi)?;
                    if let (Some(l), Some(u)) = (&lower, &upper) {
                        if u < l || (u == l && !(lower_inclusive && upper_inclusive)) {
                            return Err(err("range defies version ordering"));
                        }
                    }
                    Restriction {
                        lower: lower.map(|v| (v, lower_inclusive)),
                        upper: upper.map(|v| (v, upper_inclusive)),
                    }
                }
            };
            out.push(restriction);
            rest = rest[close + 1..].trim_start();
            if let Some(r) = rest.strip_prefix(',') {
                rest = r.trim_start();
                if rest.is_empty() {
                    return Err(err("trailing comma"));
                }
            } else if !rest.is_empty() {
                return Err(err("restrictions must be separated by `,`"));
            }
        }
        Ok(MavenRange {
            inner: RangeInner::Restrictions(out),
        })
    }

    /// Whether `v` is in the range.
    pub fn contains(&self, v: &MavenVersion) -> bool {
        match &self.inner {
            RangeInner::Restrictions(rs) => rs.iter().any(|r| r.contains(v)),
            RangeInner::Comparators(d) => d.matches(v, |a, b| a.cmp(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap()
    }

    #[test]
    fn qualifiers_and_padding() {
        assert!(v("1.0-alpha-1") < v("1.0-beta-1"));
        assert!(v("1.0-SNAPSHOT") < v("1.0"));
        assert!(v("1.0") < v("1.0-sp"));
        assert_eq!(v("1.0.0"), v("1"));
        assert_eq!(v("1-ga"), v("1"));
        assert_eq!(v("1a1").canonical(), "1-alpha-1");
        assert_eq!(v("1.0.0-RC1").canonical(), "1-rc-1");
        // MNG-7644 (testMng7644 of Maven's ComparableVersionTest).
        for x in [
            "abc",
            "alpha",
            "a",
            "beta",
            "b",
            "def",
            "milestone",
            "m",
            "RC",
        ] {
            assert!(v(&format!("1.0.0.{x}1")) < v(&format!("1.0.0-{x}2")), "{x}");
            assert_eq!(v(&format!("2-{x}")), v(&format!("2.0.{x}")), "{x}");
            assert_eq!(v(&format!("2-{x}")), v(&format!("2.0.0.{x}")), "{x}");
        }
    }

    #[test]
    fn ranges() {
        let r = MavenRange::parse("[1.0,2.0)").unwrap();
        assert!(r.contains(&v("1.0")) && r.contains(&v("1.9.9")) && !r.contains(&v("2.0")));
        let r = MavenRange::parse("(,1.0],[1.2,)").unwrap();
        assert!(r.contains(&v("0.9")) && !r.contains(&v("1.1")) && r.contains(&v("5")));
        assert!(MavenRange::parse("[1.5]").unwrap().contains(&v("1.5.0")));
        assert!(MavenRange::parse(">= 1.0, < 2")
            .unwrap()
            .contains(&v("1.5")));
    }

    #[test]
    fn malformed_input_is_an_error() {
        for bad in [
            "[1.0",
            "(1.0)",
            "[2.0,1.0]",
            "[1.0,2.0),",
            "[1,2,3]",
            "[1.0] [2.0]",
            "",
            "1 0",
        ] {
            assert!(MavenRange::parse(bad).is_err(), "{bad}");
        }
        assert!(MavenVersion::parse("1.0 ").is_err());
    }
}
