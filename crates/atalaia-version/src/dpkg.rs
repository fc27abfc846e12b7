//! Debian package versions, ordered as dpkg orders them.
//!
//! `[epoch:]upstream[-revision]`: the epoch is a number; the upstream version starts with a
//! digit and holds alphanumerics and `. + - ~ :`; the revision (after the last `-`) holds
//! alphanumerics and `. + ~`. Parts compare with dpkg's `verrevcmp`: runs of non-digits
//! compare character by character where letters sort before other characters and `~` before
//! everything, even the end of the string; runs of digits compare as numbers. Strings dpkg
//! rejects or warns about are errors here.

use std::cmp::Ordering;
use std::fmt;

use crate::{Scheme, VersionError};

/// A dpkg version. Equal versions may be written differently (`1.09` and `1.9`).
#[derive(Debug, Clone)]
pub struct DpkgVersion {
    text: Box<str>,
    epoch: u32,
    upstream: (u32, u32),
    revision: (u32, u32),
}

impl DpkgVersion {
    /// Parses a version as dpkg's `parseversion` does (surrounding spaces are ignored).
    pub fn parse(input: &str) -> Result<DpkgVersion, VersionError> {
        let err = |reason| VersionError::version(Scheme::Dpkg, input, reason);
        let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
        if s.is_empty() {
            return Err(err("version string is empty"));
        }
        if s.bytes().any(|c| c.is_ascii_whitespace()) {
            return Err(err("version string has embedded spaces"));
        }
        let (epoch, rest_start) = match s.find(':') {
            Some(colon) => {
                let digits = &s[..colon];
                if digits.is_empty() {
                    return Err(err("epoch in version is empty"));
                }
                if !digits.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(err("epoch in version is not number"));
                }
                let epoch: u32 = digits
                    .parse()
                    .ok()
                    .filter(|&e| e <= i32::MAX as u32)
                    .ok_or_else(|| err("epoch in version is too big"))?;
                if colon + 1 == s.len() {
                    return Err(err("nothing after colon in version number"));
                }
                (epoch, colon + 1)
            }
            None => (0, 0),
        };
        let rest = &s[rest_start..];
        let (upstream, revision) = match rest.rfind('-') {
            Some(hyphen) => (&rest[..hyphen], &rest[hyphen + 1..]),
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(err("version number is empty"));
        }
        if !upstream.as_bytes()[0].is_ascii_digit() {
            return Err(err("version number does not start with digit"));
        }
        if !upstream
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b".-+~:".contains(&c))
        {
            return Err(err("invalid character in version number"));
        }
        if !revision
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b".+~".contains(&c))
        {
            return Err(err("invalid character in revision number"));
        }
        if s.len() > u32::MAX as usize {
            return Err(err("version string is too long"));
        }
        let up_start = rest_start;
        let up_end = up_start + upstream.len();
        let rev = if rest.len() > upstream.len() {
            (up_end + 1, s.len())
        } else {
            (s.len(), s.len())
        };
        Ok(DpkgVersion {
            text: s.into(),
            epoch,
            upstream: (up_start as u32, up_end as u32),
            revision: (rev.0 as u32, rev.1 as u32),
        })
    }

    /// The version as written (without surrounding spaces).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The epoch (0 when absent).
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream version.
    pub fn upstream(&self) -> &str {
        &self.text[self.upstream.0 as usize..self.upstream.1 as usize]
    }

    /// The Debian revision (empty when absent).
    pub fn revision(&self) -> &str {
        &self.text[self.revision.0 as usize..self.revision.1 as usize]
    }
}

/// The weight of one non-digit character in `verrevcmp` (0 stands for the end or a digit).
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp` on one part (upstream or revision).
pub fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream(), other.upstream()))
            .then_with(|| verrevcmp(self.revision(), other.revision()))
    }
}

impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DpkgVersion {}

impl fmt::Display for DpkgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DpkgVersion {
        DpkgVersion::parse(s).unwrap()
    }

    #[test]
    fn parts() {
        let x = v(" 1:2.36-9+deb12u4\t");
        assert_eq!(
            (x.epoch(), x.upstream(), x.revision()),
            (1, "2.36", "9+deb12u4")
        );
        let y = v("0:0-0-0");
        assert_eq!((y.upstream(), y.revision()), ("0-0", "0"));
        assert_eq!(v("1.0").revision(), "");
    }

    #[test]
    fn verrevcmp_on_raw_parts() {
        // lib/dpkg/t/t-version.c compares version objects whose parts parseversion would reject.
        assert_eq!(verrevcmp("a", "b"), Ordering::Less);
        assert_eq!(verrevcmp("", "0"), Ordering::Equal);
        assert_eq!(verrevcmp("~", ""), Ordering::Less);
    }

    #[test]
    fn epoch_beats_revision() {
        assert!(v("1:2.36-9+deb12u4") > v("2.36-9+deb12u7"));
        assert!(v("2.36-9+deb12u4") < v("2.36-9+deb12u7"));
        assert!(v("1.0~rc1") < v("1.0"));
        assert_eq!(v("1.09"), v("1.9"));
    }

    #[test]
    fn malformed_versions_are_errors() {
        for bad in [
            "",
            "  ",
            "0:",
            "a:1",
            "-1",
            "1.0_1",
            "abc",
            "1 2",
            "99999999999:1",
            "1-a_b",
        ] {
            assert!(DpkgVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
