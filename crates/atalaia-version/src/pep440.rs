//! Python package versions (PEP 440) and specifiers, as pypa/packaging reads them.
//!
//! A version is `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, accepting every spelling
//! packaging normalises (`1.0-ALPHA1`, `1.0c1`, `1.0-5`, `v1.0`, `1.0.dev`…); the canonical
//! form ([`Pep440Version::as_str`]) is packaging's `str(Version(...))`. Ordering is packaging's
//! `_cmpkey`: epoch, release without trailing zeros, then `.devN` of a plain release before
//! any pre-release, pre-release, post-release, development release, local version.
//!
//! Specifiers (`~=`, `==`, `!=`, `<=`, `>=`, `<`, `>`, `===`, with `.*` prefix matching) are
//! evaluated as packaging's `Specifier` evaluates them. A [`SpecifierSet`] treats the version
//! being tested as installed: pre-releases are not excluded (PEP 440 excludes them only when
//! choosing what to install); [`SpecifierSet::contains_with`] gives packaging's default rule.

use std::cmp::Ordering;
use std::fmt;
use std::fmt::Write as _;

use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// A PEP 440 version.
#[derive(Debug, Clone)]
pub struct Pep440Version {
    /// The canonical form (a `String` built with room to spare, so it is never reallocated).
    text: String,
    epoch: u64,
    release_end: u32,
    release_start: u32,
    /// (0 = a, 1 = b, 2 = rc, number)
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    /// Start of the local part in `text` (after `+`), `text.len()` when there is none.
    local: u32,
}

#[derive(Default)]
struct Parts {
    epoch: u64,
    release: (usize, usize),
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Option<(usize, usize)>,
}

fn is_sep(c: Option<&u8>) -> bool {
    matches!(c, Some(b'-' | b'_' | b'.'))
}

fn digits(s: &[u8], pos: usize) -> usize {
    s[pos.min(s.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

fn num(s: &[u8], pos: usize, len: usize) -> Option<u64> {
    if len == 0 {
        return Some(0);
    }
    std::str::from_utf8(&s[pos..pos + len]).ok()?.parse().ok()
}

const PRE_LABELS: [(&[u8], u8); 8] = [
    (b"alpha", 0),
    (b"a", 0),
    (b"beta", 1),
    (b"b", 1),
    (b"preview", 2),
    (b"pre", 2),
    (b"c", 2),
    (b"rc", 2),
];
const PRE_LABEL_WORDS: [&[u8]; 8] = [
    b"alpha", b"a", b"beta", b"b", b"preview", b"pre", b"c", b"rc",
];
const POST_LABELS: [&[u8]; 3] = [b"post", b"rev", b"r"];

/// A labelled group (`[-_.]? label [-_.]? N?`) with regex backtracking order; on success calls
/// `next` at the end position and records the label index and number.
fn labelled(
    s: &[u8],
    pos: usize,
    labels: &[&[u8]],
    next: &mut dyn FnMut(usize) -> bool,
) -> Option<(usize, Option<u64>)> {
    let seps: &[usize] = if is_sep(s.get(pos)) { &[1, 0] } else { &[0] };
    for &sep in seps {
        let p = pos + sep;
        for (index, label) in labels.iter().enumerate() {
            if !s[p.min(s.len())..].starts_with(label) {
                continue;
            }
            let q = p + label.len();
            let seps2: &[usize] = if is_sep(s.get(q)) { &[1, 0] } else { &[0] };
            for &sep2 in seps2 {
                let r = q + sep2;
                let n = digits(s, r);
                if n > 0 && next(r + n) {
                    return Some((index, Some(num(s, r, n)?)));
                }
                if next(r) {
                    return Some((index, None));
                }
            }
        }
    }
    None
}

fn parse_local(s: &[u8], pos: usize) -> bool {
    // [a-z0-9]+([-_.][a-z0-9]+)* to the end
    let body = &s[pos..];
    !body.is_empty()
        && body.split(|c| matches!(c, b'-' | b'_' | b'.')).all(|seg| {
            !seg.is_empty()
                && seg
                    .iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Stages after the release: 0 pre, 1 post, 2 dev, 3 local/end.
fn tail(s: &[u8], pos: usize, stage: u8, out: &mut Parts) -> bool {
    match stage {
        0 => {
            let mut inner = Parts::default();
            if let Some((i, n)) =
                labelled(s, pos, &PRE_LABEL_WORDS, &mut |p| tail(s, p, 1, &mut inner))
            {
                inner.pre = Some((PRE_LABELS[i].1, n.unwrap_or(0)));
                merge(out, inner);
                return true;
            }
            tail(s, pos, 1, out)
        }
        1 => {
            if s.get(pos) == Some(&b'-') {
                let n = digits(s, pos + 1);
                let mut inner = Parts::default();
                if n > 0 && tail(s, pos + 1 + n, 2, &mut inner) {
                    let Some(v) = num(s, pos + 1, n) else {
                        return false;
                    };
                    inner.post = Some(v);
                    merge(out, inner);
                    return true;
                }
            }
            let mut inner = Parts::default();
            if let Some((_, n)) = labelled(s, pos, &POST_LABELS, &mut |p| tail(s, p, 2, &mut inner))
            {
                inner.post = Some(n.unwrap_or(0));
                merge(out, inner);
                return true;
            }
            tail(s, pos, 2, out)
        }
        2 => {
            let mut inner = Parts::default();
            if let Some((_, n)) = labelled(s, pos, &[b"dev"], &mut |p| tail(s, p, 3, &mut inner)) {
                inner.dev = Some(n.unwrap_or(0));
                merge(out, inner);
                return true;
            }
            tail(s, pos, 3, out)
        }
        _ => {
            if pos == s.len() {
                return true;
            }
            if s[pos] == b'+' && parse_local(s, pos + 1) {
                out.local = Some((pos + 1, s.len()));
                return true;
            }
            false
        }
    }
}

fn merge(out: &mut Parts, inner: Parts) {
    out.pre = out.pre.or(inner.pre);
    out.post = out.post.or(inner.post);
    out.dev = out.dev.or(inner.dev);
    out.local = out.local.or(inner.local);
}

fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

impl Pep440Version {
    /// Parses a version as packaging's `Version` does.
    pub fn parse(input: &str) -> Result<Pep440Version, VersionError> {
        let err = |reason| VersionError::version(Scheme::Pep440, input, reason);
        let trimmed = input.trim_matches(is_py_space);
        if !trimmed.is_ascii() {
            return Err(err("non-ASCII character"));
        }
        // Lower-case on the stack (the canonical text is the only allocation).
        let mut stack = [0u8; 128];
        let heap;
        let s: &[u8] = if trimmed.len() <= stack.len() {
            stack[..trimmed.len()].copy_from_slice(trimmed.as_bytes());
            stack[..trimmed.len()].make_ascii_lowercase();
            &stack[..trimmed.len()]
        } else {
            heap = trimmed.to_ascii_lowercase();
            heap.as_bytes()
        };
        let lower = std::str::from_utf8(s).map_err(|_| err("non-ASCII character"))?;
        let mut pos = usize::from(s.first() == Some(&b'v'));
        let mut parts = Parts::default();
        let n = digits(s, pos);
        if n > 0 && s.get(pos + n) == Some(&b'!') {
            parts.epoch = num(s, pos, n).ok_or_else(|| err("epoch is too large"))?;
            pos += n + 1;
        }
        let start = pos;
        let n = digits(s, pos);
        if n == 0 {
            return Err(err("no release number"));
        }
        pos += n;
        while s.get(pos) == Some(&b'.') && digits(s, pos + 1) > 0 {
            pos += 1 + digits(s, pos + 1);
        }
        parts.release = (start, pos);
        if !tail(s, pos, 0, &mut parts) {
            return Err(err("does not match the PEP 440 grammar"));
        }
        Ok(Self::build(lower, &parts))
    }

    fn build(src: &str, p: &Parts) -> Pep440Version {
        let mut text = String::with_capacity(src.len() + 40);
        if p.epoch != 0 {
            let _ = write!(text, "{}!", p.epoch);
        }
        let release_start = text.len();
        for (i, component) in src[p.release.0..p.release.1].split('.').enumerate() {
            if i > 0 {
                text.push('.');
            }
            let stripped = component.trim_start_matches('0');
            text.push_str(if stripped.is_empty() { "0" } else { stripped });
        }
        let release_end = text.len();
        if let Some((kind, n)) = p.pre {
            let _ = write!(text, "{}{}", ["a", "b", "rc"][kind as usize], n);
        }
        if let Some(n) = p.post {
            let _ = write!(text, ".post{n}");
        }
        if let Some(n) = p.dev {
            let _ = write!(text, ".dev{n}");
        }
        let local = if let Some((a, b)) = p.local {
            text.push('+');
            let start = text.len();
            for (i, seg) in src[a..b].split(['-', '_', '.']).enumerate() {
                if i > 0 {
                    text.push('.');
                }
                if seg.bytes().all(|c| c.is_ascii_digit()) {
                    let stripped = seg.trim_start_matches('0');
                    text.push_str(if stripped.is_empty() { "0" } else { stripped });
                } else {
                    text.push_str(seg);
                }
            }
            start
        } else {
            text.len()
        };
        Pep440Version {
            text,
            epoch: p.epoch,
            release_start: release_start as u32,
            release_end: release_end as u32,
            pre: p.pre,
            post: p.post,
            dev: p.dev,
            local: local as u32,
        }
    }

    /// The canonical form (packaging's `str(Version(...))`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The epoch.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The release segment, canonical (`1.2.0`).
    pub fn release(&self) -> &str {
        &self.text[self.release_start as usize..self.release_end as usize]
    }

    /// The local part (without `+`), if any.
    pub fn local(&self) -> Option<&str> {
        (self.local as usize != self.text.len()).then(|| &self.text[self.local as usize..])
    }

    /// The version without its local part.
    pub fn public(&self) -> &str {
        match self.local() {
            Some(_) => &self.text[..self.local as usize - 1],
            None => &self.text,
        }
    }

    /// Whether it is a pre-release or a development release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// Whether it is a post-release.
    pub fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    fn cmp_release(&self, other: &Self) -> Ordering {
        let mut a = self.release().split('.');
        let mut b = other.release().split('.');
        loop {
            match (a.next(), b.next()) {
                (None, None) => return Ordering::Equal,
                (x, y) => {
                    let ord = cmp_digits(x.unwrap_or("0").as_bytes(), y.unwrap_or("0").as_bytes());
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
            }
        }
    }

    /// Epoch and release only (packaging's `base_version`) compared.
    fn cmp_base(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.cmp_release(other))
    }

    fn pre_key(&self) -> (i8, u64) {
        match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (-1, 0),
            (None, _, _) => (3, 0),
            (Some((kind, n)), _, _) => (kind as i8, n),
        }
    }

    /// Compares without the local parts (packaging's `Version(v.public)`).
    pub fn cmp_public(&self, other: &Self) -> Ordering {
        self.cmp_base(other)
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| self.post.cmp(&other.post))
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
    }
}

fn cmp_local(a: Option<&str>, b: Option<&str>) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    let mut ia = a.split('.');
    let mut ib = b.split('.');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let nx = x.bytes().all(|c| c.is_ascii_digit());
                let ny = y.bytes().all(|c| c.is_ascii_digit());
                let ord = match (nx, ny) {
                    (true, true) => cmp_digits(x.as_bytes(), y.as_bytes()),
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => x.cmp(y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_public(other)
            .then_with(|| cmp_local(self.local(), other.local()))
    }
}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440Version {}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpecOp {
    Compatible,
    Equal,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Less,
    Greater,
    Arbitrary,
}

/// One PEP 440 specifier (`>=1.0`, `==1.2.*`, `~=2.2`).
#[derive(Debug, Clone)]
pub struct Specifier {
    op: SpecOp,
    /// The version (for `.*`, the prefix before it).
    version: Option<Pep440Version>,
    wildcard: bool,
    /// The raw version text (for `===`).
    raw: Box<str>,
}

/// packaging's `_version_split` of a canonical version: epoch, then the dot-separated items,
/// a release number glued to a pre-release (`1rc1`) split in two.
fn version_split(canonical: &str) -> Vec<String> {
    let (epoch, rest) = match canonical.rfind('!') {
        Some(i) => (&canonical[..i], &canonical[i + 1..]),
        None => ("0", canonical),
    };
    let mut out = vec![epoch.to_owned()];
    for item in rest.split('.') {
        let n = item.bytes().take_while(u8::is_ascii_digit).count();
        let suffix = &item[n..];
        let label = ["rc", "a", "b", "c"]
            .iter()
            .find(|l| suffix.starts_with(**l));
        match label {
            Some(l)
                if n > 0
                    && suffix.len() > l.len()
                    && suffix[l.len()..].bytes().all(|c| c.is_ascii_digit()) =>
            {
                out.push(item[..n].to_owned());
                out.push(suffix.to_owned());
            }
            _ => out.push(item.to_owned()),
        }
    }
    out
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

/// packaging's `_pad_version` followed by the prefix comparison of `==X.*`.
fn prefix_match(prospective: &str, spec: &str) -> bool {
    let split_spec = version_split(spec);
    let split_prospective = version_split(prospective);
    let num_p = split_prospective
        .iter()
        .take_while(|x| is_digits(x))
        .count();
    let num_s = split_spec.iter().take_while(|x| is_digits(x)).count();
    let mut padded: Vec<&str> = split_prospective[..num_p]
        .iter()
        .map(String::as_str)
        .collect();
    padded.extend(std::iter::repeat_n("0", num_s.saturating_sub(num_p)));
    padded.extend(split_prospective[num_p..].iter().map(String::as_str));
    padded.len() >= split_spec.len()
        && padded[..split_spec.len()]
            .iter()
            .zip(&split_spec)
            .all(|(a, b)| a == b)
}

impl Specifier {
    /// Parses one specifier.
    pub fn parse(input: &str) -> Result<Specifier, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Pep440, input, reason);
        let s = input.trim();
        const OPS: [(&str, SpecOp); 8] = [
            ("===", SpecOp::Arbitrary),
            ("~=", SpecOp::Compatible),
            ("==", SpecOp::Equal),
            ("!=", SpecOp::NotEqual),
            ("<=", SpecOp::LessEqual),
            (">=", SpecOp::GreaterEqual),
            ("<", SpecOp::Less),
            (">", SpecOp::Greater),
        ];
        let (op, rest) = OPS
            .iter()
            .find_map(|(t, op)| s.strip_prefix(t).map(|r| (*op, r.trim())))
            .ok_or_else(|| err("a specifier must start with one of ~= == != <= >= < > ==="))?;
        if rest.is_empty() || rest.contains(char::is_whitespace) || rest.contains([',', ';']) {
            return Err(err("the specifier has no single version"));
        }
        if op == SpecOp::Arbitrary {
            return Ok(Specifier {
                op,
                version: None,
                wildcard: false,
                raw: rest.into(),
            });
        }
        let (text, wildcard) = match rest.strip_suffix(".*") {
            Some(prefix) if matches!(op, SpecOp::Equal | SpecOp::NotEqual) => (prefix, true),
            Some(_) => return Err(err("`.*` is allowed only after == and !=")),
            None => (rest, false),
        };
        let version = Pep440Version::parse(text).map_err(|_| err("not a PEP 440 version"))?;
        if wildcard && (version.local().is_some() || version.dev.is_some()) {
            return Err(err("a `.*` prefix cannot have a local or dev part"));
        }
        if !matches!(op, SpecOp::Equal | SpecOp::NotEqual) && version.local().is_some() {
            return Err(err("a local version is allowed only with == and !="));
        }
        if op == SpecOp::Compatible && !version.release().contains('.') {
            return Err(err("~= needs at least two release numbers"));
        }
        Ok(Specifier {
            op,
            version: Some(version),
            wildcard,
            raw: rest.into(),
        })
    }

    /// Whether this specifier's version is a pre-release that makes the set admit pre-releases.
    fn admits_prereleases(&self) -> bool {
        match self.op {
            SpecOp::Equal
            | SpecOp::GreaterEqual
            | SpecOp::LessEqual
            | SpecOp::Compatible
            | SpecOp::Arbitrary => match &self.version {
                Some(v) => v.is_prerelease(),
                None => Pep440Version::parse(&self.raw).is_ok_and(|v| v.is_prerelease()),
            },
            _ => false,
        }
    }

    fn equal(v: &Pep440Version, spec: &Pep440Version, wildcard: bool) -> bool {
        if wildcard {
            return prefix_match(v.public(), spec.as_str());
        }
        if spec.local().is_none() {
            v.cmp_public(spec) == Ordering::Equal
        } else {
            v == spec
        }
    }

    /// Whether `v` satisfies this one specifier (pre-releases not excluded).
    pub fn contains(&self, v: &Pep440Version) -> bool {
        let Some(spec) = &self.version else {
            return v.as_str().eq_ignore_ascii_case(&self.raw);
        };
        match self.op {
            SpecOp::Equal => Self::equal(v, spec, self.wildcard),
            SpecOp::NotEqual => !Self::equal(v, spec, self.wildcard),
            SpecOp::LessEqual => v.cmp_public(spec) != Ordering::Greater,
            SpecOp::GreaterEqual => v.cmp_public(spec) != Ordering::Less,
            SpecOp::Less => {
                v < spec
                    && !(!spec.is_prerelease()
                        && v.is_prerelease()
                        && v.cmp_base(spec) == Ordering::Equal)
            }
            SpecOp::Greater => {
                v > spec
                    && !(!spec.is_postrelease()
                        && v.is_postrelease()
                        && v.cmp_base(spec) == Ordering::Equal)
                    && !(v.local().is_some() && v.cmp_base(spec) == Ordering::Equal)
            }
            SpecOp::Compatible => {
                let split = version_split(spec.as_str());
                let suffix = |x: &String| {
                    ["dev", "a", "b", "rc", "post"]
                        .iter()
                        .any(|p| x.starts_with(p))
                };
                let mut kept: Vec<&String> = split.iter().take_while(|x| !suffix(x)).collect();
                kept.pop();
                let (epoch, rest) = kept.split_first().map_or(("0", Vec::new()), |(e, r)| {
                    (e.as_str(), r.iter().map(|x| x.as_str()).collect())
                });
                let prefix = format!("{epoch}!{}", rest.join("."));
                v.cmp_public(spec) != Ordering::Less && prefix_match(v.public(), &prefix)
            }
            SpecOp::Arbitrary => v.as_str().eq_ignore_ascii_case(&self.raw),
        }
    }
}

/// A comma-separated set of specifiers (all must hold); empty means every version.
#[derive(Debug, Clone)]
pub struct SpecifierSet {
    specs: Vec<Specifier>,
}

impl SpecifierSet {
    /// Parses `>=1.0, !=1.3.*, <2` (an empty string is the set of every version).
    pub fn parse(input: &str) -> Result<SpecifierSet, VersionError> {
        let specs = input
            .split(',')
            .filter(|s| !s.trim().is_empty() || input.trim().is_empty())
            .filter(|s| !s.trim().is_empty())
            .map(Specifier::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if specs.is_empty() && !input.trim().is_empty() {
            return Err(VersionError::constraint(
                Scheme::Pep440,
                input,
                "no specifier",
            ));
        }
        if input.split(',').count() > 1 && input.split(',').any(|s| s.trim().is_empty()) {
            return Err(VersionError::constraint(
                Scheme::Pep440,
                input,
                "empty specifier between commas",
            ));
        }
        Ok(SpecifierSet { specs })
    }

    /// Whether the installed version `v` satisfies every specifier.
    pub fn contains(&self, v: &Pep440Version) -> bool {
        self.specs.iter().all(|s| s.contains(v))
    }

    /// packaging's `SpecifierSet.contains(v, prereleases=...)`: with `None`, a pre-release is
    /// admitted only when some specifier names a pre-release.
    pub fn contains_with(&self, v: &Pep440Version, prereleases: Option<bool>) -> bool {
        let admit =
            prereleases.unwrap_or_else(|| self.specs.iter().any(Specifier::admits_prereleases));
        if v.is_prerelease() && !admit {
            return false;
        }
        self.contains(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440Version {
        Pep440Version::parse(s).unwrap()
    }

    fn sat(version: &str, spec: &str) -> bool {
        SpecifierSet::parse(spec).unwrap().contains(&v(version))
    }

    #[test]
    fn normalisation_and_order() {
        assert_eq!(v("1.0-ALPHA1").as_str(), "1.0a1");
        assert_eq!(
            v("v1!01.02.post3.dev4+Ubuntu-1").as_str(),
            "1!1.2.post3.dev4+ubuntu.1"
        );
        assert_eq!(v("1.0a."), v("1.0a0"));
        assert!(v("1.0.dev0") < v("1.0a1") && v("1.0a1") < v("1.0") && v("1.0") < v("1.0.post1"));
        assert_eq!(v("1.0"), v("1.0.0"));
    }

    #[test]
    fn specifiers() {
        assert!(sat("1.4.5", "~=1.4.2"));
        assert!(!sat("1.5.0", "~=1.4.2"));
        assert!(sat("2.2.0", "==2.2.*"));
        assert!(!sat("2.3.0", "==2.2.*"));
        assert!(!sat("1.0.post1", ">1.0"));
        assert!(!sat("1.0a1", "<1.0"));
        assert!(sat("1.0+local", "==1.0"));
        assert!(sat("1.0", ">=1.0, !=1.1, <2"));
        assert!(sat("9", ""));
        assert!(sat("1.0", "===1.0"));
    }

    #[test]
    fn malformed_specifiers_are_errors() {
        for bad in [
            "1.0",
            ">=",
            ">=1.0,",
            "~=1",
            "<1.0.*",
            ">=1.0+local",
            "==1.0+l.*",
            ">= 1 2",
            "=>1.0",
        ] {
            assert!(SpecifierSet::parse(bad).is_err(), "{bad}");
        }
        for bad in ["french toast", "1.0+", "1..0", "1.0-", "١"] {
            assert!(Pep440Version::parse(bad).is_err(), "{bad}");
        }
    }
}
