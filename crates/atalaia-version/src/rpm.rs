//! RPM versions (`[epoch:]version[-release]`), ordered as rpm orders them.
//!
//! Each part compares with `rpmvercmp`: the strings are cut into runs of ASCII digits and runs
//! of ASCII letters, every other byte separates; a digit run beats a letter run; digit runs
//! compare as numbers; `~` sorts before everything (even the end: `1.0~rc1 < 1.0`) and `^`
//! after the end but before anything else (`1.0 < 1.0^git1 < 1.0.1`). Epochs compare as
//! numbers, a missing epoch being 0. A missing release sorts before any release, as rpm's
//! Python `labelCompare` orders it; [`RpmVersion::matches_release_of`] gives rpm's dependency
//! rule instead, where a bound without a release matches every release.

use std::cmp::Ordering;
use std::fmt;

use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// An rpm EVR.
#[derive(Debug, Clone)]
pub struct RpmVersion {
    text: Box<str>,
    /// End of the epoch digits (0 when there is no epoch).
    epoch_end: u32,
    version: (u32, u32),
    release: Option<(u32, u32)>,
}

impl RpmVersion {
    /// Parses `[epoch:]version[-release]` as rpm's `parseEVR` splits it.
    pub fn parse(input: &str) -> Result<RpmVersion, VersionError> {
        let err = |reason| VersionError::version(Scheme::Rpm, input, reason);
        let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
        if s.is_empty() {
            return Err(err("version string is empty"));
        }
        if s.chars().any(char::is_whitespace) {
            return Err(err("version string has embedded spaces"));
        }
        if s.len() > u32::MAX as usize {
            return Err(err("version string is too long"));
        }
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let (epoch_end, version_start) = if s.as_bytes().get(digits) == Some(&b':') {
            (digits, digits + 1)
        } else {
            (0, 0)
        };
        let release_dash = s[version_start..].rfind('-').map(|i| i + version_start);
        let version_end = release_dash.unwrap_or(s.len());
        if version_start == version_end {
            return Err(err("version part is empty"));
        }
        let release = release_dash.map(|d| (d as u32 + 1, s.len() as u32));
        if release.is_some_and(|(a, b)| a == b) {
            return Err(err("release part is empty"));
        }
        Ok(RpmVersion {
            text: s.into(),
            epoch_end: epoch_end as u32,
            version: (version_start as u32, version_end as u32),
            release,
        })
    }

    /// The EVR as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The epoch digits, if the EVR has an epoch.
    pub fn epoch(&self) -> Option<&str> {
        (self.epoch_end > 0).then(|| &self.text[..self.epoch_end as usize])
    }

    /// The version part.
    pub fn version(&self) -> &str {
        &self.text[self.version.0 as usize..self.version.1 as usize]
    }

    /// The release part, if any.
    pub fn release(&self) -> Option<&str> {
        self.release
            .map(|(a, b)| &self.text[a as usize..b as usize])
    }

    /// rpm's dependency comparison: like [`Ord::cmp`] but when either side has no release the
    /// releases are not compared (`1.0` matches `1.0-3`). Not a total order; use it to test a
    /// version against a bound.
    pub fn matches_release_of(&self, bound: &RpmVersion) -> Ordering {
        self.epoch_version_cmp(bound)
            .then_with(|| match (self.release(), bound.release()) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                _ => Ordering::Equal,
            })
    }

    fn epoch_version_cmp(&self, other: &Self) -> Ordering {
        let ea = self.epoch().unwrap_or("0").as_bytes();
        let eb = other.epoch().unwrap_or("0").as_bytes();
        cmp_digits(ea, eb).then_with(|| rpmvercmp(self.version(), other.version()))
    }
}

/// rpm's `rpmvercmp` on one part (version or release).
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let sep = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    while i < a.len() || j < b.len() {
        while i < a.len() && sep(a[i]) {
            i += 1;
        }
        while j < b.len() && sep(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if i >= a.len() || j >= b.len() {
            break;
        }
        let numeric = a[i].is_ascii_digit();
        let class = |c: &u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let ea = i + a[i..].iter().take_while(|c| class(c)).count();
        let eb = j + b[j..].iter().take_while(|c| class(c)).count();
        if eb == j {
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let ord = if numeric {
            cmp_digits(&a[i..ea], &b[j..eb])
        } else {
            a[i..ea].cmp(&b[j..eb])
        };
        if ord != Ordering::Equal {
            return ord;
        }
        i = ea;
        j = eb;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch_version_cmp(other)
            .then_with(|| match (self.release(), other.release()) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> RpmVersion {
        RpmVersion::parse(s).unwrap()
    }

    #[test]
    fn evr_parts() {
        let x = v("2:1.0.1-3.el9");
        assert_eq!(
            (x.epoch(), x.version(), x.release()),
            (Some("2"), "1.0.1", Some("3.el9"))
        );
        let y = v("1.0");
        assert_eq!((y.epoch(), y.release()), (None, None));
        assert_eq!(v("a:b-c").version(), "a:b");
    }

    #[test]
    fn epoch_then_version_then_release() {
        assert!(v("1:1.0-1") > v("2.0-1"));
        assert!(v("0:1.0-1") == v("1.0-1"));
        assert!(v("1.0-1.el8") < v("1.0-2.el8"));
        assert!(v("1.0") < v("1.0-1"));
        assert_eq!(v("1.0").matches_release_of(&v("1.0-7")), Ordering::Equal);
    }

    #[test]
    fn malformed_versions_are_errors() {
        for bad in ["", " ", "1:", "1.0-", "1 0", "-1"] {
            assert!(RpmVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
