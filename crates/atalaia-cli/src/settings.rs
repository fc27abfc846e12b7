//! Arguments resolved into settings that build the engines. All precedence decisions live here
//! (flags and environment are merged by clap; defaults of the libraries fill the rest), so the
//! library crates never see clap.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use atalaia_analyze::{AnalyzeOptions, ScanMode, SecretAnalyzer};
use atalaia_artifact::{ImageSelector, Limits};
use atalaia_detect::Severity;
use atalaia_report::FindingFilter;
use atalaia_secret::{SecretConfig, SecretScanner};

use crate::args::{DirArgs, Format, ImageArgs, SbomArgs, ScanArgs, Scanner, SeverityArg};
use crate::printer;
use crate::vulndb::{self, DbOptions};

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
    /// A directory scanned as a project (`fs`) or as a root filesystem (`rootfs`); `config_only`
    /// for `atalaia config` (misconfigurations only, no package analysis).
    Dir {
        path: PathBuf,
        mode: ScanMode,
        config_only: bool,
    },
    /// A git repository's checkout (`atalaia repo`), scanned like a project; `name` is the
    /// repository as the user named it (credentials redacted), `meta` its git facts.
    Repo {
        path: PathBuf,
        name: String,
        meta: atalaia_report::RepoMetadata,
    },
    /// A CycloneDX or SPDX JSON document whose packages are scanned.
    Sbom { path: PathBuf },
    /// An image by name, from the first of the daemons (`--image-src`) that has it.
    Named {
        name: String,
        source: crate::source::SourceOptions,
    },
    /// Every container of a daemon (`atalaia host`; `all`: stopped ones too).
    Host {
        all: bool,
        docker_host: Option<String>,
    },
}

/// Everything a scan needs, resolved.
#[derive(Debug)]
pub(crate) struct ScanSettings {
    pub(crate) target: Target,
    pub(crate) format: Format,
    /// `--template` (for `--format template`).
    pub(crate) template: Option<String>,
    pub(crate) output: Option<PathBuf>,
    pub(crate) list_all_pkgs: bool,
    pub(crate) analyze: AnalyzeOptions,
    /// The secret engine, when the `secret` scanner runs (also scans the image config).
    pub(crate) secret: Option<Arc<SecretScanner>>,
    /// `--exit-code`: the code when findings remain (0: always exit 0).
    pub(crate) exit_code: u8,
    /// The vulnerability database, when the `vuln` scanner runs.
    pub(crate) vuln_db: Option<PathBuf>,
    /// `--severity`, `--ignore-unfixed`, `--ignore-status`.
    pub(crate) filter: FindingFilter,
    /// Colour severities in tables (stdout is a terminal and `NO_COLOR` is unset).
    pub(crate) color: bool,
    /// Ignore files and VEX documents, when any applies.
    pub(crate) suppress: Option<atalaia_ignore::Policy>,
    /// `--show-suppressed`: keep suppressed findings in the report as modified findings.
    pub(crate) show_suppressed: bool,
    /// Misconfiguration checks, when the `misconfig` scanner runs (directories).
    pub(crate) misconfig: Option<atalaia_misconfig::Options>,
}

impl ScanSettings {
    pub(crate) fn for_image(args: &ImageArgs) -> anyhow::Result<Self> {
        let input = match (&args.input, &args.image) {
            (Some(input), None) => input.clone(),
            (Some(_), Some(image)) => {
                bail!("Give either an image name (`{image}`) or `--input`, not both")
            }
            (None, Some(image)) => {
                let source = crate::source::SourceOptions {
                    sources: args.image_src.clone(),
                    docker_host: args.docker_host.clone(),
                    platform: Some(args.platform.clone()),
                    remote: crate::registry_auth::RemoteOptions::resolve(&args.remote)?,
                };
                if source.sources.is_empty() {
                    bail!("`--image-src` names no source (use `docker`, `podman`, `remote`)");
                }
                let target = Target::Named {
                    name: image.clone(),
                    source,
                };
                return Self::resolve(target, &args.scan);
            }
            (None, None) => bail!("Name an image: `atalaia image --input image.tar`"),
        };
        let selector = ImageSelector {
            reference: None,
            digest: None,
            platform: Some(args.platform.clone()),
        };
        Self::resolve(Target::Image { input, selector }, &args.scan)
    }

    pub(crate) fn for_host(args: &crate::args::HostArgs) -> anyhow::Result<Self> {
        if !matches!(args.scan.format, Format::Table | Format::Json) {
            bail!("`atalaia host` writes `--format table` or `--format json` only");
        }
        Self::resolve(
            Target::Host {
                all: args.all,
                docker_host: args.docker_host.clone(),
            },
            &args.scan,
        )
    }

    pub(crate) fn for_dir(args: &DirArgs, mode: ScanMode) -> anyhow::Result<Self> {
        Self::for_dir_with(args, mode, false)
    }

    /// `atalaia config DIR`: misconfigurations of the directory's configuration files.
    pub(crate) fn for_config(args: &DirArgs) -> anyhow::Result<Self> {
        Self::for_dir_with(args, ScanMode::Fs, true)
    }

    fn for_dir_with(args: &DirArgs, mode: ScanMode, config_only: bool) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(&args.path)
            .with_context(|| format!("Failed to open `{}`", args.path.display()))?;
        if !meta.is_dir() {
            bail!("`{}` is not a directory", args.path.display());
        }
        Self::resolve(
            Target::Dir {
                path: args.path.clone(),
                mode,
                config_only,
            },
            &args.scan,
        )
    }

    /// `atalaia repo`: the checkout at `path` (prepared by [`crate::repo`]), named `name`.
    pub(crate) fn for_repo(
        path: &Path,
        name: &str,
        meta: atalaia_report::RepoMetadata,
        scan: &ScanArgs,
    ) -> anyhow::Result<Self> {
        Self::resolve(
            Target::Repo {
                path: path.to_path_buf(),
                name: name.to_owned(),
                meta,
            },
            scan,
        )
    }

    pub(crate) fn for_sbom(args: &SbomArgs) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(&args.path)
            .with_context(|| format!("Failed to open `{}`", args.path.display()))?;
        if !meta.is_file() {
            bail!("`{}` is not a file", args.path.display());
        }
        Self::resolve(
            Target::Sbom {
                path: args.path.clone(),
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
        let is_sbom = matches!(target, Target::Sbom { .. });
        let (is_dir, config_only) = match &target {
            Target::Dir { config_only, .. } => (true, *config_only),
            Target::Repo { .. } => (true, false),
            _ => (false, false),
        };
        let scanners = if config_only && scan.scanners.is_none() {
            vec![Scanner::Misconfig]
        } else {
            // `misconfig` reads the files of directories, repositories and images.
            let is_image = matches!(target, Target::Image { .. } | Target::Named { .. });
            resolve_scanners(
                scan.scanners.as_deref(),
                scan.format,
                is_sbom,
                is_dir || is_image,
            )
        };
        let misconfig =
            scanners
                .contains(&Scanner::Misconfig)
                .then(|| atalaia_misconfig::Options {
                    include_non_failures: scan.include_non_failures,
                    custom_checks: scan.config_check.clone(),
                    check_namespaces: if scan.check_namespaces.is_empty() {
                        atalaia_misconfig::Options::default().check_namespaces
                    } else {
                        scan.check_namespaces.clone()
                    },
                    ..atalaia_misconfig::Options::default()
                });
        // Before any analysis: a missing database is the user's first thing to fix.
        let vuln_db = if scanners.contains(&Scanner::Vuln) {
            Some(vulndb::resolve(&DbOptions {
                db: scan.db.clone(),
                cache_dir: scan.cache_dir.clone(),
                skip_update: scan.skip_db_update,
                offline: scan.offline_scan,
            })?)
        } else {
            None
        };
        let filter = FindingFilter {
            severities: scan
                .severity
                .iter()
                .flatten()
                .map(|s| severity(*s))
                .collect(),
            ignore_unfixed: scan.ignore_unfixed,
            ignore_statuses: scan
                .ignore_status
                .iter()
                .flatten()
                .map(|s| s.name().to_owned())
                .collect(),
        };
        let suppress = crate::suppress::load(scan.ignorefile.as_deref(), &scan.vex)?;
        let color = scan.output.is_none()
            && std::io::IsTerminal::is_terminal(&std::io::stdout())
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let (secret, rules_fingerprint) = if scanners.contains(&Scanner::Secret) {
            let (scanner, fingerprint) = secret_scanner(scan.secret_config.as_deref())?;
            (Some(Arc::new(scanner)), fingerprint)
        } else {
            (None, String::new())
        };
        let rooted = matches!(
            target,
            Target::Image { .. } | Target::Named { .. } | Target::Host { .. }
        );
        let mut analyze = AnalyzeOptions {
            limits,
            parallelism: scan.parallel,
            extra_analyzers: secret
                .iter()
                .map(|s| {
                    Arc::new(
                        SecretAnalyzer::new(Arc::clone(s), rooted)
                            .with_rules_fingerprint(rules_fingerprint.clone()),
                    ) as Arc<dyn atalaia_analyze::Analyzer>
                })
                .collect(),
            cache: if rooted { layer_cache(scan) } else { None },
        };
        if misconfig.is_some() && matches!(target, Target::Image { .. } | Target::Named { .. }) {
            // The configuration files of the image's layers, for `crate::misconf`.
            analyze
                .extra_analyzers
                .push(Arc::new(atalaia_analyze::MisconfAnalyzer::default()));
        }
        Ok(ScanSettings {
            target,
            format: scan.format,
            template: scan.template.clone(),
            output: scan.output.clone(),
            list_all_pkgs: scan.list_all_pkgs,
            analyze,
            secret,
            exit_code: scan.exit_code,
            vuln_db,
            filter,
            color,
            suppress,
            show_suppressed: scan.show_suppressed,
            misconfig,
        })
    }
}

/// The layer cache of the cache directory (images only: a directory has no layers to reuse).
/// A cache that cannot be opened is a warning, never a failed scan.
fn layer_cache(scan: &ScanArgs) -> Option<Arc<dyn atalaia_analyze::LayerCache>> {
    let dir = vulndb::cache_dir(scan.cache_dir.as_deref()).ok()?;
    let options = atalaia_cache::CacheOptions {
        max_bytes: scan.cache_max_size,
    };
    match atalaia_cache::SqliteLayerCache::open(&dir.join("scan"), options) {
        Ok(cache) => Some(Arc::new(cache)),
        Err(err) => {
            printer::warn(&format!("Layer cache disabled: {err}"));
            None
        }
    }
}

fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Unknown => Severity::Unknown,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}

/// The scanners to run. Named ones that do not exist yet (or do not apply to an SBOM) are
/// dropped with one warning. The default is Trivy's: `vuln,secret` for `table` and `json`, none
/// for SBOM formats; `vuln` when scanning an SBOM.
fn resolve_scanners(
    named: Option<&[Scanner]>,
    format: Format,
    sbom: bool,
    dir: bool,
) -> Vec<Scanner> {
    let available = |s: Scanner| match s {
        Scanner::Vuln => true,
        Scanner::Secret => !sbom,
        // Configuration files of a directory, a repository or an image.
        Scanner::Misconfig => dir,
        Scanner::License => false,
    };
    match named {
        Some(named) => {
            let mut missing: Vec<&str> = named
                .iter()
                .filter(|s| !available(**s))
                .map(|s| s.name())
                .collect();
            missing.sort_unstable();
            missing.dedup();
            if !missing.is_empty() {
                let why = if sbom {
                    "not available for an SBOM"
                } else {
                    "not available yet"
                };
                printer::warn(&format!(
                    "Scanners {why}, skipped: `{}`",
                    missing.join("`, `")
                ));
            }
            let mut out: Vec<Scanner> = Vec::new();
            for s in named {
                if available(*s) && !out.contains(s) {
                    out.push(*s);
                }
            }
            out
        }
        None => match format {
            Format::Table | Format::Json if sbom => vec![Scanner::Vuln],
            Format::Table | Format::Json => vec![Scanner::Vuln, Scanner::Secret],
            Format::Sarif
            | Format::Junit
            | Format::Gitlab
            | Format::GitlabDs
            | Format::GitlabCodequality
            | Format::Template
                if sbom =>
            {
                vec![Scanner::Vuln]
            }
            Format::Sarif
            | Format::Junit
            | Format::Gitlab
            | Format::GitlabDs
            | Format::GitlabCodequality
            | Format::Template => vec![Scanner::Vuln, Scanner::Secret],
            Format::Cyclonedx | Format::SpdxJson => Vec::new(),
        },
    }
}

/// The secret engine with the rules of `--secret-config`, or of `trivy-secret.yaml` in the
/// working directory when it exists, or the built-in ones.
fn secret_scanner(config: Option<&Path>) -> anyhow::Result<(SecretScanner, String)> {
    let default = Path::new(DEFAULT_SECRET_CONFIG);
    let path = match config {
        Some(p) => Some(p),
        None if default.is_file() => Some(default),
        None => None,
    };
    let mut builder = SecretScanner::builder();
    let mut fingerprint = "builtin".to_owned();
    if let Some(path) = path {
        let config = SecretConfig::from_path(path)
            .with_context(|| format!("Failed to load secret config `{}`", path.display()))?;
        builder = builder.config(config);
        // The layer cache must not hand back results found with other rules.
        let bytes = fs_err::read(path)?;
        fingerprint = format!(
            "sha256:{}",
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
        );
    }
    let scanner = builder
        .build()
        .context("Failed to build the secret rules")?;
    Ok((scanner, fingerprint))
}
