//! CycloneDX 1.6 and SPDX 2.3 JSON documents written from an atalaia inventory.
//!
//! Both writers take the artifact's name, kind and metadata and its [`Inventory`], plus
//! [`WriteOptions`] (timestamp and serial number, injectable so output is reproducible), and
//! write pretty JSON to any `std::io::Write`. The document models are plain serde structs
//! ([`cyclonedx::Bom`], [`spdx::Document`]) covering what atalaia writes.
//!
//! ```text
//! (name, kind, ArtifactMetadata, Inventory) ─┬─► cyclonedx::write ─► CycloneDX 1.6 JSON
//!                                            └─► spdx::write      ─► SPDX 2.3 JSON
//! ```
//!
//! The tree follows Trivy's SBOMs (artifact → OS / applications → packages, with Trivy's
//! aggregation of installed-package types), and Trivy's `aquasecurity:trivy:*` CycloneDX
//! properties appear under the `atalaia:` prefix. License texts are mapped so that documents
//! pass the official validators: only exact SPDX ids become CycloneDX `license.id`s, and texts
//! that are not SPDX expressions become declared `LicenseRef-…`s in SPDX.
//!
//! [`cyclonedx::write_with_vulnerabilities`] also takes a report's findings
//! (`atalaia_detect::DetectedVulnerability`) and adds CycloneDX's `vulnerabilities` section,
//! each entry's `affects` pointing at the bom-refs of the affected components.
//!
//! [`Inventory`]: atalaia_types::Inventory
#![deny(missing_docs)]

mod artifact;
pub mod cyclonedx;
mod decode;
mod error;
mod graph;
mod hash;
mod license;
mod options;
pub mod spdx;
mod vulnerability;

use std::io::Write;

use serde::Serialize;

pub use decode::Decoded;
pub use error::SbomError;
pub use options::WriteOptions;

/// Serialises a document as pretty JSON with a trailing newline.
fn write_json<T: Serialize>(
    doc: &T,
    format: &'static str,
    artifact: &str,
    out: &mut dyn Write,
) -> Result<(), SbomError> {
    let fail = |err: std::io::Error| SbomError::Write {
        format,
        artifact: artifact.to_owned(),
        err,
    };
    let mut buf = serde_json::to_vec_pretty(doc).map_err(|e| fail(e.into()))?;
    buf.push(b'\n');
    out.write_all(&buf).map_err(fail)
}
