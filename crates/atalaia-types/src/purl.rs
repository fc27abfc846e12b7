//! Package URLs (<https://github.com/package-url/purl-spec>).
//!
//! Written by hand rather than with a crate because the exact encoding is part of the output
//! contract: it must match what Trivy and Syft write (`+` as `%2B`, qualifiers sorted by key) so
//! SBOMs compare equal across tools.

use std::collections::BTreeMap;
use std::fmt::{self, Write};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::TypesError;

/// A parsed package URL: `pkg:type/namespace/name@version?qualifiers#subpath`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Purl {
    /// The package type (`deb`, `npm`, `maven`), lower case.
    pub ty: String,
    /// The namespace (`debian`, `@types`, `org.apache`), decoded; empty when there is none.
    pub namespace: String,
    /// The name, decoded.
    pub name: String,
    /// The version, decoded; empty when there is none.
    pub version: String,
    /// Qualifiers, decoded, kept sorted by key.
    pub qualifiers: BTreeMap<String, String>,
    /// The subpath, decoded; empty when there is none.
    pub subpath: String,
}

impl Purl {
    /// A purl with type, optional namespace, name and version, and no qualifiers.
    pub fn new(ty: &str, namespace: &str, name: &str, version: &str) -> Self {
        Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
            qualifiers: BTreeMap::new(),
            subpath: String::new(),
        }
    }

    /// Adds a qualifier; empty values are dropped, as the spec says.
    #[must_use]
    pub fn with_qualifier(mut self, key: &str, value: &str) -> Self {
        if !value.is_empty() {
            self.qualifiers
                .insert(key.to_ascii_lowercase(), value.to_owned());
        }
        self
    }

    /// The purl without version, qualifiers or subpath: what identifies the package across versions.
    pub fn without_version(&self) -> String {
        let mut p = self.clone();
        p.version.clear();
        p.qualifiers.clear();
        p.subpath.clear();
        p.to_string()
    }

    /// The purl without qualifiers and subpath, for comparing tools that qualify differently.
    pub fn without_qualifiers(&self) -> String {
        let mut p = self.clone();
        p.qualifiers.clear();
        p.subpath.clear();
        p.to_string()
    }
}

/// Characters the spec allows unencoded in a component.
fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~')
}

fn encode(out: &mut String, s: &str, extra_allowed: &[char]) {
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if is_unreserved(c) || extra_allowed.contains(&c) {
            out.push(c);
        } else {
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

fn decode(s: &str, whole: &str) -> Result<String, TypesError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| bad(whole, "truncated percent-encoding"))?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| bad(whole, "bad percent-encoding"))?;
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad(whole, "percent-encoding is not UTF-8"))
}

fn bad(whole: &str, reason: &'static str) -> TypesError {
    TypesError::BadPurl {
        value: whole.to_owned(),
        reason,
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(64);
        s.push_str("pkg:");
        s.push_str(&self.ty);
        s.push('/');
        if !self.namespace.is_empty() {
            for (i, seg) in self.namespace.split('/').enumerate() {
                if i > 0 {
                    s.push('/');
                }
                encode(&mut s, seg, &[]);
            }
            s.push('/');
        }
        encode(&mut s, &self.name, &[]);
        if !self.version.is_empty() {
            s.push('@');
            encode(&mut s, &self.version, &[]);
        }
        if !self.qualifiers.is_empty() {
            s.push('?');
            for (i, (k, v)) in self.qualifiers.iter().enumerate() {
                if i > 0 {
                    s.push('&');
                }
                s.push_str(k);
                s.push('=');
                encode(&mut s, v, &[':', '/']);
            }
        }
        if !self.subpath.is_empty() {
            s.push('#');
            encode(&mut s, &self.subpath, &['/']);
        }
        f.write_str(&s)
    }
}

impl FromStr for Purl {
    type Err = TypesError;

    fn from_str(whole: &str) -> Result<Self, Self::Err> {
        let rest = whole
            .strip_prefix("pkg:")
            .ok_or_else(|| bad(whole, "does not start with `pkg:`"))?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, s)) => (r, decode(s.trim_matches('/'), whole)?),
            None => (rest, String::new()),
        };
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((r, q)) => {
                let mut map = BTreeMap::new();
                for pair in q.split('&').filter(|p| !p.is_empty()) {
                    let (k, v) = pair
                        .split_once('=')
                        .ok_or_else(|| bad(whole, "qualifier without `=`"))?;
                    let v = decode(v, whole)?;
                    if !v.is_empty() {
                        map.insert(k.to_ascii_lowercase(), v);
                    }
                }
                (r, map)
            }
            None => (rest, BTreeMap::new()),
        };
        let (ty, path) = rest.split_once('/').ok_or_else(|| bad(whole, "no type"))?;
        if ty.is_empty()
            || !ty
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
        {
            return Err(bad(whole, "bad type"));
        }
        let path = path.trim_end_matches('/');
        // The version starts at the last `@` of the final segment (npm scopes use `%40`).
        let (path, version) = match path.rfind('@') {
            Some(i) if !path[i..].contains('/') => (&path[..i], decode(&path[i + 1..], whole)?),
            _ => (path, String::new()),
        };
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => {
                let segs: Result<Vec<_>, _> = ns
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| decode(s, whole))
                    .collect();
                (segs?.join("/"), decode(n, whole)?)
            }
            None => (String::new(), decode(path, whole)?),
        };
        if name.is_empty() {
            return Err(bad(whole, "no name"));
        }
        Ok(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }
}

impl TryFrom<String> for Purl {
    type Error = TypesError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Purl> for String {
    fn from(p: Purl) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_trivy() {
        let p = Purl::new("deb", "debian", "bsdutils", "2.38.1-5+deb12u3")
            .with_qualifier("arch", "amd64")
            .with_qualifier("epoch", "1")
            .with_qualifier("distro", "debian-12.15");
        assert_eq!(
            p.to_string(),
            "pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12.15&epoch=1"
        );
    }

    #[test]
    fn round_trips() {
        for s in [
            "pkg:npm/%40types/node@20.1.0",
            "pkg:maven/org.apache.commons/commons-lang3@3.12.0",
            "pkg:golang/github.com/junegunn/fzf@v0.38.0",
            "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3",
            "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2",
        ] {
            let p: Purl = s.parse().unwrap();
            assert_eq!(p.to_string(), s, "{p:?}");
        }
    }

    #[test]
    fn parses_parts() {
        let p: Purl = "pkg:npm/%40types/node@20.1.0".parse().unwrap();
        assert_eq!(
            (p.namespace.as_str(), p.name.as_str(), p.version.as_str()),
            ("@types", "node", "20.1.0")
        );
        let p: Purl = "pkg:golang/github.com/junegunn/fzf@v0.38.0"
            .parse()
            .unwrap();
        assert_eq!(p.namespace, "github.com/junegunn");
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "pkg:",
            "npm/x@1",
            "pkg:npm",
            "pkg:npm/",
            "pkg:npm/x@%4",
            "pkg:npm/x?a",
        ] {
            assert!(s.parse::<Purl>().is_err(), "{s}");
        }
    }
}
