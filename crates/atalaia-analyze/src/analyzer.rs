//! The analyzer interface: an analyzer names the files it wants and turns each one's bytes into
//! findings. It never sees a layer or an image, so the same analyzer serves images, root
//! filesystems and source trees, and its output can be cached per layer.

use std::io::Read;

use atalaia_secret::SecretFinding;
use atalaia_types::{Application, OsRelease, Package};
use serde::{Deserialize, Serialize};

use crate::AnalyzeError;

/// What is being scanned, which decides which analyzers run (as in Trivy: images and root
/// filesystems read installed metadata and binaries; source trees read lockfiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanMode {
    /// A container image.
    Image,
    /// An unpacked root filesystem.
    Rootfs,
    /// A project directory.
    Fs,
    /// A git repository.
    Repo,
}

impl ScanMode {
    /// Every mode.
    pub const ALL: &'static [ScanMode] = &[
        ScanMode::Image,
        ScanMode::Rootfs,
        ScanMode::Fs,
        ScanMode::Repo,
    ];

    /// Whether the mode reads installed metadata and binaries (images and root filesystems)
    /// rather than lockfiles (project directories and repositories).
    pub fn reads_installed(self) -> bool {
        matches!(self, ScanMode::Image | ScanMode::Rootfs)
    }
}

/// One file handed to an analyzer.
#[derive(Debug, Clone, Copy)]
pub struct FileInput<'a> {
    /// Path relative to the root, no leading `/`.
    pub path: &'a str,
    /// The file's bytes (at most the configured per-file limit).
    pub bytes: &'a [u8],
    /// Unix permission bits (executables are recognised by them).
    pub mode: u32,
}

/// What an analyzer found in one file. Serialisable: a layer's findings are what the layer
/// cache stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finding {
    /// An OS release read from a release file. Several files may speak; the merge step decides.
    Os(OsRelease),
    /// OS packages listed by a package database file (or one `status.d` entry). Their purls
    /// carry no `distro` qualifier yet: the OS is only known after the merge, which adds it.
    OsPackages(Vec<Package>),
    /// Files installed by an OS package (dpkg `info/NAME.list` or `NAME.md5sums`).
    InstalledFiles {
        /// The package name (dpkg: `name` or `name:arch`).
        package: String,
        /// The files, with a leading `/`.
        files: Vec<String>,
    },
    /// A language application (a lockfile or an installed package's metadata).
    Application(Application),
    /// Part of the file could not be used (one bad record of a package database); the rest of
    /// the file's findings stand. Becomes a scan warning if the file is in the final filesystem.
    Warning {
        /// What is wrong, in one line.
        message: String,
    },
    /// A secret (redacted: the finding never holds the raw secret). Reported for every layer
    /// that holds the file, deleted later or not.
    Secret(SecretFinding),
    /// A configuration file for the misconfiguration scanner (see [`crate::MisconfAnalyzer`]).
    /// Reported only if the file is in the final filesystem.
    ConfigFile(crate::misconf::ConfigContent),
    /// A project manifest (`pyproject.toml`, `package.json`, `Cargo.toml`, `composer.json`):
    /// what it declares marks the packages of the lockfile beside it (direct, dev, root).
    Manifest(atalaia_lang::DirectDeps),
    /// A Maven `pom.xml`, read on its own: its application is built once the whole tree is
    /// known, with its local parents (`<relativePath>`).
    Pom(atalaia_lang::PomModel),
}

/// A file analyzer.
pub trait Analyzer: Send + Sync {
    /// A stable name (Trivy's analyzer type where there is one: `dpkg`, `apk`, `os-release`).
    fn name(&self) -> &'static str;
    /// Bumped whenever the output for the same input changes; part of the layer cache key.
    fn version(&self) -> u32;
    /// The scan modes the analyzer runs in.
    fn modes(&self) -> &'static [ScanMode];
    /// Whether the analyzer wants this file. Called for every entry, so it must be cheap.
    fn wants(&self, path: &str, size: u64, mode: u32) -> bool;
    /// Reads one wanted file.
    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError>;
    /// What, besides [`Analyzer::version`], decides the analyzer's output (custom rules, say),
    /// as a short stable string; part of the layer cache key. Empty when nothing does.
    fn settings_fingerprint(&self) -> String {
        String::new()
    }
    /// Whether the analyzer can read a file as a stream with [`Analyzer::analyze_stream`]
    /// (big files are then streamed instead of being held in memory).
    fn streams(&self) -> bool {
        false
    }
    /// Reads one wanted file as a stream, in bounded memory. Called only when
    /// [`Analyzer::streams`] is true, for files too big to hold (the stream ends at the
    /// per-file limit).
    fn analyze_stream(
        &self,
        path: &str,
        reader: &mut dyn Read,
    ) -> Result<Vec<Finding>, AnalyzeError> {
        let _ = (path, reader);
        Ok(Vec::new())
    }
}
