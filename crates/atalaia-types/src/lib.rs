//! The domain model of atalaia.
//!
//! Analysis produces an [`Inventory`]; everything downstream (SBOM writers, the report, the
//! vulnerability matcher, the cache) reads it. The types here are plain data, serialisable with
//! serde, and do no I/O, so that a stored inventory can be re-matched without the image.
//!
//! ```text
//! atalaia-types  <- version, artifact, analyze, sbom, report, vulndb, detect, cli
//! ```
#![deny(missing_docs)]

mod digest;
mod error;
mod inventory;
mod os;
mod package;
mod purl;
mod shared;
mod shared_list;

pub use digest::Digest;
pub use error::TypesError;
pub use inventory::{
    Application, ArtifactKind, ArtifactMetadata, Inventory, LayerInfo, OsPackageDb, ScanWarning,
};
pub use os::{OsFamily, OsRelease};
pub use package::{Ecosystem, Location, Package, PackageLayer, Relationship};
pub use purl::Purl;
pub use shared::SharedStr;
pub use shared_list::SharedStrList;
