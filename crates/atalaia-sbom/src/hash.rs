//! Package digests (`sha256:<hex>`, as atalaia's packages carry them) as CycloneDX hashes and
//! SPDX checksums name them, both ways: the two formats list the same algorithms under
//! different names (`SHA-256`, `SHA256`).

/// Whose names for the hash algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HashNames {
    /// CycloneDX `hashes[].alg`: `SHA-1`, `SHA-256`, `SHA-512`, `MD5`.
    CycloneDx,
    /// SPDX `checksums[].algorithm`: `SHA1`, `SHA256`, `SHA512`, `MD5`.
    Spdx,
}

/// An algorithm: atalaia's name, CycloneDX's, SPDX's, and its length in hex digits.
struct Algorithm {
    ours: &'static str,
    cyclonedx: &'static str,
    spdx: &'static str,
    hex_len: usize,
}

const ALGORITHMS: [Algorithm; 4] = [
    Algorithm {
        ours: "sha1",
        cyclonedx: "SHA-1",
        spdx: "SHA1",
        hex_len: 40,
    },
    Algorithm {
        ours: "sha256",
        cyclonedx: "SHA-256",
        spdx: "SHA256",
        hex_len: 64,
    },
    Algorithm {
        ours: "sha512",
        cyclonedx: "SHA-512",
        spdx: "SHA512",
        hex_len: 128,
    },
    Algorithm {
        ours: "md5",
        cyclonedx: "MD5",
        spdx: "MD5",
        hex_len: 32,
    },
];

impl HashNames {
    fn of(self, a: &Algorithm) -> &'static str {
        match self {
            HashNames::CycloneDx => a.cyclonedx,
            HashNames::Spdx => a.spdx,
        }
    }
}

/// A digest `alg:hex` (the algorithm in any case, `sha256` or `sha-256`) as the format's name
/// of its algorithm and its lower-case hex; `None` when the algorithm is not one the formats
/// share, or the hex is not of its length.
pub(crate) fn to_format(digest: &str, names: HashNames) -> Option<(&'static str, String)> {
    let (alg, hex) = digest.split_once(':')?;
    let alg = alg.to_ascii_lowercase();
    let a = ALGORITHMS
        .iter()
        .find(|a| alg == a.ours || alg.eq_ignore_ascii_case(a.cyclonedx))?;
    let hex = hex.to_ascii_lowercase();
    (hex.len() == a.hex_len && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (names.of(a), hex))
}

/// A format's hash (its algorithm name, exactly, and the hex) as a digest `alg:hex`; `None`
/// for an algorithm it does not name so.
pub(crate) fn from_format(alg: &str, hex: &str, names: HashNames) -> Option<String> {
    let a = ALGORITHMS.iter().find(|a| names.of(a) == alg)?;
    Some(format!("{}:{hex}", a.ours))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_become_each_formats_names_and_back() {
        let hex = "Ab".repeat(32);
        let lower = hex.to_ascii_lowercase();
        let digest = format!("sha256:{hex}");
        assert_eq!(
            to_format(&digest, HashNames::CycloneDx),
            Some(("SHA-256", lower.clone()))
        );
        assert_eq!(
            to_format(&format!("SHA-256:{hex}"), HashNames::Spdx),
            Some(("SHA256", lower.clone()))
        );
        assert_eq!(
            from_format("SHA-256", &lower, HashNames::CycloneDx),
            Some(format!("sha256:{lower}"))
        );
        assert_eq!(
            from_format("SHA256", &lower, HashNames::Spdx),
            Some(format!("sha256:{lower}"))
        );
        assert_eq!(
            to_format(&format!("md5:{}", "0".repeat(32)), HashNames::Spdx),
            Some(("MD5", "0".repeat(32)))
        );
        assert_eq!(
            to_format(&format!("sha1:{}", "f".repeat(40)), HashNames::CycloneDx).map(|h| h.0),
            Some("SHA-1")
        );
        assert_eq!(
            to_format(&format!("sha-512:{}", "f".repeat(128)), HashNames::Spdx).map(|h| h.0),
            Some("SHA512")
        );
    }

    #[test]
    fn malformed_digests_and_unknown_algorithms_are_none() {
        for bad in [
            "",
            "sha256",
            "sha256:",
            "sha256:abc",
            "md-5:00000000000000000000000000000000",
            "blake3:00",
            &format!("sha256:{}", "g".repeat(64)),
            &format!("sha1:{}", "a".repeat(64)),
        ] {
            assert_eq!(to_format(bad, HashNames::CycloneDx), None, "{bad}");
            assert_eq!(to_format(bad, HashNames::Spdx), None, "{bad}");
        }
        // Names are the format's own, exactly.
        assert_eq!(from_format("SHA256", "00", HashNames::CycloneDx), None);
        assert_eq!(from_format("SHA-256", "00", HashNames::Spdx), None);
        assert_eq!(from_format("sha-256", "00", HashNames::CycloneDx), None);
        assert_eq!(from_format("BLAKE3", "00", HashNames::Spdx), None);
    }
}
