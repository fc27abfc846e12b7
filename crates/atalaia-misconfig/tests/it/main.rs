//! Integration tests of atalaia-misconfig.

mod api;
mod corpus;
mod custom;
mod helm;
mod iac;
mod malformed;
