//! Language packages: one adapter over `atalaia-lang`. Images and root filesystems read installed
//! metadata and binaries; project directories and repositories read lockfiles, as Trivy does.

use atalaia_lang::LangFile;

use crate::{AnalyzeError, Analyzer, FileInput, Finding, ScanMode};

/// Wraps [`atalaia_lang::classify`] and [`atalaia_lang::parse_with_warnings`] for one kind of scan.
#[derive(Debug, Clone, Copy)]
pub struct LangAnalyzer {
    installed: bool,
}

impl LangAnalyzer {
    /// The adapter for `mode`: installed kinds for images and root filesystems, lockfile kinds
    /// for project directories and repositories.
    pub fn for_mode(mode: ScanMode) -> Self {
        LangAnalyzer {
            installed: mode.reads_installed(),
        }
    }

    fn kind(&self, path: &str, size: u64, mode: u32) -> Option<LangFile> {
        atalaia_lang::classify(path, size, mode).filter(|k| {
            if self.installed {
                k.installed()
            } else {
                k.lockfile()
            }
        })
    }
}

impl Analyzer for LangAnalyzer {
    fn name(&self) -> &'static str {
        if self.installed {
            "lang-installed"
        } else {
            "lang-lockfile"
        }
    }

    fn version(&self) -> u32 {
        1
    }

    fn modes(&self) -> &'static [ScanMode] {
        if self.installed {
            &[ScanMode::Image, ScanMode::Rootfs]
        } else {
            &[ScanMode::Fs, ScanMode::Repo]
        }
    }

    fn wants(&self, path: &str, size: u64, mode: u32) -> bool {
        self.kind(path, size, mode).is_some()
    }

    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let size = input.bytes.len() as u64;
        let Some(kind) = self.kind(input.path, size, input.mode) else {
            return Ok(Vec::new());
        };
        let parsed = atalaia_lang::parse_with_warnings(kind, input.path, input.bytes)
            .map_err(|e| AnalyzeError::parse(input.path, e.reason))?;
        let mut out: Vec<Finding> = parsed
            .warnings
            .into_iter()
            .map(|message| Finding::Warning { message })
            .collect();
        // An executable that is neither a Go nor a Rust binary yields an empty application.
        if !parsed.application.packages.is_empty() {
            out.push(Finding::Application(parsed.application));
        }
        Ok(out)
    }
}
