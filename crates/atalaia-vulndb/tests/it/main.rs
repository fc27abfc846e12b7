//! Integration tests of atalaia-vulndb: one binary, one module per concern.

mod common;
mod full_build;
mod malformed;
mod spot_checks;
