//! Integration tests of atalaia-lang against the shared corpus (read in place).

mod corpus_images;
mod corpus_lockfiles;
mod data_fixtures;
mod expected;
mod fixtures;
mod mutations;
mod peers;
