//! Integration tests of atalaia-misconfig.

mod api;
mod corpus;
mod custom;
mod iac;
mod malformed;
