//! [`SharedStrList`]: an immutable list of strings that many values hold at the cost of a
//! counter.
//!
//! A vulnerability's references, CWE IDs and aliases are the same in every finding of it. As
//! `Arc<[String]>` they were shared, but making one cost an allocation per string (a GitHub
//! advisory has a dozen references) and freeing it as many: most of the time spent reading a
//! large report's vulnerability details. A `SharedStrList` keeps the strings end to end in one
//! text and their ends in one array: two allocations whatever the length, none when empty.
//! It reads like a slice of strings and serialises as a JSON array of strings.

use std::fmt;
use std::sync::Arc;

use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable, cheaply cloned list of strings (see the module documentation).
#[derive(Clone, Default)]
pub struct SharedStrList(Option<(Arc<str>, Arc<[u32]>)>);

impl SharedStrList {
    /// The empty list.
    pub const EMPTY: SharedStrList = SharedStrList(None);

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |(_, ends)| ends.len())
    }

    /// Whether there is no string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th string.
    pub fn get(&self, i: usize) -> Option<&str> {
        let (text, ends) = self.0.as_ref()?;
        let end = *ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        text.get(start..end)
    }

    /// The first string.
    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Whether one of the strings is `s`.
    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// The list of `items`, read twice: once to size the text, once to fill it (no growing;
    /// for iterators that are cheap to clone, such as a record's spans).
    pub fn from_strs<'a>(items: impl Iterator<Item = &'a str> + Clone) -> Self {
        let (count, len) = items
            .clone()
            .fold((0usize, 0usize), |(n, l), s| (n + 1, l + s.len()));
        if count == 0 {
            return SharedStrList(None);
        }
        let mut text = String::with_capacity(len);
        let mut ends: Vec<u32> = Vec::with_capacity(count);
        for s in items {
            text.push_str(s);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        SharedStrList(Some((Arc::from(text), Arc::from(ends))))
    }

    /// The strings as owned ones.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl<S: AsRef<str>> FromIterator<S> for SharedStrList {
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> Self {
        let mut text = String::new();
        let mut ends: Vec<u32> = Vec::new();
        for s in items {
            text.push_str(s.as_ref());
            // A list of 4 GiB of text is not a vulnerability's: saturate rather than wrap.
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        if ends.is_empty() {
            return SharedStrList(None);
        }
        SharedStrList(Some((Arc::from(text), Arc::from(ends))))
    }
}

impl From<Vec<String>> for SharedStrList {
    fn from(items: Vec<String>) -> Self {
        items.into_iter().collect()
    }
}

impl From<&[&str]> for SharedStrList {
    fn from(items: &[&str]) -> Self {
        items.iter().collect()
    }
}

impl PartialEq for SharedStrList {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for SharedStrList {}

impl<S: AsRef<str>> PartialEq<[S]> for SharedStrList {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for SharedStrList {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for SharedStrList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for SharedStrList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for s in self.iter() {
            seq.serialize_element(s)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for SharedStrList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(SharedStrList::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_serialises_like_a_list_of_strings() {
        let l: SharedStrList = ["https://a", "", "CWE-79"].iter().collect();
        assert_eq!(l.len(), 3);
        assert!(!l.is_empty());
        assert_eq!(l.get(1), Some(""));
        assert_eq!(l.get(3), None);
        assert_eq!(l.first(), Some("https://a"));
        assert_eq!(
            l.iter().rev().collect::<Vec<_>>(),
            ["CWE-79", "", "https://a"]
        );
        assert!(l.contains("CWE-79") && !l.contains("CWE-7"));
        assert_eq!(l, vec!["https://a", "", "CWE-79"]);
        assert_eq!(l.clone(), l);
        assert_ne!(l, SharedStrList::from(vec!["https://a".to_owned()]));
        assert_eq!(format!("{l:?}"), r#"["https://a", "", "CWE-79"]"#);
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(json, r#"["https://a","","CWE-79"]"#);
        let back: SharedStrList = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
        let empty = SharedStrList::default();
        assert!(empty.is_empty() && empty.first().is_none());
        assert_eq!(empty, SharedStrList::from(Vec::new()));
        assert_eq!(serde_json::to_string(&empty).unwrap(), "[]");
        // Empty strings at the ends count.
        let edges = SharedStrList::from(vec![String::new(), "x".into(), String::new()]);
        assert_eq!(edges.to_vec(), ["", "x", ""]);
        assert_eq!(SharedStrList::from_strs(["", "x", ""].into_iter()), edges);
        assert!(SharedStrList::from_strs(std::iter::empty()).is_empty());
    }
}
