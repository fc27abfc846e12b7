//! Composer (Packagist) versions and constraints, as `composer/semver` reads them.
//!
//! Versions are normalised as Composer's `VersionParser::normalize` does (`v1.2` becomes
//! `1.2.0.0`, `1.0-b2` becomes `1.0.0.0-beta2`, `2.x-dev` becomes
//! `2.9999999.9999999.9999999-dev`, `dev-main` stays a branch) and compared with PHP's
//! `version_compare` (`dev < alpha = a < beta = b < RC = rc < numbers < pl = p`). Branches
//! (`dev-*`) equal only themselves; for a total order they sort before every numbered version
//! and by name among themselves.
//!
//! Constraints: `||` (or `|`) between alternatives, `,` or space between terms that must all
//! hold; terms are `^1.2`, `~1.2`, `1.2.*`, `1.0 - 2.0`, `*`, or an operator (`<`, `<=`, `>`,
//! `>=`, `=`, `==`, `!=`, `<>`) and a version, with Composer's `-dev` lower bounds; a
//! `@stability` flag is honoured on ranges as Composer honours it.

use std::cmp::Ordering;
use std::fmt;

use crate::util::{cmp_digits, SmallBuf};
use crate::{Scheme, VersionError};

/// A Composer version, stored normalised.
#[derive(Debug, Clone)]
pub struct ComposerVersion {
    text: Canonical,
}

/// A normalised version followed, in the same string, by the form PHP's `version_compare`
/// compares (`php_canonicalize_version`): made once, so that comparing does not canonicalise
/// both sides each time (advisories compare one installed version with many bounds).
#[derive(Debug, Clone)]
struct Canonical {
    text: String,
    /// Where the canonical form starts (it is empty for branches, which compare by name, and
    /// for versions compared by [`php_compare`] itself).
    split: usize,
    /// Compared by [`php_compare`] on the normalised text: the canonical form holds other
    /// characters than letters, digits and dots, and only those forms are sure to be their
    /// own canonical form (or the text starts with `#`, which PHP leaves as it is).
    raw: bool,
}

impl Canonical {
    fn new(mut normalized: String) -> Canonical {
        let split = normalized.len();
        let mut raw = normalized.starts_with('#');
        if !raw && !is_branch(&normalized) {
            let canon = canonicalize(normalized.as_bytes());
            raw = !canon
                .as_slice()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'.');
            if !raw {
                normalized.extend(canon.as_slice().iter().map(|&b| char::from(b)));
            }
        }
        Canonical {
            text: normalized,
            split,
            raw,
        }
    }

    fn normalized(&self) -> &str {
        &self.text[..self.split]
    }

    /// PHP's `version_compare` of the two normalised texts.
    fn php_cmp(&self, other: &Canonical) -> Ordering {
        if self.raw || other.raw {
            return php_version_compare(self.normalized(), other.normalized());
        }
        compare_canonical(
            &self.text.as_bytes()[self.split..],
            &other.text.as_bytes()[other.split..],
        )
    }
}

const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "rc", "alpha", "a", "patch", "pl", "p",
];

/// Composer's `expandStability` (case-insensitive).
fn expand_stability(s: &str) -> &'static str {
    const MAP: [(&str, &str); 9] = [
        ("a", "alpha"),
        ("alpha", "alpha"),
        ("b", "beta"),
        ("beta", "beta"),
        ("p", "patch"),
        ("pl", "patch"),
        ("patch", "patch"),
        ("rc", "RC"),
        ("stable", "stable"),
    ];
    MAP.iter()
        .find(|(k, _)| s.eq_ignore_ascii_case(k))
        .map_or("", |(_, v)| v)
}

/// The parsed `modifierRegex`: `[._-]?(?:(stability)((?:[.-]?\d+)*))?([.-]?dev)?` to the end.
#[derive(Debug, Default, Clone, Copy)]
struct Modifier<'a> {
    stability: Option<&'a str>,
    numbers: &'a str,
    dev: bool,
}

fn numbers_len(s: &[u8]) -> usize {
    // (?:[.-]?\d+)*+
    let mut i = 0;
    loop {
        let sep = usize::from(matches!(s.get(i), Some(b'.' | b'-')));
        let n = s[(i + sep).min(s.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 {
            return i;
        }
        i += sep + n;
    }
}

fn dev_suffix(s: &str) -> bool {
    ["dev", ".dev", "-dev"]
        .iter()
        .any(|d| s.eq_ignore_ascii_case(d))
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn parse_modifier(s: &str) -> Option<Modifier<'_>> {
    if s.is_empty() {
        return Some(Modifier::default());
    }
    let seps: &[usize] = if s.starts_with(['.', '_', '-']) {
        &[1, 0]
    } else {
        &[0]
    };
    for &sep in seps {
        let rest = &s[sep..];
        for word in STABILITIES {
            if !starts_with_ignore_case(rest, word) {
                continue;
            }
            let after = &rest[word.len()..];
            let n = numbers_len(after.as_bytes());
            let tail = &after[n..];
            if tail.is_empty() || dev_suffix(tail) {
                return Some(Modifier {
                    stability: Some(&rest[..word.len()]),
                    numbers: &after[..n],
                    dev: !tail.is_empty(),
                });
            }
        }
        if rest.is_empty() || dev_suffix(rest) {
            return Some(Modifier {
                stability: None,
                numbers: "",
                dev: !rest.is_empty(),
            });
        }
    }
    None
}

fn apply_modifier(version: &mut String, m: &Modifier<'_>) {
    if let Some(stability) = m.stability {
        if stability == "stable" {
            return;
        }
        version.push('-');
        version.push_str(expand_stability(stability));
        version.push_str(m.numbers.trim_start_matches(['.', '-']));
    }
    if m.dev {
        version.push_str("-dev");
    }
}

/// `\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2}` over the whole of `s`.
fn date_matches(s: &[u8]) -> bool {
    fn groups(s: &[u8], i: usize, done2: usize, done3: usize) -> bool {
        if i == s.len() {
            return done2 >= 1;
        }
        let sep = usize::from(matches!(s[i], b'.' | b':' | b'-'));
        let j = i + sep;
        let n = s[j.min(s.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if done3 == 0 && done2 < 6 && n >= 2 && groups(s, j + 2, done2 + 1, 0) {
            return true;
        }
        if done2 >= 1 && done3 < 2 {
            for k in (1..=n.min(3)).rev() {
                if groups(s, j + k, done2, done3 + 1) {
                    return true;
                }
            }
        }
        false
    }
    s.len() >= 4 && s[..4].iter().all(u8::is_ascii_digit) && groups(s, 4, 0, 0)
}

fn strip_v(s: &str) -> &str {
    s.strip_prefix(['v', 'V']).unwrap_or(s)
}

/// Composer's `normalizeBranch` for a numbered branch (`2.x`), written to `out`; `false`
/// when the name is not numbered (Composer would make it `dev-<name>`).
fn normalize_branch(name: &str, out: &mut String) -> bool {
    let body = strip_v(name.trim());
    let mut parts = body.split('.');
    let first = parts.next().unwrap_or("");
    if first.is_empty() || !first.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let rest: [Option<&str>; 3] = [parts.next(), parts.next(), parts.next()];
    let wild = |p: &str| matches!(p, "x" | "X" | "*");
    if parts.next().is_some()
        || !rest
            .iter()
            .flatten()
            .all(|p| wild(p) || (!p.is_empty() && p.bytes().all(|c| c.is_ascii_digit())))
    {
        return false;
    }
    out.push_str(first);
    for part in rest {
        out.push('.');
        match part {
            Some(p) if !wild(p) => out.push_str(p),
            _ => out.push_str("9999999"),
        }
    }
    out.push_str("-dev");
    true
}

/// Composer's `VersionParser::normalize`.
pub fn normalize(input: &str) -> Result<String, &'static str> {
    let mut v = input.trim();
    if v.is_empty() {
        return Err("empty version");
    }
    if !v.is_ascii() {
        return Err("non-ASCII character");
    }
    let mut out = String::with_capacity(v.len() + 40);
    if let Some((a, b)) = v.split_once(" as ") {
        if !a.trim().is_empty() && !b.trim().is_empty() && !a.contains(',') {
            v = a.trim();
        }
    }
    if let Some(at) = v.rfind('@') {
        let flag = &v[at + 1..];
        if ["stable", "rc", "beta", "alpha", "dev"]
            .iter()
            .any(|f| flag.eq_ignore_ascii_case(f))
        {
            v = &v[..at];
        }
    }
    if matches!(v, "master" | "trunk" | "default") {
        out.push_str("dev-");
        out.push_str(v);
        return Ok(out);
    }
    if starts_with_ignore_case(v, "dev-") {
        out.push_str("dev-");
        out.push_str(&v[4..]);
        return Ok(out);
    }
    if let Some(plus) = v.find('+') {
        let (head, tail) = (&v[..plus], &v[plus + 1..]);
        if !head.is_empty()
            && !head.contains([',', ' '])
            && !tail.is_empty()
            && !tail.contains(char::is_whitespace)
        {
            v = head;
        }
    }
    if v.chars().any(char::is_whitespace) {
        return Err("whitespace inside a version");
    }
    let body = strip_v(v);
    // Classical: \d{1,5}(\.\d+){0,3} modifier
    let b = body.as_bytes();
    let major = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=5).contains(&major) {
        let mut i = major;
        let mut count = 1;
        while count < 4 && b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                break;
            }
            count += 1;
            i += 1 + n;
        }
        if let Some(m) = parse_modifier(&body[i..]) {
            out.push_str(&body[..i]);
            for _ in count..4 {
                out.push_str(".0");
            }
            apply_modifier(&mut out, &m);
            return Ok(out);
        }
    }
    // Date based.
    // A date version is at most 4 + 6 * 3 + 2 * 4 bytes long.
    for end in (4..=b.len().min(30)).rev() {
        if date_matches(&b[..end]) {
            if let Some(m) = parse_modifier(&body[end..]) {
                out.extend(
                    body[..end]
                        .chars()
                        .map(|c| if c.is_ascii_digit() { c } else { '.' }),
                );
                apply_modifier(&mut out, &m);
                return Ok(out);
            }
        }
    }
    // Numbered dev branches (`2.x-dev`).
    if v.len() >= 3 && v[v.len() - 3..].eq_ignore_ascii_case("dev") {
        let stem = &v[..v.len() - 3];
        let stem = stem.strip_suffix(['.', '-']).unwrap_or(stem);
        if normalize_branch(stem, &mut out) {
            return Ok(out);
        }
    }
    Err("not a Composer version")
}

type Canon = SmallBuf<u8, 128>;

/// PHP's `php_canonicalize_version`.
fn canonicalize(b: &[u8]) -> Canon {
    let mut out = Canon::new();
    let Some(&first) = b.first() else { return out };
    out.push(first);
    let mut lp = first;
    let isdig = |x: u8| x.is_ascii_digit();
    let isndig = |x: u8| !x.is_ascii_digit() && x != b'.';
    for &c in &b[1..] {
        let last = *out.as_slice().last().unwrap_or(&b'.');
        if matches!(c, b'-' | b'_' | b'+') {
            if last != b'.' {
                out.push(b'.');
            }
        } else if (isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c)) {
            if last != b'.' {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if last != b'.' {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        lp = c;
    }
    out
}

fn special_form(s: &[u8]) -> i32 {
    const FORMS: [(&[u8], i32); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map_or(-1, |(_, order)| *order)
}

fn cmp_forms(a: &[u8], b: &[u8]) -> Ordering {
    special_form(a).cmp(&special_form(b))
}

/// PHP's `version_compare($a, $b)`.
pub fn php_version_compare(a: &str, b: &str) -> Ordering {
    php_compare(a.as_bytes(), b.as_bytes())
}

fn php_compare(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let (ca, cb);
    let pa: &[u8] = if a[0] == b'#' {
        a
    } else {
        ca = canonicalize(a);
        ca.as_slice()
    };
    let pb: &[u8] = if b[0] == b'#' {
        b
    } else {
        cb = canonicalize(b);
        cb.as_slice()
    };
    compare_canonical(pa, pb)
}

/// [`php_compare`] once both sides are canonical (see [`Canonical`]).
fn compare_canonical(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let (mut pa, mut pb) = (a, b);
    let (mut more_a, mut more_b) = (true, true);
    let mut ord = Ordering::Equal;
    while !pa.is_empty() && !pb.is_empty() && more_a && more_b {
        let (sa, ra) = match pa.iter().position(|&c| c == b'.') {
            Some(i) => (&pa[..i], Some(&pa[i + 1..])),
            None => (pa, None),
        };
        let (sb, rb) = match pb.iter().position(|&c| c == b'.') {
            Some(i) => (&pb[..i], Some(&pb[i + 1..])),
            None => (pb, None),
        };
        more_a = ra.is_some();
        more_b = rb.is_some();
        let da = sa.first().is_some_and(u8::is_ascii_digit);
        let db = sb.first().is_some_and(u8::is_ascii_digit);
        ord = match (da, db) {
            (true, true) => {
                let la = sa.iter().take_while(|c| c.is_ascii_digit()).count();
                let lb = sb.iter().take_while(|c| c.is_ascii_digit()).count();
                cmp_digits(&sa[..la], &sb[..lb])
            }
            (false, false) => cmp_forms(sa, sb),
            (true, false) => cmp_forms(b"#N#", sb),
            (false, true) => cmp_forms(sa, b"#N#"),
        };
        if ord != Ordering::Equal {
            break;
        }
        if let Some(r) = ra {
            pa = r;
        }
        if let Some(r) = rb {
            pb = r;
        }
    }
    if ord == Ordering::Equal {
        if more_a {
            ord = if pa.first().is_some_and(u8::is_ascii_digit) {
                Ordering::Greater
            } else {
                php_compare(pa, b"#N#")
            };
        } else if more_b {
            ord = if pb.first().is_some_and(u8::is_ascii_digit) {
                Ordering::Less
            } else {
                php_compare(b"#N#", pb)
            };
        }
    }
    ord
}

fn is_branch(v: &str) -> bool {
    v.starts_with("dev-")
}

impl ComposerVersion {
    /// Parses and normalises a version.
    pub fn parse(input: &str) -> Result<ComposerVersion, VersionError> {
        normalize(input)
            .map(|text| ComposerVersion {
                text: Canonical::new(text),
            })
            .map_err(|reason| VersionError::version(Scheme::Composer, input, reason))
    }

    /// The normalised version (`1.2.0.0`, `1.0.0.0-beta2`, `dev-main`).
    pub fn as_str(&self) -> &str {
        self.text.normalized()
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.as_str(), other.as_str());
        match (is_branch(a), is_branch(b)) {
            (true, true) => a.cmp(b),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => self.text.php_cmp(&other.text),
        }
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ComposerVersion {}

impl fmt::Display for ComposerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A Composer constraint.
#[derive(Debug, Clone)]
pub struct ComposerConstraint {
    alternatives: Vec<Vec<(Op, Canonical)>>,
}

/// The numbers of `v?\d+(\.\d+){0,3}` and what follows.
fn leading_numbers(s: &str) -> (Vec<&str>, &str) {
    let body = strip_v(s);
    let b = body.as_bytes();
    let mut nums = Vec::new();
    let mut i = 0;
    loop {
        let start = if nums.is_empty() { i } else { i + 1 };
        if !nums.is_empty() && b.get(i) != Some(&b'.') {
            break;
        }
        let n = b[start.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 || nums.len() == 4 {
            break;
        }
        nums.push(&body[start..start + n]);
        i = start + n;
    }
    (nums, &body[i..])
}

fn bump(nums: &[&str], position: usize) -> String {
    let mut out = Vec::with_capacity(4);
    for i in 0..4 {
        let n: u64 = nums.get(i).and_then(|s| s.parse().ok()).unwrap_or(0);
        out.push(match (i + 1).cmp(&position) {
            Ordering::Less => n,
            Ordering::Equal => n + 1,
            Ordering::Greater => 0,
        });
    }
    format!("{}.{}.{}.{}-dev", out[0], out[1], out[2], out[3])
}

/// `-dev` unless the modifier after the numbers names a stability or `dev`.
fn dev_suffix_for(modifier: &str) -> &'static str {
    if parse_modifier(modifier).is_some_and(|m| m.stability.is_some() || m.dev) {
        ""
    } else {
        "-dev"
    }
}

/// Whether `raw` ends with `-` and a stability modifier (Composer's `/-{modifierRegex}$/`).
fn ends_with_modifier(raw: &str) -> bool {
    raw.match_indices('-')
        .any(|(i, _)| parse_modifier(&raw[i + 1..]).is_some())
}

fn parse_term(term: &str) -> Result<Vec<(Op, String)>, &'static str> {
    let mut t = term.trim();
    let mut stability: Option<String> = None;
    if let Some(at) = t.rfind('@') {
        let flag = t[at + 1..].to_ascii_lowercase();
        if ["stable", "rc", "beta", "alpha", "dev"].contains(&flag.as_str()) {
            stability =
                (flag != "stable").then_some(if flag == "rc" { "RC".to_owned() } else { flag });
            t = &t[..at];
        }
    }
    if let Some(hash) = t.find('#') {
        if t.starts_with("dev-") || t.ends_with("-dev") || t[..hash].ends_with("-dev") {
            t = &t[..hash];
        }
    }
    let all_x = !t.is_empty() && strip_v(t).split('.').all(|p| matches!(p, "x" | "X" | "*"));
    if all_x {
        return Ok(vec![]);
    }
    if let Some(rest) = t.strip_prefix('^') {
        let (nums, modifier) = leading_numbers(rest);
        if nums.is_empty() || parse_modifier(modifier).is_none() {
            return Err("invalid caret constraint");
        }
        let position = if nums[0] != "0" || nums.len() < 2 {
            1
        } else if nums[1] != "0" || nums.len() < 3 {
            2
        } else {
            3
        };
        let low = normalize(&format!("{rest}{}", dev_suffix_for(modifier)))?;
        return Ok(vec![(Op::Ge, low), (Op::Lt, bump(&nums, position))]);
    }
    if t.starts_with("~>") {
        return Err("invalid operator `~>`, Composer's tilde is `~`");
    }
    if let Some(rest) = t.strip_prefix('~') {
        let (nums, modifier) = leading_numbers(rest);
        if nums.is_empty() || parse_modifier(modifier).is_none() {
            return Err("invalid tilde constraint");
        }
        let position = nums.len();
        let low = normalize(&format!("{rest}{}", dev_suffix_for(modifier)))?;
        return Ok(vec![
            (Op::Ge, low),
            (Op::Lt, bump(&nums, position.saturating_sub(1).max(1))),
        ]);
    }
    // Wildcards: 1.2.*
    let (nums, after) = leading_numbers(t);
    if !nums.is_empty()
        && after.len() > 1
        && after.starts_with('.')
        && after[1..].split('.').all(|p| matches!(p, "x" | "X" | "*"))
    {
        let mut parts = nums.clone();
        while parts.len() < 4 {
            parts.push("0");
        }
        let low = format!("{}-dev", parts.join("."));
        let high = bump(&nums, nums.len());
        if low == "0.0.0.0-dev" {
            return Ok(vec![(Op::Lt, high)]);
        }
        return Ok(vec![(Op::Ge, low), (Op::Lt, high)]);
    }
    // Operators.
    let (op, rest) = if let Some(r) = t.strip_prefix("<>").or_else(|| t.strip_prefix("!=")) {
        (Op::Ne, r)
    } else if let Some(r) = t.strip_prefix(">=") {
        (Op::Ge, r)
    } else if let Some(r) = t.strip_prefix("<=") {
        (Op::Le, r)
    } else if let Some(r) = t.strip_prefix("==") {
        (Op::Eq, r)
    } else if let Some(r) = t.strip_prefix('>') {
        (Op::Gt, r)
    } else if let Some(r) = t.strip_prefix('<') {
        (Op::Lt, r)
    } else if let Some(r) = t.strip_prefix('=') {
        (Op::Eq, r)
    } else {
        (Op::Eq, t)
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Err("an operator has no version");
    }
    let mut version = normalize(rest)?;
    let stable = !version.contains('-');
    if op != Op::Eq && stability.is_some() && stable {
        version.push('-');
        version.push_str(stability.as_deref().unwrap_or("dev"));
    } else if matches!(op, Op::Lt | Op::Ge)
        && !ends_with_modifier(rest)
        && !rest.starts_with("dev-")
    {
        version.push_str("-dev");
    }
    Ok(vec![(op, version)])
}

impl ComposerConstraint {
    /// Parses a constraint.
    pub fn parse(input: &str) -> Result<ComposerConstraint, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Composer, input, reason);
        if input.trim().is_empty() {
            return Err(err("empty constraint"));
        }
        if !input.is_ascii() {
            return Err(err("non-ASCII character"));
        }
        let squeezed: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed.contains(",,") || squeezed.starts_with(',') || squeezed.ends_with(',') {
            return Err(err("an empty term between commas"));
        }
        let mut alternatives = Vec::new();
        for alternative in input.split("||").flat_map(|a| a.split('|')) {
            let tokens: Vec<&str> = alternative
                .split([',', ' ', '\t'])
                .filter(|t| !t.is_empty())
                .collect();
            if tokens.is_empty() {
                return Err(err("empty alternative"));
            }
            let mut terms = Vec::new();
            let mut i = 0;
            while i < tokens.len() {
                if i + 2 < tokens.len() && tokens[i + 1] == "-" {
                    terms.extend(hyphen(tokens[i], tokens[i + 2]).map_err(err)?);
                    i += 3;
                    continue;
                }
                let mut term = tokens[i].to_owned();
                if matches!(
                    tokens[i],
                    "<" | "<=" | ">" | ">=" | "=" | "==" | "!=" | "<>" | "^" | "~"
                ) {
                    i += 1;
                    term.push_str(
                        tokens
                            .get(i)
                            .ok_or_else(|| err("an operator has no version"))?,
                    );
                }
                if tokens.get(i + 1) == Some(&"as") {
                    i += 2;
                }
                terms.extend(parse_term(&term).map_err(err)?);
                i += 1;
            }
            alternatives.push(
                terms
                    .into_iter()
                    .map(|(op, bound)| (op, Canonical::new(bound)))
                    .collect(),
            );
        }
        Ok(ComposerConstraint { alternatives })
    }

    /// Whether the version matches.
    pub fn matches(&self, v: &ComposerVersion) -> bool {
        self.alternatives.iter().any(|terms| {
            terms
                .iter()
                .all(|(op, bound)| version_compare(&v.text, bound, *op))
        })
    }
}

fn hyphen(from: &str, to: &str) -> Result<Vec<(Op, String)>, &'static str> {
    let (_, from_mod) = leading_numbers(from);
    let from_has_stability =
        parse_modifier(from_mod).is_some_and(|m| m.stability.is_some() || m.dev);
    let mut low = normalize(from)?;
    if !from_has_stability {
        low.push_str("-dev");
    }
    let (to_nums, to_mod) = leading_numbers(to);
    normalize(to)?;
    let to_has_stability = parse_modifier(to_mod).is_some_and(|m| m.stability.is_some() || m.dev);
    let high = if to_nums.len() >= 3 || to_has_stability {
        (Op::Le, normalize(to)?)
    } else {
        (
            Op::Lt,
            bump(&to_nums, if to_nums.len() < 2 { 1 } else { 2 }),
        )
    };
    Ok(vec![(Op::Ge, low), high])
}

impl fmt::Display for ComposerConstraint {
    /// The normalised constraint: terms `op version` joined by `, ` (all must hold),
    /// alternatives joined by ` || `, `*` for a term list that matches everything.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, terms) in self.alternatives.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            if terms.is_empty() {
                f.write_str("*")?;
            }
            for (j, (op, version)) in terms.iter().enumerate() {
                if j > 0 {
                    f.write_str(", ")?;
                }
                let op = match op {
                    Op::Eq => "==",
                    Op::Ne => "!=",
                    Op::Lt => "<",
                    Op::Le => "<=",
                    Op::Gt => ">",
                    Op::Ge => ">=",
                };
                write!(f, "{op} {}", version.normalized())?;
            }
        }
        Ok(())
    }
}

/// Composer's `Constraint::versionCompare` with branches not comparable.
fn version_compare(va: &Canonical, vb: &Canonical, op: Op) -> bool {
    let (a, b) = (va.normalized(), vb.normalized());
    let (ab, bb) = (is_branch(a), is_branch(b));
    if op == Op::Ne && (ab || bb) {
        return a != b;
    }
    if ab && bb {
        return op == Op::Eq && a == b;
    }
    if ab || bb {
        return false;
    }
    let ord = va.php_cmp(vb);
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Ne => ord != Ordering::Equal,
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Comparing precomputed canonical forms is `version_compare` (texts that are not
        /// branches; a few odd characters, `#` and `*` among them, for the fallback).
        #[test]
        fn canonical_forms_compare_as_php_does(
            a in "[0-9a-zA-Z._+#*-]{0,12}",
            b in "[0-9a-zA-Z._+#*-]{0,12}",
        ) {
            prop_assume!(!is_branch(&a) && !is_branch(&b));
            let (ca, cb) = (Canonical::new(a.clone()), Canonical::new(b.clone()));
            prop_assert_eq!(ca.php_cmp(&cb), php_compare(a.as_bytes(), b.as_bytes()));
        }
    }

    fn n(s: &str) -> String {
        normalize(s).unwrap()
    }

    fn sat(version: &str, c: &str) -> bool {
        ComposerConstraint::parse(c)
            .unwrap()
            .matches(&ComposerVersion::parse(version).unwrap())
    }

    #[test]
    fn normalisation() {
        assert_eq!(n("v1.2"), "1.2.0.0");
        assert_eq!(n("1.0-b2"), "1.0.0.0-beta2");
        assert_eq!(n("1.0.0-RC1"), "1.0.0.0-RC1");
        assert_eq!(n("1.0.0-pl3"), "1.0.0.0-patch3");
        assert_eq!(n("1.0-dev"), "1.0.0.0-dev");
        assert_eq!(n("2.x-dev"), "2.9999999.9999999.9999999-dev");
        assert_eq!(n("dev-main"), "dev-main");
        assert_eq!(n("20100102"), "20100102");
        assert_eq!(n("2010-01-02.5"), "2010.01.02.5");
        assert_eq!(n("1.0.0+build"), "1.0.0.0");
    }

    #[test]
    fn php_version_compare_order() {
        let order = [
            "1.0.0-dev",
            "1.0.0-alpha",
            "1.0.0-beta2",
            "1.0.0-RC1",
            "1.0.0",
            "1.0.0-pl1",
            "1.0.1",
        ];
        for w in order.windows(2) {
            assert_eq!(
                php_version_compare(w[0], w[1]),
                Ordering::Less,
                "{} < {}",
                w[0],
                w[1]
            );
        }
        assert_eq!(php_version_compare("1.0", "1.0.0"), Ordering::Less);
    }

    #[test]
    fn constraints() {
        assert!(sat("1.9.0", "^1.2") && !sat("2.0.0", "^1.2"));
        assert!(sat("0.3.9", "^0.3") && !sat("0.4.0", "^0.3"));
        assert!(sat("1.9", "~1.2") && !sat("2.0", "~1.2"));
        assert!(sat("1.2.9", "~1.2.3") && !sat("1.3.0", "~1.2.3"));
        assert!(sat("1.2.5", "1.2.*") && !sat("1.3.0", "1.2.*"));
        assert!(sat("2.0.5", "1.0 - 2.0") && !sat("2.1.0", "1.0 - 2.0"));
        assert!(sat("1.5", ">=1.0 <2.0") && sat("1.5", ">=1.0, <2.0"));
        assert!(sat("3.0", "<1.0 || >=3.0") && sat("3.0", "<1.0 | >=3.0"));
        assert!(!sat("2.0.0-beta1", "<2.0") && sat("1.0.0-beta1", ">=1.0@beta"));
        assert!(sat("7", "*"));
    }

    #[test]
    fn malformed_input_is_an_error() {
        for bad in ["", "junk", "1.0.0-foo", "1 2"] {
            assert!(ComposerVersion::parse(bad).is_err(), "{bad}");
        }
        for bad in ["", ">=", "^junk", "||"] {
            assert!(ComposerConstraint::parse(bad).is_err(), "{bad}");
        }
    }
}
