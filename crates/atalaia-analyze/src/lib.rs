//! Analyzers, per-layer inventories, merge and layer attribution.
#![deny(missing_docs)]

mod analyzer;
mod error;

pub use analyzer::{Analyzer, FileInput, Finding, ScanMode};
pub use error::AnalyzeError;
