//! Rust: `Cargo.lock` and binaries built with `cargo auditable` (the `.dep-v0` section).

pub(crate) mod binary;
pub(crate) mod cargo_lock;
