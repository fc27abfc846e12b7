//! npm versions and ranges, as node-semver reads them.
//!
//! Versions are SemVer 2.0.0 with a leading `v` allowed (and, in loose mode, `=`, spaces,
//! leading zeros and a pre-release without its `-`). Ranges follow node-semver's grammar:
//! `||` alternatives of space-separated comparators; `1.2.3 - 2.3.4` hyphen ranges; x-ranges
//! (`1.x`, `1.2.*`, `1`); tilde (`~1.2.3` allows patch updates); caret (`^1.2.3` allows
//! updates that do not change the left-most non-zero part). A version with a pre-release
//! satisfies a range only if some comparator of the matching alternative names the same
//! `major.minor.patch` with a pre-release too, unless `include_prerelease` is set.

use std::cmp::Ordering;
use std::fmt;

use crate::semver::SemVersion;
use crate::{Scheme, VersionError};

/// node-semver's `MAX_SAFE_INTEGER` bound on version numbers.
const MAX_SAFE: u64 = (1 << 53) - 1;
/// node-semver's `MAX_LENGTH` bound on version strings.
const MAX_LENGTH: usize = 256;

/// node-semver options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Loose parsing (`=1.2.3`, `1.2.3beta`, `01.2.3`).
    pub loose: bool,
    /// Let pre-release versions satisfy ranges without a pre-release comparator.
    pub include_prerelease: bool,
}

/// An npm version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NpmVersion {
    sem: SemVersion,
}

impl NpmVersion {
    /// Parses a version strictly (a leading `v` and surrounding spaces allowed).
    pub fn parse(input: &str) -> Result<NpmVersion, VersionError> {
        Self::parse_with(input, Options::default())
    }

    /// Parses a version with node-semver `options` (only `loose` matters here).
    pub fn parse_with(input: &str, options: Options) -> Result<NpmVersion, VersionError> {
        let err = |reason| VersionError::version(Scheme::Npm, input, reason);
        if input.len() > MAX_LENGTH {
            return Err(err("version is longer than 256 characters"));
        }
        let s = input.trim();
        let body = if options.loose {
            s.trim_start_matches(|c: char| c == 'v' || c == '=' || c.is_whitespace())
        } else {
            s.strip_prefix('v').unwrap_or(s)
        };
        let sem = SemVersion::from_core(s, s.len() - body.len(), options.loose).map_err(err)?;
        if sem.major() > MAX_SAFE || sem.minor() > MAX_SAFE || sem.patch() > MAX_SAFE {
            return Err(err("a version number is above 2^53 - 1"));
        }
        Ok(NpmVersion { sem })
    }

    /// The version as written (trimmed).
    pub fn as_str(&self) -> &str {
        self.sem.as_str()
    }

    /// The SemVer view of the version.
    pub fn semver(&self) -> &SemVersion {
        &self.sem
    }
}

impl fmt::Display for NpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One comparator; `None` is node-semver's `ANY` (the empty comparator).
#[derive(Debug, Clone)]
struct Comparator {
    op: Op,
    version: Option<SemVersion>,
}

impl Comparator {
    fn new(op: Op, major: u64, minor: u64, patch: u64, pre: &str) -> Comparator {
        Comparator {
            op,
            version: Some(SemVersion::from_parts(major, minor, patch, pre)),
        }
    }

    fn any() -> Comparator {
        Comparator {
            op: Op::Eq,
            version: None,
        }
    }

    fn is_null_set(&self) -> bool {
        self.op == Op::Lt
            && self
                .version
                .as_ref()
                .is_some_and(|v| v.triple() == (0, 0, 0) && v.pre() == "0")
    }

    fn key(&self) -> Option<(u8, (u64, u64, u64), &str)> {
        self.version
            .as_ref()
            .map(|v| (self.op as u8, v.triple(), v.pre()))
    }

    fn test(&self, v: &SemVersion) -> bool {
        let Some(bound) = &self.version else {
            return true;
        };
        let ord = v.cmp(bound);
        match self.op {
            Op::Eq => ord == Ordering::Equal,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
        }
    }
}

/// A node-semver range: parse once, test many versions.
#[derive(Debug, Clone)]
pub struct Range {
    set: Vec<Vec<Comparator>>,
    options: Options,
}

/// One part of an x-range: a number or a wildcard (`x`, `X`, `*`, or missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'a> {
    X,
    N(u64, &'a str),
}

impl Part<'_> {
    fn is_x(self) -> bool {
        self == Part::X
    }

    fn n(self) -> u64 {
        match self {
            Part::X => 0,
            Part::N(n, _) => n,
        }
    }

    /// node-semver compares the captured text with `'0'`.
    fn is_zero_text(self) -> bool {
        matches!(self, Part::N(_, "0"))
    }
}

/// node-semver's `XRANGEPLAIN` (strict or loose), with what precedes the major number.
#[derive(Debug, Clone, Copy)]
struct XRange<'a> {
    prefix: &'a str,
    major: Part<'a>,
    minor: Part<'a>,
    patch: Part<'a>,
    pre: &'a str,
    has_patch: bool,
}

type RangeError = &'static str;

fn parse_part(s: &str, loose: bool) -> Result<Option<(Part<'_>, usize)>, RangeError> {
    match s.as_bytes().first() {
        Some(b'x' | b'X' | b'*') => Ok(Some((Part::X, 1))),
        Some(c) if c.is_ascii_digit() => {
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            let text = &s[..n];
            if !loose && n > 1 && text.starts_with('0') {
                return Ok(None);
            }
            let value: u64 = text.parse().map_err(|_| "a version number is too large")?;
            if value > MAX_SAFE {
                return Err("a version number is above 2^53 - 1");
            }
            Ok(Some((Part::N(value, text), n)))
        }
        _ => Ok(None),
    }
}

fn parse_xrange(s: &str, loose: bool) -> Result<Option<XRange<'_>>, RangeError> {
    let body = s.trim_start_matches(|c: char| c == 'v' || c == '=' || c.is_whitespace());
    let prefix = &s[..s.len() - body.len()];
    let Some((major, n)) = parse_part(body, loose)? else {
        return Ok(None);
    };
    let mut rest = &body[n..];
    let mut x = XRange {
        prefix,
        major,
        minor: Part::X,
        patch: Part::X,
        pre: "",
        has_patch: false,
    };
    if let Some(r) = rest.strip_prefix('.') {
        let Some((minor, n)) = parse_part(r, loose)? else {
            return Ok(None);
        };
        x.minor = minor;
        rest = &r[n..];
        if let Some(r) = rest.strip_prefix('.') {
            let Some((patch, n)) = parse_part(r, loose)? else {
                return Ok(None);
            };
            x.patch = patch;
            x.has_patch = true;
            rest = &r[n..];
            let (pre_text, build) = match rest.find('+') {
                Some(p) => (&rest[..p], Some(&rest[p + 1..])),
                None => (rest, None),
            };
            if !pre_text.is_empty() {
                let pre = match pre_text.strip_prefix('-').filter(|p| !p.is_empty()) {
                    Some(p) => p,
                    None if loose => pre_text,
                    None => return Ok(None),
                };
                let ok = pre.split('.').all(|id| {
                    !id.is_empty()
                        && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                        && (loose
                            || !(id.len() > 1
                                && id.starts_with('0')
                                && id.bytes().all(|c| c.is_ascii_digit())))
                });
                if !ok {
                    return Ok(None);
                }
                x.pre = pre;
            }
            if let Some(build) = build {
                let ok = build.split('.').all(|id| {
                    !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                });
                if !ok {
                    return Ok(None);
                }
            }
            rest = "";
        }
    }
    Ok(rest.is_empty().then_some(x))
}

/// Splits a leading `GTLT` operator (`<`, `>`, `<=`, `>=`, `=` or nothing).
fn split_gtlt(s: &str) -> (&str, &str) {
    let n = match s.as_bytes() {
        [b'<' | b'>', b'=', ..] => 2,
        [b'<' | b'>' | b'=', ..] => 1,
        _ => 0,
    };
    (&s[..n], &s[n..])
}

impl Range {
    /// Parses a range with node-semver `options`.
    pub fn parse(input: &str, options: Options) -> Result<Range, VersionError> {
        Self::parse_inner(input, options)
            .map_err(|reason| VersionError::constraint(Scheme::Npm, input, reason))
    }

    /// Parses a range of the `semver` scheme: npm's grammar, where `,` also separates terms.
    pub fn parse_semver(input: &str) -> Result<Range, VersionError> {
        let spaced = input.replace(',', " ");
        Self::parse_inner(&spaced, Options::default())
            .map_err(|reason| VersionError::constraint(Scheme::Semver, input, reason))
    }

    fn parse_inner(input: &str, options: Options) -> Result<Range, RangeError> {
        if input.len() > MAX_LENGTH * 8 {
            return Err("range is too long");
        }
        let mut set = Vec::new();
        for part in input.split("||") {
            let comparators = parse_set(part.trim(), options)?;
            if !comparators.is_empty() {
                set.push(comparators);
            }
        }
        if set.is_empty() {
            return Err("no valid comparator");
        }
        if set.len() > 1 {
            let first = set[0].clone();
            set.retain(|c| !c[0].is_null_set());
            if set.is_empty() {
                set.push(first);
            } else if let Some(any) = set.iter().find(|c| c.len() == 1 && c[0].version.is_none()) {
                set = vec![any.clone()];
            }
        }
        Ok(Range { set, options })
    }

    /// Whether `version` satisfies the range (node-semver's `Range#test`).
    pub fn test(&self, version: &SemVersion) -> bool {
        self.set
            .iter()
            .any(|set| test_set(set, version, self.options))
    }

    /// Parses `version` with the range's options and tests it.
    pub fn test_str(&self, version: &str) -> Result<bool, VersionError> {
        Ok(self.test(NpmVersion::parse_with(version, self.options)?.semver()))
    }
}

fn test_set(set: &[Comparator], v: &SemVersion, options: Options) -> bool {
    if !set.iter().all(|c| c.test(v)) {
        return false;
    }
    if v.is_prerelease() && !options.include_prerelease {
        return set.iter().any(|c| {
            c.version
                .as_ref()
                .is_some_and(|b| b.is_prerelease() && b.triple() == v.triple())
        });
    }
    true
}

fn parse_set(part: &str, options: Options) -> Result<Vec<Comparator>, RangeError> {
    let loose = options.loose;
    let tokens: Vec<&str> = part.split_whitespace().collect();
    let mut out: Vec<Comparator> = Vec::new();
    if tokens.len() == 3 && tokens[1] == "-" {
        if let (Some(from), Some(to)) = (
            parse_xrange(tokens[0], loose)?,
            parse_xrange(tokens[2], loose)?,
        ) {
            hyphen(from, to, options, &mut out);
            return Ok(finish(out));
        }
    }
    // Join operators written apart from their version (`>= 1.2`, `~ 1.2`, `^ 1.2`).
    let mut merged: Vec<String> = Vec::with_capacity(tokens.len());
    let mut pending = String::new();
    for token in tokens {
        let bare_op = matches!(token, "<" | ">" | "<=" | ">=" | "=" | "~" | "~>" | "^");
        pending.push_str(token);
        if !bare_op {
            merged.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        merged.push(pending);
    }
    if merged.is_empty() {
        merged.push(String::new());
    }
    for token in &merged {
        let before = out.len();
        match desugar(token, options, &mut out) {
            Ok(true) => {}
            Ok(false) if loose => out.truncate(before),
            Ok(false) => return Err("a comparator is not valid"),
            Err(e) => return Err(e),
        }
    }
    Ok(finish(out))
}

fn finish(out: Vec<Comparator>) -> Vec<Comparator> {
    if let Some(null) = out.iter().find(|c| c.is_null_set()) {
        return vec![null.clone()];
    }
    let mut unique: Vec<Comparator> = Vec::with_capacity(out.len());
    for c in out {
        if !unique.iter().any(|u| u.key() == c.key()) {
            unique.push(c);
        }
    }
    if unique.len() > 1 {
        unique.retain(|c| c.version.is_some());
    }
    unique
}

/// Turns one comparator token into plain comparators; `Ok(false)` when it is not valid.
fn desugar(token: &str, options: Options, out: &mut Vec<Comparator>) -> Result<bool, RangeError> {
    let loose = options.loose;
    let z = if options.include_prerelease { "0" } else { "" };
    if let Some(rest) = token.strip_prefix('^') {
        let Some(x) = parse_xrange(rest, loose)? else {
            return Ok(false);
        };
        caret(x, z, out);
        return Ok(true);
    }
    if let Some(rest) = token.strip_prefix('~') {
        let rest = rest.strip_prefix('>').unwrap_or(rest);
        let Some(x) = parse_xrange(rest, loose)? else {
            return Ok(false);
        };
        tilde(x, out);
        return Ok(true);
    }
    let (gtlt, rest) = split_gtlt(token);
    let Some(x) = parse_xrange(rest, loose)? else {
        return Ok(token.is_empty() && {
            out.push(Comparator::any());
            true
        });
    };
    let any_x = x.major.is_x() || x.minor.is_x() || x.patch.is_x();
    if !(any_x || loose || x.prefix.is_empty() || x.prefix == "v") {
        return Ok(false);
    }
    xrange(gtlt, x, options, out);
    Ok(true)
}

fn op_of(gtlt: &str) -> Op {
    match gtlt {
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => Op::Eq,
    }
}

fn caret(x: XRange<'_>, z: &str, out: &mut Vec<Comparator>) {
    let (m, n, p) = (x.major, x.minor, x.patch);
    if m.is_x() {
        out.push(Comparator::any());
    } else if n.is_x() {
        out.push(Comparator::new(Op::Ge, m.n(), 0, 0, z));
        out.push(Comparator::new(Op::Lt, m.n() + 1, 0, 0, "0"));
    } else if p.is_x() {
        out.push(Comparator::new(Op::Ge, m.n(), n.n(), 0, z));
        if m.is_zero_text() {
            out.push(Comparator::new(Op::Lt, m.n(), n.n() + 1, 0, "0"));
        } else {
            out.push(Comparator::new(Op::Lt, m.n() + 1, 0, 0, "0"));
        }
    } else {
        let low_pre = if x.pre.is_empty() { z } else { x.pre };
        let low_pre = if !x.pre.is_empty() || m.is_zero_text() {
            low_pre
        } else {
            ""
        };
        out.push(Comparator::new(Op::Ge, m.n(), n.n(), p.n(), low_pre));
        let high = if m.is_zero_text() {
            if n.is_zero_text() {
                (m.n(), n.n(), p.n() + 1)
            } else {
                (m.n(), n.n() + 1, 0)
            }
        } else {
            (m.n() + 1, 0, 0)
        };
        out.push(Comparator::new(Op::Lt, high.0, high.1, high.2, "0"));
    }
}

fn tilde(x: XRange<'_>, out: &mut Vec<Comparator>) {
    let (m, n, p) = (x.major, x.minor, x.patch);
    if m.is_x() {
        out.push(Comparator::any());
    } else if n.is_x() {
        out.push(Comparator::new(Op::Ge, m.n(), 0, 0, ""));
        out.push(Comparator::new(Op::Lt, m.n() + 1, 0, 0, "0"));
    } else {
        let patch = if p.is_x() { 0 } else { p.n() };
        out.push(Comparator::new(
            Op::Ge,
            m.n(),
            n.n(),
            patch,
            if p.is_x() { "" } else { x.pre },
        ));
        out.push(Comparator::new(Op::Lt, m.n(), n.n() + 1, 0, "0"));
    }
}

fn xrange(gtlt: &str, x: XRange<'_>, options: Options, out: &mut Vec<Comparator>) {
    let xm = x.major.is_x();
    let xn = xm || x.minor.is_x();
    let xp = xn || x.patch.is_x();
    let mut gtlt = gtlt;
    if gtlt == "=" && xp {
        gtlt = "";
    }
    let pr = if options.include_prerelease { "0" } else { "" };
    if !xp {
        out.push(Comparator::new(
            op_of(gtlt),
            x.major.n(),
            x.minor.n(),
            x.patch.n(),
            x.pre,
        ));
    } else if xm {
        if gtlt == ">" || gtlt == "<" {
            out.push(Comparator::new(Op::Lt, 0, 0, 0, "0"));
        } else {
            out.push(Comparator::any());
        }
    } else if !gtlt.is_empty() {
        let (mut major, mut minor, mut patch) = (x.major.n(), if xn { 0 } else { x.minor.n() }, 0);
        let mut op = op_of(gtlt);
        let mut pre = pr;
        match op {
            Op::Gt => {
                op = Op::Ge;
                if xn {
                    major += 1;
                    minor = 0;
                } else {
                    minor += 1;
                }
                patch = 0;
            }
            Op::Le => {
                op = Op::Lt;
                if xn {
                    major += 1;
                } else {
                    minor += 1;
                }
            }
            _ => {}
        }
        if op == Op::Lt {
            pre = "0";
        }
        out.push(Comparator::new(op, major, minor, patch, pre));
    } else if xn {
        out.push(Comparator::new(Op::Ge, x.major.n(), 0, 0, pr));
        out.push(Comparator::new(Op::Lt, x.major.n() + 1, 0, 0, "0"));
    } else {
        out.push(Comparator::new(Op::Ge, x.major.n(), x.minor.n(), 0, pr));
        out.push(Comparator::new(
            Op::Lt,
            x.major.n(),
            x.minor.n() + 1,
            0,
            "0",
        ));
    }
}

fn hyphen(from: XRange<'_>, to: XRange<'_>, options: Options, out: &mut Vec<Comparator>) {
    let z = if options.include_prerelease { "0" } else { "" };
    if from.major.is_x() {
        // no lower bound
    } else if from.minor.is_x() {
        out.push(Comparator::new(Op::Ge, from.major.n(), 0, 0, z));
    } else if from.patch.is_x() {
        out.push(Comparator::new(
            Op::Ge,
            from.major.n(),
            from.minor.n(),
            0,
            z,
        ));
    } else {
        let pre = if from.pre.is_empty() { z } else { from.pre };
        out.push(Comparator::new(
            Op::Ge,
            from.major.n(),
            from.minor.n(),
            from.patch.n(),
            pre,
        ));
    }
    if to.major.is_x() {
        // no upper bound
    } else if to.minor.is_x() {
        out.push(Comparator::new(Op::Lt, to.major.n() + 1, 0, 0, "0"));
    } else if to.patch.is_x() {
        out.push(Comparator::new(
            Op::Lt,
            to.major.n(),
            to.minor.n() + 1,
            0,
            "0",
        ));
    } else if !to.pre.is_empty() {
        out.push(Comparator::new(
            Op::Le,
            to.major.n(),
            to.minor.n(),
            to.patch.n(),
            to.pre,
        ));
    } else if options.include_prerelease {
        out.push(Comparator::new(
            Op::Lt,
            to.major.n(),
            to.minor.n(),
            to.patch.n() + 1,
            "0",
        ));
    } else {
        out.push(Comparator::new(
            Op::Le,
            to.major.n(),
            to.minor.n(),
            to.patch.n(),
            "",
        ));
    }
    if out.is_empty() {
        out.push(Comparator::any());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(range: &str, version: &str) -> bool {
        Range::parse(range, Options::default())
            .unwrap()
            .test_str(version)
            .unwrap()
    }

    #[test]
    fn caret_tilde_and_hyphen() {
        assert!(sat("^1.2.3", "1.9.0"));
        assert!(!sat("^1.2.3", "2.0.0"));
        assert!(!sat("^0.2.3", "0.3.0"));
        assert!(sat("~1.2.3", "1.2.9"));
        assert!(!sat("~1.2.3", "1.3.0"));
        assert!(sat("1.2.3 - 2.3.4", "2.3.4"));
        assert!(!sat("1.2.3 - 2.3", "2.4.0"));
        assert!(!sat("^1.2.3", "1.3.0-beta"));
        assert!(sat("^1.2.3-beta", "1.2.3-beta.2"));
    }

    #[test]
    fn malformed_ranges_are_errors() {
        for bad in [
            ">=1.2.3.4",
            "^a",
            "1.2.3 foo",
            "~>",
            "=01.2.3",
            "1.2.99999999999999999",
        ] {
            assert!(Range::parse(bad, Options::default()).is_err(), "{bad}");
        }
        assert!(NpmVersion::parse("1.2").is_err());
    }
}
