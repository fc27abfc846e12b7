//! Language package parsers.
//!
//! [`classify`] decides from a path (and mode, for executables) whether a file is one this crate
//! reads and in which scan modes; [`parse`] turns its bytes into an [`Application`].
#![deny(missing_docs)]

// CONTRACT (written first so atalaia-analyze can wrap it). Keep these names and shapes.

use atalaia_types::Application;

/// The kind of file, which is also the `Application::app_type` it produces (Trivy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LangFile {
    /// `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, … (`python-pkg`).
    PythonPkg,
}

impl LangFile {
    /// The analyzer/application type name as Trivy writes it (`python-pkg`, `npm`, `gobinary`).
    pub fn app_type(self) -> &'static str {
        match self {
            LangFile::PythonPkg => "python-pkg",
        }
    }

    /// Whether it is read in image and rootfs scans (installed metadata, binaries).
    pub fn installed(self) -> bool {
        true
    }

    /// Whether it is read in fs and repo scans (lockfiles and manifests).
    pub fn lockfile(self) -> bool {
        false
    }
}

/// What a file at `path` (relative, no leading `/`) is, if this crate reads it. Cheap: called for
/// every entry of every layer. `mode` is the Unix permission bits (executables).
pub fn classify(_path: &str, _size: u64, _mode: u32) -> Option<LangFile> {
    None
}

/// Parses one file. `path` is relative with no leading `/`; packages' `file_path` is set with a
/// leading `/` where the package comes from a file other than the application's own.
pub fn parse(_kind: LangFile, _path: &str, _bytes: &[u8]) -> Result<Application, LangError> {
    unimplemented!("lang work in progress")
}

/// A file could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("`{path}` is not a valid {kind} file: {reason}")]
pub struct LangError {
    /// The file.
    pub path: String,
    /// The application type expected.
    pub kind: &'static str,
    /// What is wrong, in one line.
    pub reason: String,
}
