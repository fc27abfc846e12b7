//! Go module versions, as golang.org/x/mod/semver reads them.
//!
//! `vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]`: the shorthands `v1` and `v1.2` mean `v1.0.0` and
//! `v1.2.0` and take no pre-release or build. Pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`) are
//! pre-releases and order by their timestamp as SemVer orders them; `+incompatible` is build
//! metadata and does not take part in ordering. Numbers may be of any size. The leading `v`
//! may be left out (OSV's Go ranges write versions without it).

use std::cmp::Ordering;
use std::fmt;

use crate::semver::cmp_prerelease;
use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// A Go module version.
#[derive(Debug, Clone)]
pub struct GoVersion {
    text: Box<str>,
    /// Byte ranges of major, minor, patch (empty = 0), pre-release and build in `text`.
    parts: [(u32, u32); 5],
}

fn num_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) && !(s.len() > 1 && s.starts_with('0'))
}

fn ids_ok(s: &str, numeric_rule: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !(numeric_rule
                && id.len() > 1
                && id.starts_with('0')
                && id.bytes().all(|c| c.is_ascii_digit()))
    })
}

impl GoVersion {
    /// Parses a Go module version.
    pub fn parse(input: &str) -> Result<GoVersion, VersionError> {
        let err = |reason| VersionError::version(Scheme::Go, input, reason);
        if input.len() > u32::MAX as usize {
            return Err(err("version string is too long"));
        }
        let start = usize::from(input.starts_with('v'));
        let body = &input[start..];
        let (main_pre, build) = match body.find('+') {
            Some(p) => (&body[..p], Some(p + 1)),
            None => (body, None),
        };
        let (main, pre) = match main_pre.find('-') {
            Some(p) => (&main_pre[..p], Some(p + 1)),
            None => (main_pre, None),
        };
        let mut parts = [(0u32, 0u32); 5];
        let mut offset = start;
        let mut count = 0;
        for n in main.split('.') {
            if count == 3 || !num_ok(n) {
                return Err(err(
                    "expected vMAJOR[.MINOR[.PATCH]] with numbers without leading zeros",
                ));
            }
            parts[count] = (offset as u32, (offset + n.len()) as u32);
            offset += n.len() + 1;
            count += 1;
        }
        if count < 3 && (pre.is_some() || build.is_some()) {
            return Err(err(
                "a shorthand version cannot have a pre-release or build",
            ));
        }
        let end_main = start + main_pre.len();
        parts[3] = match pre {
            Some(p) => {
                let text = &main_pre[p..];
                if !ids_ok(text, true) {
                    return Err(err("invalid pre-release"));
                }
                ((start + p) as u32, end_main as u32)
            }
            None => (end_main as u32, end_main as u32),
        };
        parts[4] = match build {
            Some(b) => {
                if !ids_ok(&body[b..], false) {
                    return Err(err("invalid build metadata"));
                }
                ((start + b) as u32, input.len() as u32)
            }
            None => (input.len() as u32, input.len() as u32),
        };
        Ok(GoVersion {
            text: input.into(),
            parts,
        })
    }

    fn part(&self, i: usize) -> &str {
        &self.text[self.parts[i].0 as usize..self.parts[i].1 as usize]
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The canonical form (`v1.2.0`, pre-release kept, build dropped), as `semver.Canonical`.
    pub fn canonical(&self) -> String {
        let num = |i: usize| {
            if self.part(i).is_empty() {
                "0"
            } else {
                self.part(i)
            }
        };
        let mut out = format!("v{}.{}.{}", num(0), num(1), num(2));
        if !self.pre().is_empty() {
            out.push('-');
            out.push_str(self.pre());
        }
        out
    }

    /// The pre-release (empty for a release).
    pub fn pre(&self) -> &str {
        self.part(3)
    }

    /// The build metadata (`incompatible` for `+incompatible`).
    pub fn build(&self) -> &str {
        self.part(4)
    }

    /// Whether this is a pseudo-version (`vX.Y.Z-[0.]yyyymmddhhmmss-abcdefabcdef`).
    pub fn is_pseudo(&self) -> bool {
        let pre = self.pre();
        let Some(rev_at) = pre.rfind('-') else {
            return false;
        };
        let rev = &pre[rev_at + 1..];
        let stamp_part = &pre[..rev_at];
        let stamp = stamp_part.rsplit('.').next().unwrap_or(stamp_part);
        rev.len() == 12
            && rev
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
            && stamp.len() == 14
            && stamp.bytes().all(|c| c.is_ascii_digit())
    }
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for i in 0..3 {
            let a = if self.part(i).is_empty() {
                "0"
            } else {
                self.part(i)
            };
            let b = if other.part(i).is_empty() {
                "0"
            } else {
                other.part(i)
            };
            let ord = cmp_digits(a.as_bytes(), b.as_bytes());
            if ord != Ordering::Equal {
                return ord;
            }
        }
        cmp_prerelease(self.pre(), other.pre())
    }
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GoVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GoVersion {}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GoVersion {
        GoVersion::parse(s).unwrap()
    }

    #[test]
    fn pseudo_versions_and_incompatible() {
        let p = v("v0.0.0-20191109021931-daa7c04131f5");
        assert!(p.is_pseudo());
        assert!(p < v("v0.0.1"));
        assert!(v("v1.2.4-0.20191109021931-daa7c04131f5") > v("v1.2.3"));
        assert!(v("v1.2.4-0.20191109021931-daa7c04131f5") < v("v1.2.4"));
        assert_eq!(v("v2.0.0+incompatible"), v("v2.0.0"));
        assert_eq!(v("v2.0.0+incompatible").build(), "incompatible");
        assert_eq!(v("v1.2").canonical(), "v1.2.0");
        assert_eq!(v("1.2.3"), v("v1.2.3"));
    }

    #[test]
    fn malformed_versions_are_errors() {
        for bad in [
            "",
            "v",
            "bad",
            "v1.2-pre",
            "v01.2.3",
            "v1.2.3.4",
            "v1.2.3-",
            "v1.2.3+",
            "v1.2.3-01",
        ] {
            assert!(GoVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
