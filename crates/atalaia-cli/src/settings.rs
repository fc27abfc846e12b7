//! Arguments resolved into settings that build the engines. All precedence decisions live here
//! (flags and environment are merged by clap; defaults of the libraries fill the rest), so the
//! library crates never see clap.

use std::path::PathBuf;

use anyhow::{bail, Context};
use atalaia_analyze::{AnalyzeOptions, ScanMode};
use atalaia_artifact::{ImageSelector, Limits};

use crate::args::{DirArgs, Format, ImageArgs, ScanArgs};

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
        let analyze = AnalyzeOptions {
            limits,
            parallelism: scan.parallel,
            ..AnalyzeOptions::default()
        };
        Ok(ScanSettings {
            target,
            format: scan.format,
            output: scan.output.clone(),
            list_all_pkgs: scan.list_all_pkgs,
            analyze,
        })
    }
}
