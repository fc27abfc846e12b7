//! Integration tests of atalaia-artifact: the shared corpus, and generated bad inputs.

mod bad_input;
mod corpus;
mod support;
mod walk;
