//! Integration tests of `atalaia-version`: upstream test vectors, differential tests against
//! the real tools, property tests and the public API.

mod alloc;
mod api;
mod corpus;
mod differential;
mod properties;
mod upstream;

use std::path::PathBuf;

/// A data file of this crate, with its origin header checked.
pub(crate) fn data(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(
        text.starts_with("# origin: "),
        "{} has no origin header",
        path.display()
    );
    text
}

/// The non-comment, non-empty lines of a data file.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}
