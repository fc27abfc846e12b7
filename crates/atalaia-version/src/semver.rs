//! SemVer 2.0.0 versions, the base of the `semver`, `npm`, `go`, `cargo`, `hex`, `pub` and
//! `swift` schemes.
//!
//! Precedence: major, minor and patch as numbers; a version with a pre-release sorts before the
//! same version without; pre-release identifiers compare left to right, numeric ones as numbers
//! and before alphanumeric ones, which compare as ASCII; a shorter list that is a prefix of a
//! longer one sorts first. Build metadata does not take part, except under `pub`, whose
//! `pub_semver` package sorts a version with build metadata after the same version without it
//! and then compares the build identifiers like pre-release ones.

use std::cmp::Ordering;
use std::fmt;

use crate::util::cmp_digits;
use crate::{Scheme, VersionError};

/// A SemVer version.
#[derive(Debug, Clone)]
pub struct SemVersion {
    text: Box<str>,
    major: u64,
    minor: u64,
    patch: u64,
    pre: (u32, u32),
    build: (u32, u32),
}

/// The result of [`parse_core`]: numbers and where pre-release and build sit in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Core {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) patch: u64,
    pub(crate) pre: (usize, usize),
    pub(crate) build: (usize, usize),
}

fn ident_ok(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

fn number(s: &str, loose: bool) -> Result<u64, &'static str> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err("major, minor and patch must be numbers");
    }
    if !loose && s.len() > 1 && s.starts_with('0') {
        return Err("a number has a leading zero");
    }
    s.parse().map_err(|_| "a number is too large")
}

/// Parses `MAJOR.MINOR.PATCH[-PRE][+BUILD]` (the whole of `s`). `loose` is node-semver's loose
/// mode: leading zeros allowed and the `-` before the pre-release optional.
pub(crate) fn parse_core(s: &str, loose: bool) -> Result<Core, &'static str> {
    let (main_pre, build) = match s.find('+') {
        Some(p) => (&s[..p], Some(p + 1)),
        None => (s, None),
    };
    let mut parts = main_pre.splitn(3, '.');
    let major = number(parts.next().unwrap_or(""), loose)?;
    let minor = number(parts.next().ok_or("minor version is missing")?, loose)?;
    let rest = parts.next().ok_or("patch version is missing")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let patch = number(&rest[..digits], loose)?;
    let after = &rest[digits..];
    let base = main_pre.len() - after.len();
    let pre = if after.is_empty() {
        (base, base)
    } else if let Some(p) = after.strip_prefix('-').filter(|p| !p.is_empty()) {
        (base + 1, base + 1 + p.len())
    } else if loose {
        (base, base + after.len())
    } else {
        return Err("expected `-` or `+` after the patch version");
    };
    for id in main_pre[pre.0..pre.1].split('.').filter(|_| pre.0 != pre.1) {
        if !ident_ok(id) {
            return Err("pre-release identifiers must be non-empty [0-9A-Za-z-]");
        }
        if !loose && id.len() > 1 && id.starts_with('0') && id.bytes().all(|c| c.is_ascii_digit()) {
            return Err("a numeric pre-release identifier has a leading zero");
        }
    }
    let build = match build {
        Some(b) => {
            if !s[b..].split('.').all(ident_ok) {
                return Err("build identifiers must be non-empty [0-9A-Za-z-]");
            }
            (b, s.len())
        }
        None => (s.len(), s.len()),
    };
    Ok(Core {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

/// Compares two dot-separated identifier lists by SemVer pre-release rules.
pub(crate) fn cmp_identifiers(a: &str, b: &str) -> Ordering {
    let mut ia = a.split('.');
    let mut ib = b.split('.');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let nx = !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
                let ny = !y.is_empty() && y.bytes().all(|c| c.is_ascii_digit());
                let ord = match (nx, ny) {
                    (true, true) => cmp_digits(x.as_bytes(), y.as_bytes()),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

/// Compares pre-release strings: an empty one (a release) sorts last.
pub(crate) fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => cmp_identifiers(a, b),
    }
}

impl SemVersion {
    /// Parses a strict SemVer 2.0.0 version, allowing one leading `v`.
    pub fn parse(input: &str) -> Result<SemVersion, VersionError> {
        Self::parse_for(Scheme::Semver, input)
    }

    /// Parses a version as `scheme` writes them: `semver`, `swift` allow a leading `v`;
    /// `cargo`, `hex` and `pub` do not.
    pub fn parse_for(scheme: Scheme, input: &str) -> Result<SemVersion, VersionError> {
        let body = match scheme {
            Scheme::Semver | Scheme::Swift => input.strip_prefix('v').unwrap_or(input),
            _ => input,
        };
        let offset = input.len() - body.len();
        Self::from_core(input, offset, false)
            .map_err(|reason| VersionError::version(scheme, input, reason))
    }

    /// Builds a version from `text`, whose SemVer part starts at `offset`.
    pub(crate) fn from_core(
        text: &str,
        offset: usize,
        loose: bool,
    ) -> Result<SemVersion, &'static str> {
        if text.len() > u32::MAX as usize {
            return Err("version string is too long");
        }
        let c = parse_core(&text[offset..], loose)?;
        let shift = |(a, b): (usize, usize)| ((a + offset) as u32, (b + offset) as u32);
        Ok(SemVersion {
            text: text.into(),
            major: c.major,
            minor: c.minor,
            patch: c.patch,
            pre: shift(c.pre),
            build: shift(c.build),
        })
    }

    /// Builds a version from numbers (used for range bounds).
    pub(crate) fn from_parts(major: u64, minor: u64, patch: u64, pre: &str) -> SemVersion {
        let text = if pre.is_empty() {
            format!("{major}.{minor}.{patch}")
        } else {
            format!("{major}.{minor}.{patch}-{pre}")
        };
        let end = text.len() as u32;
        let pre_start = if pre.is_empty() {
            end
        } else {
            end - pre.len() as u32
        };
        SemVersion {
            text: text.into(),
            major,
            minor,
            patch,
            pre: (pre_start, end),
            build: (end, end),
        }
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The major version.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor version.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch version.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release identifiers joined by `.` (empty for a release).
    pub fn pre(&self) -> &str {
        &self.text[self.pre.0 as usize..self.pre.1 as usize]
    }

    /// The build metadata (empty when absent).
    pub fn build(&self) -> &str {
        &self.text[self.build.0 as usize..self.build.1 as usize]
    }

    /// Whether the version has a pre-release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.0 != self.pre.1
    }

    /// Compares under `scheme`'s precedence (only `pub` looks at build metadata).
    pub fn cmp_for(scheme: Scheme, a: &SemVersion, b: &SemVersion) -> Ordering {
        let ord = a.cmp(b);
        if scheme != Scheme::Pub || ord != Ordering::Equal {
            return ord;
        }
        match (a.build().is_empty(), b.build().is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => cmp_identifiers(a.build(), b.build()),
        }
    }

    pub(crate) fn triple(&self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }
}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.triple()
            .cmp(&other.triple())
            .then_with(|| cmp_prerelease(self.pre(), other.pre()))
    }
}

impl PartialOrd for SemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVersion {}

impl fmt::Display for SemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> SemVersion {
        SemVersion::parse(s).unwrap()
    }

    #[test]
    fn spec_precedence_example() {
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0.0+a"), v("v1.0.0+b"));
        let (a, b) = (v("1.0.0+a"), v("1.0.0"));
        assert_eq!(SemVersion::cmp_for(Scheme::Pub, &a, &b), Ordering::Greater);
    }

    #[test]
    fn parts() {
        let x = v("v1.2.3-rc.1+build.5");
        assert_eq!(
            (x.major(), x.minor(), x.patch(), x.pre(), x.build()),
            (1, 2, 3, "rc.1", "build.5")
        );
    }

    #[test]
    fn malformed_versions_are_errors() {
        for bad in [
            "",
            "1",
            "1.2",
            "01.2.3",
            "1.2.3-01",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "1.2.3.4",
            "1.2.3 ",
            "99999999999999999999.0.0",
            "1.2.3-a+b+c",
        ] {
            assert!(SemVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
