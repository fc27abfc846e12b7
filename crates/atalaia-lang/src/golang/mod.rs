//! Go: binaries with build info and `go.mod` files.

pub(crate) mod binary;
pub(crate) mod gomod;

/// The stdlib version as Trivy writes it: `go1.21.3` -> `v1.21.3`; experiments and other
/// suffixes after a space (`go1.21.3 X:boringcrypto`) are dropped.
pub(crate) fn stdlib_version(go_version: &str) -> Option<String> {
    let v = go_version.split_whitespace().next()?.strip_prefix("go")?;
    if v.is_empty() || !v.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("v{v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdlib() {
        assert_eq!(stdlib_version("go1.19.8").as_deref(), Some("v1.19.8"));
        assert_eq!(
            stdlib_version("go1.21.3 X:boringcrypto").as_deref(),
            Some("v1.21.3")
        );
        assert_eq!(stdlib_version("devel +abc").as_deref(), None);
    }
}
