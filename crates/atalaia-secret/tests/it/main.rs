//! Integration tests of atalaia-secret: the shared secret corpus against Trivy's reference
//! output, the tricky image's planted secrets, malformed and edge inputs, custom configs and
//! chunked scanning.

mod config;
mod corpus;
mod edge;
mod huge;
mod planted;
mod props;
mod stream;

use atalaia_secret::SecretScanner;

/// A scanner with the built-in rules.
pub(crate) fn scanner() -> SecretScanner {
    SecretScanner::builder()
        .build()
        .expect("built-in rules compile")
}
