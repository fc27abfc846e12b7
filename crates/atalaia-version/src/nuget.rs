//! NuGet versions and version ranges, as NuGet.Versioning reads them.
//!
//! `Major[.Minor[.Patch[.Revision]]][-label(.label)*][+metadata]`: missing parts are zero and
//! a zero revision is dropped (`1.0 = 1.0.0 = 1.0.0.0`); labels compare numerically when both
//! are numbers (a number before a word) and otherwise as case-insensitive ordinals; a version
//! with labels is a pre-release of the same version without; metadata is ignored.
//!
//! Ranges use interval notation: `1.0` means at least 1.0, `[1.0]` exactly 1.0,
//! `[1.0,2.0)`, `(,1.0]`, `(1.0,)`; spaces are ignored; a floating version (`1.*`,
//! `1.0.0-beta*`) stands for its lowest version, as in NuGet's `VersionRange.Satisfies`.

use std::cmp::Ordering;
use std::fmt;

use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// A NuGet version.
#[derive(Debug, Clone)]
pub struct NugetVersion {
    text: Box<str>,
    parts: [u32; 4],
    /// Release labels (`text[a..b]`), empty for a release.
    labels: (u32, u32),
}

impl NugetVersion {
    /// Parses a version.
    pub fn parse(input: &str) -> Result<NugetVersion, VersionError> {
        let err = |reason| VersionError::version(Scheme::Nuget, input, reason);
        let s = input.trim();
        if s.is_empty() {
            return Err(err("version string is empty"));
        }
        let main_labels = match s.find('+') {
            Some(p) => {
                let meta = &s[p + 1..];
                if meta.is_empty()
                    || !meta.split('.').all(|m| {
                        !m.is_empty() && m.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                    })
                {
                    return Err(err("invalid metadata"));
                }
                &s[..p]
            }
            None => s,
        };
        let (main, labels) = match main_labels.find('-') {
            Some(p) => (&main_labels[..p], Some(p + 1)),
            None => (main_labels, None),
        };
        let mut parts = [0u32; 4];
        for (i, n) in main.split('.').enumerate() {
            if i == 4 {
                return Err(err("more than four version numbers"));
            }
            if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err("version numbers must be digits"));
            }
            parts[i] = n
                .parse::<i32>()
                .map_err(|_| err("a version number is too large"))? as u32;
        }
        let labels = match labels {
            Some(p) => {
                let text = &main_labels[p..];
                if !text.split('.').all(|l| {
                    !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                }) {
                    return Err(err("invalid release label"));
                }
                (p as u32, (p + text.len()) as u32)
            }
            None => (0, 0),
        };
        Ok(NugetVersion {
            text: s.into(),
            parts,
            labels,
        })
    }

    /// The version as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The release labels joined by `.` (empty for a release).
    pub fn release_labels(&self) -> &str {
        &self.text[self.labels.0 as usize..self.labels.1 as usize]
    }

    /// The normalized form (`1.0.0`, `1.2.3.4`, `1.0.0-beta`), without metadata.
    pub fn normalized(&self) -> String {
        let [a, b, c, d] = self.parts;
        let mut out = if d == 0 {
            format!("{a}.{b}.{c}")
        } else {
            format!("{a}.{b}.{c}.{d}")
        };
        if !self.release_labels().is_empty() {
            out.push('-');
            out.push_str(self.release_labels());
        }
        out
    }
}

fn cmp_labels(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
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
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x
                        .bytes()
                        .map(|c| c.to_ascii_uppercase())
                        .cmp(y.bytes().map(|c| c.to_ascii_uppercase())),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

impl Ord for NugetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts
            .cmp(&other.parts)
            .then_with(|| cmp_labels(self.release_labels(), other.release_labels()))
    }
}

impl PartialOrd for NugetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NugetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NugetVersion {}

impl fmt::Display for NugetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The lowest version a floating version (`1.*`, `1.0.0-beta*`, `*`) can resolve to; NuGet's
/// `Satisfies` tests a floating range against that minimum only.
fn unfloat(t: &str) -> &str {
    match t.strip_suffix('*') {
        Some("") => "0.0.0",
        Some(rest) => rest.trim_end_matches(['.', '-']),
        None => t,
    }
}

/// A NuGet version range.
#[derive(Debug, Clone)]
pub struct NugetRange {
    min: Option<(NugetVersion, bool)>,
    max: Option<(NugetVersion, bool)>,
}

impl NugetRange {
    /// Parses `1.0`, `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `(1.0,)`.
    pub fn parse(input: &str) -> Result<NugetRange, VersionError> {
        let err = |reason: &str| VersionError::constraint(Scheme::Nuget, input, reason);
        // NuGet ignores every space in a range (`[ 1 .2 , 2 .3 ]` is `[1.2,2.3]`).
        let squeezed: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let s = squeezed.as_str();
        if s.is_empty() {
            return Err(err("empty range"));
        }
        let version = |t: &str| -> Result<Option<NugetVersion>, VersionError> {
            if t.is_empty() {
                Ok(None)
            } else {
                NugetVersion::parse(unfloat(t)).map(Some)
            }
        };
        let first = s.as_bytes()[0];
        if first != b'[' && first != b'(' {
            let v = version(s)?.ok_or_else(|| err("empty range"))?;
            return Ok(NugetRange {
                min: Some((v, true)),
                max: None,
            });
        }
        let last = s.as_bytes()[s.len() - 1];
        if s.len() < 2 || !(last == b']' || last == b')') {
            return Err(err("a range must end with `]` or `)`"));
        }
        let (min_inc, max_inc) = (first == b'[', last == b']');
        let body = &s[1..s.len() - 1];
        match body.split_once(',') {
            None => {
                if !(min_inc && max_inc) {
                    return Err(err("an exact version must be written `[1.0]`"));
                }
                let v = version(body)?.ok_or_else(|| err("empty range"))?;
                Ok(NugetRange {
                    min: Some((v.clone(), true)),
                    max: Some((v, true)),
                })
            }
            Some((lo, hi)) => {
                if hi.contains(',') {
                    return Err(err("a range has at most two bounds"));
                }
                let (min, max) = (version(lo)?, version(hi)?);
                if min.is_none() && max.is_none() {
                    return Err(err("a range needs at least one bound"));
                }
                if let (Some(a), Some(b)) = (&min, &max) {
                    if b < a || (a == b && !(min_inc && max_inc)) {
                        return Err(err("the range is empty"));
                    }
                }
                Ok(NugetRange {
                    min: min.map(|v| (v, min_inc)),
                    max: max.map(|v| (v, max_inc)),
                })
            }
        }
    }

    /// Whether `v` is in the range.
    pub fn contains(&self, v: &NugetVersion) -> bool {
        let above = self.min.as_ref().is_none_or(|(m, inc)| match v.cmp(m) {
            Ordering::Greater => true,
            Ordering::Equal => *inc,
            Ordering::Less => false,
        });
        let below = self.max.as_ref().is_none_or(|(m, inc)| match v.cmp(m) {
            Ordering::Less => true,
            Ordering::Equal => *inc,
            Ordering::Greater => false,
        });
        above && below
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> NugetVersion {
        NugetVersion::parse(s).unwrap()
    }

    #[test]
    fn normalization_and_labels() {
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert_eq!(v("1.0.0.0").normalized(), "1.0.0");
        assert_eq!(v("1.2.3.4-Beta+x").normalized(), "1.2.3.4-Beta");
        assert!(v("1.0.0-alpha") < v("1.0.0"));
        assert!(v("1.0.0-2") < v("1.0.0-10"));
        assert!(v("1.0.0-1") < v("1.0.0-a"));
        assert_eq!(v("1.0.0-BETA"), v("1.0.0-beta"));
    }

    #[test]
    fn ranges() {
        let r = NugetRange::parse("[1.0,2.0)").unwrap();
        assert!(r.contains(&v("1.5")) && !r.contains(&v("2.0")));
        assert!(NugetRange::parse("1.0").unwrap().contains(&v("9.0")));
        assert!(!NugetRange::parse("(1.0,)").unwrap().contains(&v("1.0")));
        assert!(NugetRange::parse("[1.0]").unwrap().contains(&v("1.0.0")));
    }

    #[test]
    fn malformed_input_is_an_error() {
        for bad in [
            "",
            "1.2.3.4.5",
            "a.b",
            "1.0-",
            "1.0+",
            "v1.0",
            "99999999999.0",
        ] {
            assert!(NugetVersion::parse(bad).is_err(), "{bad}");
        }
        for bad in ["[1.0", "(1.0)", "[2.0,1.0]", "[,]", "[1,2,3]", "(1.0]"] {
            assert!(NugetRange::parse(bad).is_err(), "{bad}");
        }
    }
}
