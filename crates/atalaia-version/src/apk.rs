//! Alpine package versions, ordered as apk-tools orders them.
//!
//! `digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]`, where a suffix is a pre-release
//! (`_alpha < _beta < _pre < _rc`) or a post-release (`_cvs < _svn < _git < _hg < _p`). Versions
//! are compared token by token as apk-tools 2.14/3's `apk_version_compare` does: numbers as
//! numbers, except that a component after a dot with a leading zero compares as text
//! (`1.02 < 1.2`, as in Gentoo); a version that ends where the other goes on is older unless
//! the other goes on with a pre-release suffix. Strings apk-tools' `apk_version_validate`
//! rejects are errors here (apk itself would fall back to comparing them as plain strings).

use std::cmp::Ordering;
use std::fmt;

use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// An apk version.
#[derive(Debug, Clone)]
pub struct ApkVersion {
    text: Box<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid,
}

/// Suffix values: pre-releases below `NONE`, post-releases above.
const SUFFIXES: [(&[u8], u8); 9] = [
    (b"alpha", 1),
    (b"beta", 2),
    (b"pre", 3),
    (b"rc", 4),
    (b"cvs", 6),
    (b"svn", 7),
    (b"git", 8),
    (b"hg", 9),
    (b"p", 10),
];
const SUFFIX_NONE: u8 = 5;

struct Token<'a> {
    kind: Kind,
    suffix: u8,
    value: &'a [u8],
}

struct Tokens<'a> {
    s: &'a [u8],
    t: Token<'a>,
}

impl<'a> Tokens<'a> {
    fn first(s: &'a str) -> Self {
        let mut t = Tokens {
            s: s.as_bytes(),
            t: Token {
                kind: Kind::InitialDigit,
                suffix: 0,
                value: &[],
            },
        };
        t.digits();
        t
    }

    fn digits(&mut self) {
        let n = self.s.iter().take_while(|c| c.is_ascii_digit()).count();
        self.t.value = &self.s[..n];
        self.s = &self.s[n..];
        if n == 0 {
            self.t.kind = Kind::Invalid;
        }
    }

    fn span(&mut self, ok: impl Fn(u8) -> bool) -> &'a [u8] {
        let n = self.s.iter().take_while(|&&c| ok(c)).count();
        let (v, rest) = self.s.split_at(n);
        self.s = rest;
        v
    }

    fn next(&mut self) {
        let Some(&c) = self.s.first() else {
            self.t.kind = Kind::End;
            return;
        };
        let kind = self.t.kind;
        match c {
            b'a'..=b'z' if kind <= Kind::Digit => {
                self.t.value = &self.s[..1];
                self.t.kind = Kind::Letter;
                self.s = &self.s[1..];
            }
            b'.' | b'0'..=b'9' if c != b'.' || kind <= Kind::Digit => {
                if c == b'.' {
                    self.s = &self.s[1..];
                }
                self.t.kind = match kind {
                    Kind::InitialDigit | Kind::Digit => Kind::Digit,
                    Kind::Suffix => Kind::SuffixNo,
                    _ => {
                        self.t.kind = Kind::Invalid;
                        return;
                    }
                };
                self.digits();
            }
            b'_' if kind <= Kind::SuffixNo => {
                self.s = &self.s[1..];
                let word = self.span(|c| c.is_ascii_lowercase());
                self.t.value = word;
                match SUFFIXES.iter().find(|(w, _)| *w == word) {
                    Some((_, v)) => {
                        self.t.suffix = *v;
                        self.t.kind = Kind::Suffix;
                    }
                    None => self.t.kind = Kind::Invalid,
                }
            }
            b'~' if kind < Kind::CommitHash => {
                self.s = &self.s[1..];
                let hash = self.span(|c| c.is_ascii_hexdigit());
                self.t.value = hash;
                self.t.kind = if hash.is_empty() {
                    Kind::Invalid
                } else {
                    Kind::CommitHash
                };
            }
            b'-' if kind < Kind::RevisionNo && self.s.get(1) == Some(&b'r') => {
                self.s = &self.s[2..];
                self.t.kind = Kind::RevisionNo;
                self.digits();
            }
            _ => self.t.kind = Kind::Invalid,
        }
    }
}

/// `token_cmp` of two tokens of the same kind.
fn token_cmp(a: &Token<'_>, b: &Token<'_>) -> Ordering {
    match a.kind {
        Kind::Digit if a.value.first() == Some(&b'0') || b.value.first() == Some(&b'0') => {
            a.value.cmp(b.value)
        }
        Kind::Digit | Kind::InitialDigit | Kind::SuffixNo | Kind::RevisionNo => {
            cmp_digits(a.value, b.value)
        }
        Kind::Letter => a.value.cmp(b.value),
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        _ => a.value.cmp(b.value),
    }
}

impl ApkVersion {
    /// Parses a version, accepting exactly what `apk_version_validate` accepts (but not "").
    pub fn parse(input: &str) -> Result<ApkVersion, VersionError> {
        if input.is_empty() {
            return Err(VersionError::version(
                Scheme::Apk,
                input,
                "version string is empty",
            ));
        }
        if !is_valid(input) {
            return Err(VersionError::version(
                Scheme::Apk,
                input,
                "not of the form digits{.digits}[letter]{_suffix[N]}[~hash][-rN]",
            ));
        }
        Ok(ApkVersion { text: input.into() })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn is_valid(s: &str) -> bool {
    let mut t = Tokens::first(s);
    while t.t.kind < Kind::End {
        t.next();
    }
    t.t.kind == Kind::End
}

fn compare(a: &str, b: &str) -> Ordering {
    let mut ta = Tokens::first(a);
    let mut tb = Tokens::first(b);
    while ta.t.kind == tb.t.kind && ta.t.kind < Kind::End {
        let ord = token_cmp(&ta.t, &tb.t);
        if ord != Ordering::Equal {
            return ord;
        }
        ta.next();
        tb.next();
    }
    let (x, y) = (&ta.t, &tb.t);
    if x.kind == y.kind {
        return Ordering::Equal;
    }
    if x.kind == Kind::Suffix && x.suffix < SUFFIX_NONE {
        return Ordering::Less;
    }
    if y.kind == Kind::Suffix && y.suffix < SUFFIX_NONE {
        return Ordering::Greater;
    }
    y.kind.cmp(&x.kind)
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.text, &other.text)
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ApkVersion {
        ApkVersion::parse(s).unwrap()
    }

    #[test]
    fn suffixes_and_revisions() {
        assert!(v("1.0_alpha1") < v("1.0_beta"));
        assert!(v("1.0_rc3") < v("1.0"));
        assert!(v("1.0") < v("1.0_p1"));
        assert!(v("1.0-r1") < v("1.0-r10"));
        assert!(v("1.0a") > v("1.0"));
        assert!(v("1.02") < v("1.2"));
        assert!(v("1.0~abc1") > v("1.0"));
        assert_eq!(v("1.2.3-r0"), v("1.2.3-r0"));
    }

    #[test]
    fn malformed_versions_are_errors() {
        for bad in [
            "", "1.0bc", "23_foo", "1.0-r1.2", "1.0_", "a", "1a2", "1.0-1", "1 0", "1.0~",
            "1.0~xyz",
        ] {
            assert!(ApkVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
