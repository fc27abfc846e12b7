//! Java archives (`*.jar`, `*.war`, `*.ear`, `*.par`), nested archives included.

pub(crate) mod gradle;
pub(crate) mod jar;
pub(crate) mod pom;
pub(crate) mod sbt;

/// Whether a file name is a Java archive this crate reads (case-insensitive extension).
pub(crate) fn is_archive_name(base: &str) -> bool {
    let Some((_, ext)) = base.rsplit_once('.') else {
        return false;
    };
    ["jar", "war", "ear", "par"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}
