//! Integration tests of atalaia-sbom: snapshots of both writers, validation of their output
//! with the official validators, and the readers.

mod fixture;
mod owned;
mod read;
mod snapshots;
mod trivy;
mod validate;
mod vulns;
