//! [`SharedStr`]: an immutable string that many values hold at the cost of a counter.
//!
//! A report repeats the same text many times: one vulnerability's title and description in
//! every package it affects, one package's name and version in each of its findings. Owned
//! `String`s would copy each of them per finding (measured: most of the time detection spent
//! building a large report, and as much again freeing it). A `SharedStr` is an `Arc<str>`
//! with the conveniences of a `String` for readers: it derefs to `str`, compares with string
//! types, and serialises as a plain JSON string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable, cheaply cloned string (see the module documentation).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(Arc::from(s))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(Arc::from(s))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr(Arc::from(s.as_str()))
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.0.to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == &*other.0
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SharedStr::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_serialises_like_a_string() {
        let s = SharedStr::from("CVE-2021-44228");
        let t = s.clone();
        assert_eq!(s, t);
        assert_eq!(s, "CVE-2021-44228");
        assert_eq!("CVE-2021-44228", s);
        assert_eq!(s, String::from("CVE-2021-44228"));
        assert!(s.starts_with("CVE-"));
        assert_eq!(s.len(), 14);
        assert_eq!(format!("{s} {s:?}"), "CVE-2021-44228 \"CVE-2021-44228\"");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"CVE-2021-44228\"");
        let back: SharedStr = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert!(SharedStr::default().is_empty());
        assert!(serde_json::from_str::<SharedStr>("3").is_err());
    }

    #[test]
    fn orders_and_hashes_as_its_text() {
        let mut v = vec![SharedStr::from("b"), SharedStr::from("a")];
        v.sort();
        assert_eq!(v, ["a", "b"]);
        let set: std::collections::HashSet<SharedStr> = v.into_iter().collect();
        assert!(set.contains("a"));
    }
}
