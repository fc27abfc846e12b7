//! The report model of atalaia and its writers.
//!
//! [`Report::from_inventory`] turns what analysis found ([`atalaia_types::Inventory`]) into a
//! [`Report`] shaped exactly like Trivy's JSON report (`SchemaVersion` 2): the same field names,
//! the same omission of empty fields, the same grouping of packages into results and the same
//! order. atalaia's own additions (such as [`Report::warnings`]) are extra fields; none of
//! Trivy's is renamed, so tools that read Trivy's JSON keep working.
//!
//! Writers are leaves, one file each under [`writer`], and take `&mut dyn std::io::Write`:
//!
//! ```text
//! Inventory + DetectReport ─► Report::from_scan ─► Report::apply_filter ─┬─► writer::json
//!                                                                         └─► writer::table
//! ```
#![deny(missing_docs)]

mod build;
mod error;
mod misconf_coverage;
mod model;
mod repo_metadata;
mod suppressed;
mod table_misconf;
pub mod writer;

pub use build::{
    aggregated_target, os_target, package_uid, FindingFilter, ReportOptions, AGGREGATED_TYPES,
};
pub use error::ReportError;
pub use misconf_coverage::{MisconfCoverage, NotEvaluatedFile};
pub use model::{
    Metadata, Os, PkgIdentifier, Report, ReportPackage, ReportResult, ReportSecret, ResultClass,
    SCHEMA_VERSION,
};
pub use repo_metadata::RepoMetadata;
pub use suppressed::{ModifiedFinding, SuppressedFinding, Suppression};
