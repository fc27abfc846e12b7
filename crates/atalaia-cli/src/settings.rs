//! Arguments resolved into settings that build the engines. All precedence decisions live here
//! (flags and environment are merged by clap; defaults of the libraries fill the rest), so the
//! library crates never see clap.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use atalaia_analyze::{AnalyzeOptions, ScanMode, SecretAnalyzer};
use atalaia_artifact::{ImageSelector, Limits};
use atalaia_secret::{SecretConfig, SecretScanner};

use crate::args::{DirArgs, Format, ImageArgs, ScanArgs, Scanner};
use crate::printer;

/// The secret config read when `--secret-config` is not given and it exists (as Trivy).
const DEFAULT_SECRET_CONFIG: &str = "trivy-secret.yaml";

/// What to scan.
#[derive(Debug)]
pub(crate) enum Target {
    /// An image file or layout, with the image chosen from it.
    Image {
        input: String,
        selector: ImageSelector,
    },
    /// A directory scanned as a project (`fs`) or as a root filesystem (`rootfs`).
    Dir { path: PathBuf, mode: ScanMode },
}

/// Everything a scan needs, resolved.
#[derive(Debug)]
pub(crate) struct ScanSettings {
    pub(crate) target: Target,
    pub(crate) format: Format,
    pub(crate) output: Option<PathBuf>,
    pub(crate) list_all_pkgs: bool,
    pub(crate) analyze: AnalyzeOptions,
    /// The secret engine, when the `secret` scanner runs (also scans the image config).
    pub(crate) secret: Option<Arc<SecretScanner>>,
    /// `--exit-code`: the code when findings remain (0: always exit 0).
    pub(crate) exit_code: u8,
}

impl ScanSettings {
    pub(crate) fn for_image(args: &ImageArgs) -> anyhow::Result<Self> {
        let input = match (&args.input, &args.image) {
            (Some(input), None) => input.clone(),
            (Some(_), Some(image)) => {
                bail!("Give either an image name (`{image}`) or `--input`, not both")
            }
            (None, Some(image)) => bail!(
                "Pulling `{image}` from a registry or daemon is not supported yet; save it first \
                 (`docker save {image} -o image.tar`) and scan it with `--input image.tar`"
            ),
            (None, None) => bail!("Name an image: `atalaia image --input image.tar`"),
        };
        let selector = ImageSelector {
            reference: None,
            digest: None,
            platform: Some(args.platform.clone()),
        };
        Self::resolve(Target::Image { input, selector }, &args.scan)
    }

    pub(crate) fn for_dir(args: &DirArgs, mode: ScanMode) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(&args.path)
            .with_context(|| format!("Failed to open `{}`", args.path.display()))?;
        if !meta.is_dir() {
            bail!("`{}` is not a directory", args.path.display());
        }
        Self::resolve(
            Target::Dir {
                path: args.path.clone(),
                mode,
            },
            &args.scan,
        )
    }

    fn resolve(target: Target, scan: &ScanArgs) -> anyhow::Result<Self> {
        let defaults = Limits::default();
        let limits = Limits {
            max_file_bytes: scan.max_file_bytes.unwrap_or(defaults.max_file_bytes),
            max_layer_bytes: scan.max_layer_bytes.unwrap_or(defaults.max_layer_bytes),
            max_entries: scan.max_entries.unwrap_or(defaults.max_entries),
        };
        let scanners = resolve_scanners(scan.scanners.as_deref(), scan.format);
        let secret = if scanners.contains(&Scanner::Secret) {
            Some(Arc::new(secret_scanner(scan.secret_config.as_deref())?))
        } else {
            None
        };
        let rooted = matches!(target, Target::Image { .. });
        let analyze = AnalyzeOptions {
            limits,
            parallelism: scan.parallel,
            extra_analyzers: secret
                .iter()
                .map(|s| {
                    Arc::new(SecretAnalyzer::new(Arc::clone(s), rooted))
                        as Arc<dyn atalaia_analyze::Analyzer>
                })
                .collect(),
        };
        Ok(ScanSettings {
            target,
            format: scan.format,
            output: scan.output.clone(),
            list_all_pkgs: scan.list_all_pkgs,
            analyze,
            secret,
            exit_code: scan.exit_code,
        })
    }
}

/// The scanners to run. Named ones that do not exist yet are dropped with one warning; the
/// default (Trivy's: `vuln,secret`, none for SBOM formats) drops `vuln` silently.
fn resolve_scanners(named: Option<&[Scanner]>, format: Format) -> Vec<Scanner> {
    match named {
        Some(named) => {
            let mut missing: Vec<&str> = named
                .iter()
                .filter(|s| **s != Scanner::Secret)
                .map(|s| s.name())
                .collect();
            missing.dedup();
            if !missing.is_empty() {
                printer::warn(&format!(
                    "Scanners not available yet, skipped: `{}` (only `secret` runs)",
                    missing.join("`, `")
                ));
            }
            named
                .iter()
                .copied()
                .filter(|s| *s == Scanner::Secret)
                .take(1)
                .collect()
        }
        None => match format {
            Format::Table | Format::Json => vec![Scanner::Secret],
            Format::Cyclonedx | Format::SpdxJson => Vec::new(),
        },
    }
}

/// The secret engine with the rules of `--secret-config`, or of `trivy-secret.yaml` in the
/// working directory when it exists, or the built-in ones.
fn secret_scanner(config: Option<&Path>) -> anyhow::Result<SecretScanner> {
    let default = Path::new(DEFAULT_SECRET_CONFIG);
    let path = match config {
        Some(p) => Some(p),
        None if default.is_file() => Some(default),
        None => None,
    };
    let mut builder = SecretScanner::builder();
    if let Some(path) = path {
        let config = SecretConfig::from_path(path)
            .with_context(|| format!("Failed to load secret config `{}`", path.display()))?;
        builder = builder.config(config);
    }
    builder.build().context("Failed to build the secret rules")
}
