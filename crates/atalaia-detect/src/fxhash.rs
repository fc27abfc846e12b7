//! A small, fast, non-cryptographic hasher (the Firefox / rustc "Fx" hash) for the per-run
//! lookup tables of [`crate::detect`]: keys are package names and vulnerability IDs from the
//! scanned inventory and the database, and SipHash's flood resistance buys nothing there while
//! costing several percent of a 5,000-package match.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hasher state.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` keyed with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` keyed with [`FxHasher`].
pub(crate) type FxHashSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn equal_keys_hash_equal_and_tails_matter() {
        let b = BuildHasherDefault::<FxHasher>::default();
        assert_eq!(b.hash_one("CVE-2021-1234"), b.hash_one("CVE-2021-1234"));
        assert_ne!(b.hash_one("CVE-2021-1234"), b.hash_one("CVE-2021-1235"));
        assert_ne!(b.hash_one("abcdefgh"), b.hash_one("abcdefgh\0"));
        let mut m: FxHashMap<String, u32> = FxHashMap::default();
        m.insert("django".into(), 1);
        assert_eq!(m.get("django"), Some(&1));
        assert_eq!(m.get("flask"), None);
    }
}
