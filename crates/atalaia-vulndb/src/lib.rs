//! The vulnerability database: feed parsers, the builder and the read-only SQLite store.
//!
//! ```text
//! feed files ──► feed::detect (by content) ──► feed::<format> parsers ──► FeedRecord
//!            ──► build: sources, alias groups, canonical IDs ──► store::Writer (temp file)
//!            ──► fsync + rename ──► VulnDb::open (read-only) ──► advisories_for(namespace, package)
//! ```
//!
//! [`build`] reads feeds in their native formats. A folder's format is recognised from each
//! file's content, never from its name; files that match no format are listed in
//! [`BuildSummary::unknown_files`], and recognised files that are deliberately not loaded (an
//! aggregate index duplicating the per-advisory files, a schema) in
//! [`BuildSummary::skipped_files`]. Records that name the same vulnerability (a CVE, its GHSA,
//! its PYSEC) are merged into one [`Vulnerability`] whose ID is the CVE when there is one.
//!
//! [`VulnDb`] opens a built file read-only; scans can keep it open while an update replaces the
//! file (the builder writes beside the target, fsyncs and renames).
#![deny(missing_docs)]

mod build;
mod covered;
mod details;
mod error;
mod feed;
mod model;
mod normalize;
mod packed;
mod store;

pub use build::{build, BuildOptions, BuildSummary, SkippedFile};
pub use details::{SeverityRef, VulnerabilityRecord};
pub use error::VulnDbError;
pub use feed::Format;
pub use model::{
    Advisory, AffectedRange, CvssVersion, KevEntry, Meta, RangeEvent, RangeType, Requirements,
    SeverityEntry, SourceMeta, Status, Vulnerability,
};
pub use normalize::normalize_package_name;
pub use packed::{AdvisoryRef, EventKind, Interned, PackageAdvisories, RangeRef, RequirementsRef};
pub use store::{PackageLookup, VulnDb, WorkerDb, SCHEMA_VERSION};

/// Recognises one feed file from its content and parses it, without building anything: the
/// format and the number of records (in the feed's own unit), or `None` when the content is no
/// feed format (or a known file that is not loaded, such as an aggregate index). For `--verbose`
/// listings, validating a feed before a build, and fuzzing.
pub fn inspect_feed_file(
    path: &std::path::Path,
    bytes: &[u8],
) -> Result<Option<(Format, u64)>, VulnDbError> {
    match feed::detect(bytes) {
        feed::Detected::Feed(format) => {
            feed::parse(format, path, bytes).map(|out| Some((format, out.record_count)))
        }
        feed::Detected::Skip(_) | feed::Detected::Unknown => Ok(None),
    }
}
