//! Raw command-line arguments, as clap parses them. Nothing here is interpreted: that is
//! [`crate::settings`]'s job.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::env;

/// atalaia: what is inside this image, and what in it can hurt me?
#[derive(Debug, Parser)]
#[command(name = "atalaia", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
}

/// Flags every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Print only data and errors.
    #[arg(short, long, global = true, env = env::ATALAIA_QUIET)]
    pub(crate) quiet: bool,
    /// Print debug logs to stderr.
    #[arg(short, long, global = true, env = env::ATALAIA_DEBUG)]
    pub(crate) debug: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan a container image (`docker save` tarball or OCI image layout).
    #[command(visible_alias = "i")]
    Image(ImageArgs),
    /// Scan a project directory (lockfiles and manifests).
    #[command(name = "filesystem", visible_alias = "fs")]
    Filesystem(DirArgs),
    /// Scan an unpacked root filesystem (OS packages and installed metadata).
    Rootfs(DirArgs),
    /// Print the version.
    Version,
}

#[derive(Debug, Args)]
pub(crate) struct ImageArgs {
    /// Image name to pull from a registry or daemon (not supported yet: use `--input`).
    pub(crate) image: Option<String>,
    /// A `docker save` tarball or an OCI image layout, optionally with `:REF` or `@DIGEST`.
    #[arg(long, value_name = "PATH")]
    pub(crate) input: Option<String>,
    /// Platform of a multi-platform image, `os/arch[/variant]`.
    #[arg(long, env = env::ATALAIA_PLATFORM, default_value = "linux/amd64")]
    pub(crate) platform: String,
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

#[derive(Debug, Args)]
pub(crate) struct DirArgs {
    /// The directory to scan.
    pub(crate) path: PathBuf,
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

/// Flags of every scanning subcommand.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Output format.
    #[arg(short, long, value_enum, env = env::ATALAIA_FORMAT, default_value = "table")]
    pub(crate) format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(short, long, env = env::ATALAIA_OUTPUT, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// List every package in the report, not only vulnerable ones.
    #[arg(long, env = env::ATALAIA_LIST_ALL_PKGS, default_value_t = true, num_args = 0..=1,
          default_missing_value = "true", action = clap::ArgAction::Set)]
    pub(crate) list_all_pkgs: bool,
    /// Layers analysed at once (0: one per core).
    #[arg(long, env = env::ATALAIA_PARALLEL, default_value_t = 0)]
    pub(crate) parallel: usize,
    /// Bytes an analyzer may read from one file; larger files are skipped with a warning.
    #[arg(long, env = env::ATALAIA_MAX_FILE_BYTES, value_name = "BYTES")]
    pub(crate) max_file_bytes: Option<u64>,
    /// Decompressed bytes allowed in one layer (a guard against decompression bombs).
    #[arg(long, env = env::ATALAIA_MAX_LAYER_BYTES, value_name = "BYTES")]
    pub(crate) max_layer_bytes: Option<u64>,
    /// Entries allowed in one layer.
    #[arg(long, env = env::ATALAIA_MAX_ENTRIES, value_name = "N")]
    pub(crate) max_entries: Option<u64>,
    /// Scanners to run, comma-separated [default: `vuln,secret` for `table` and `json`, none for
    /// SBOM formats]. Only `secret` is available yet; `vuln`, `misconfig` and `license` are
    /// accepted with a warning.
    #[arg(long, env = env::ATALAIA_SCANNERS, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub(crate) scanners: Option<Vec<Scanner>>,
    /// Custom secret rules, in the format of Trivy's `trivy-secret.yaml` [default:
    /// `trivy-secret.yaml` when it exists in the working directory].
    #[arg(long, env = env::ATALAIA_SECRET_CONFIG, value_name = "FILE")]
    pub(crate) secret_config: Option<PathBuf>,
    /// Exit with this code when findings (secrets) remain; 0 keeps exiting 0.
    #[arg(long, env = env::ATALAIA_EXIT_CODE, default_value_t = 0, value_name = "N")]
    pub(crate) exit_code: u8,
}

/// The scanners `--scanners` names (Trivy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Scanner {
    /// Known vulnerabilities of packages (not available yet).
    Vuln,
    /// Misconfigurations of IaC files (not available yet).
    #[value(alias = "config")]
    Misconfig,
    /// Secrets in files and in the image config.
    Secret,
    /// Licenses (not available yet).
    License,
}

impl Scanner {
    /// The name Trivy uses.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scanner::Vuln => "vuln",
            Scanner::Misconfig => "misconfig",
            Scanner::Secret => "secret",
            Scanner::License => "license",
        }
    }
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A human-readable table.
    Table,
    /// Trivy's JSON report schema (SchemaVersion 2).
    Json,
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    #[value(name = "spdx-json")]
    SpdxJson,
}
