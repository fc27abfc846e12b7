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
    /// Scan configuration files (Dockerfile, Kubernetes, Compose, Terraform, CloudFormation)
    /// for misconfigurations.
    Config(DirArgs),
    /// Scan a git repository (a local path or a URL, cloned with `git`) as `fs` scans a project.
    #[command(name = "repository", visible_alias = "repo")]
    Repo(RepoArgs),
    /// Scan the packages of an SBOM (CycloneDX or SPDX JSON, from any tool) for vulnerabilities.
    Sbom(SbomArgs),
    /// Build, inspect, publish and update the vulnerability database.
    Db(crate::db::DbArgs),
    /// Audit the containers of the Docker or Podman daemon: exposure and findings, riskiest first.
    Host(HostArgs),
    /// Watch the daemon's containers and notify only what is new (new findings, fixed ones,
    /// containers appearing and gone); `--history` lists past runs.
    Watch(WatchArgs),
    /// Remove cached data: the layer cache (`--scan-cache`), the vulnerability database.
    Clean(CleanArgs),
    /// Print the version.
    Version,
}

#[derive(Debug, Args)]
pub(crate) struct ImageArgs {
    /// Image name, found in the sources of `--image-src` (or use `--input`).
    pub(crate) image: Option<String>,
    /// Where to look for a named image, in order, comma-separated.
    #[arg(long, env = env::ATALAIA_IMAGE_SRC, value_enum, value_delimiter = ',',
          value_name = "LIST", default_value = "docker,containerd,podman,remote")]
    pub(crate) image_src: Vec<ImageSrc>,
    /// The Docker daemon's socket, `unix:///path/to/docker.sock` [default:
    /// `/var/run/docker.sock`].
    #[arg(long, env = "DOCKER_HOST", value_name = "HOST")]
    pub(crate) docker_host: Option<String>,
    /// A `docker save` tarball or an OCI image layout, optionally with `:REF` or `@DIGEST`.
    #[arg(long, value_name = "PATH")]
    pub(crate) input: Option<String>,
    /// Platform of a multi-platform image, `os/arch[/variant]`.
    #[arg(long, env = env::ATALAIA_PLATFORM, default_value = "linux/amd64")]
    pub(crate) platform: String,
    /// Registry access (`--image-src remote`).
    #[command(flatten)]
    pub(crate) remote: crate::registry_auth::RemoteArgs,
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SbomArgs {
    /// The SBOM file: CycloneDX JSON or SPDX JSON.
    pub(crate) path: PathBuf,
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

/// Arguments of `atalaia repo`.
#[derive(Debug, Args)]
pub(crate) struct RepoArgs {
    /// A local repository or a URL git can clone (`https://`, `ssh://`, `file://`, `user@host:path`).
    pub(crate) repository: String,
    /// Scan this branch.
    #[arg(long, value_name = "BRANCH", conflicts_with_all = ["tag", "commit"])]
    pub(crate) branch: Option<String>,
    /// Scan this tag.
    #[arg(long, value_name = "TAG", conflicts_with = "commit")]
    pub(crate) tag: Option<String>,
    /// Scan this commit.
    #[arg(long, value_name = "COMMIT")]
    pub(crate) commit: Option<String>,
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
    /// The template of `--format template`: `@FILE` or the template text itself.
    #[arg(short = 't', long, env = env::ATALAIA_TEMPLATE, value_name = "TEMPLATE")]
    pub(crate) template: Option<String>,
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
    /// SBOM formats; `vuln` for `sbom`]. `license` is accepted with a warning (not available
    /// yet); `misconfig` checks configuration files (and, for images, the image config).
    #[arg(long, env = env::ATALAIA_SCANNERS, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub(crate) scanners: Option<Vec<Scanner>>,
    /// Custom secret rules, in the format of Trivy's `trivy-secret.yaml` [default:
    /// `trivy-secret.yaml` when it exists in the working directory].
    #[arg(long, env = env::ATALAIA_SECRET_CONFIG, value_name = "FILE")]
    pub(crate) secret_config: Option<PathBuf>,
    /// Exit with this code when findings (vulnerabilities, secrets) remain after filters; 0
    /// keeps exiting 0.
    #[arg(long, env = env::ATALAIA_EXIT_CODE, default_value_t = 0, value_name = "N")]
    pub(crate) exit_code: u8,
    /// Severities to report, comma-separated [default: all].
    #[arg(long, short = 's', env = env::ATALAIA_SEVERITY, value_enum, value_delimiter = ',',
          value_name = "LIST")]
    pub(crate) severity: Option<Vec<SeverityArg>>,
    /// Leave out vulnerabilities that have no fixed version.
    #[arg(long, env = env::ATALAIA_IGNORE_UNFIXED)]
    pub(crate) ignore_unfixed: bool,
    /// Leave out vulnerabilities with these statuses, comma-separated.
    #[arg(long, env = env::ATALAIA_IGNORE_STATUS, value_enum, value_delimiter = ',',
          value_name = "LIST")]
    pub(crate) ignore_status: Option<Vec<StatusArg>>,
    /// The vulnerability database file [default: `<cache-dir>/db/atalaia.db`].
    #[arg(long, env = env::ATALAIA_DB, value_name = "FILE")]
    pub(crate) db: Option<PathBuf>,
    /// The cache directory [default: `$XDG_CACHE_HOME/atalaia`, else `~/.cache/atalaia`].
    #[arg(long, env = env::ATALAIA_CACHE_DIR, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,
    /// Cap on the layer cache (`500MB`, `2GiB`, or bytes); least recently used layers go first.
    #[arg(long, env = env::ATALAIA_CACHE_MAX_SIZE, value_name = "SIZE", value_parser = parse_size)]
    pub(crate) cache_max_size: Option<u64>,
    /// Misconfiguration scanning: also list the checks that passed.
    #[arg(long, env = env::ATALAIA_INCLUDE_NON_FAILURES)]
    pub(crate) include_non_failures: bool,
    /// Custom misconfiguration checks in Rego (files or directories; repeatable).
    #[arg(long, env = env::ATALAIA_CONFIG_CHECK, value_name = "PATH", value_delimiter = ',')]
    pub(crate) config_check: Vec<PathBuf>,
    /// Rego namespaces of custom checks to run [default: `user`].
    #[arg(long, env = env::ATALAIA_CHECK_NAMESPACES, value_name = "LIST", value_delimiter = ',')]
    pub(crate) check_namespaces: Vec<String>,
    /// Use the vulnerability database as it is, without updating it.
    #[arg(long, env = env::ATALAIA_SKIP_DB_UPDATE)]
    pub(crate) skip_db_update: bool,
    /// Make no network request during the scan.
    #[arg(long, env = env::ATALAIA_OFFLINE_SCAN)]
    pub(crate) offline_scan: bool,
    /// Ignore file: Trivy's `.trivyignore` (IDs, `exp:` dates) or `.trivyignore.yaml` (by
    /// extension); an ignored ID also hides findings reported under its aliases [default:
    /// `.trivyignore` and `.trivyignore.yaml` in the working directory, when present; an empty
    /// value reads none].
    #[arg(long, env = env::ATALAIA_IGNOREFILE, value_name = "FILE",
          value_parser = clap::builder::TypedValueParser::map(
              clap::builder::OsStringValueParser::new(), PathBuf::from))]
    pub(crate) ignorefile: Option<PathBuf>,
    /// VEX document (OpenVEX or CycloneDX VEX JSON) whose `not_affected` and `fixed` statements
    /// hide findings; repeat for several.
    #[arg(long, env = env::ATALAIA_VEX, value_name = "FILE", value_delimiter = ',')]
    pub(crate) vex: Vec<PathBuf>,
    /// Also report the findings ignore files, VEX documents and `--ignore-status` suppressed
    /// (JSON: `ExperimentalModifiedFindings` per result; table: a `Suppressed Vulnerabilities`
    /// section).
    #[arg(long, env = env::ATALAIA_SHOW_SUPPRESSED)]
    pub(crate) show_suppressed: bool,
}

/// Arguments of `atalaia host`.
#[derive(Debug, Args)]
pub(crate) struct HostArgs {
    /// Stopped containers too, not only running ones.
    #[arg(short, long)]
    pub(crate) all: bool,
    /// The Docker (or Podman) daemon's socket, `unix:///path/to/docker.sock` [default:
    /// `/var/run/docker.sock`].
    #[arg(long, env = "DOCKER_HOST", value_name = "HOST")]
    pub(crate) docker_host: Option<String>,
    /// Everything a scan takes; `--format` is `table` or `json`.
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

/// Arguments of `atalaia watch` (see `crate::watch`).
#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// Run one cycle and exit (for cron).
    #[arg(long)]
    pub(crate) once: bool,
    /// List past runs (newest first) instead of watching.
    #[arg(long)]
    pub(crate) history: bool,
    /// How many runs `--history` lists.
    #[arg(long, default_value_t = 20, value_name = "N", requires = "history")]
    pub(crate) limit: usize,
    /// Output format of `--history` and of each cycle's changes on stdout.
    #[arg(short, long, value_enum, default_value = "table")]
    pub(crate) format: WatchFormat,
    /// Time between two audits of the containers (`30m`, `1h`, `1d`).
    #[arg(long, default_value = "1h", value_name = "DURATION",
          value_parser = crate::watch::parse_interval)]
    pub(crate) interval: std::time::Duration,
    /// Time between two updates of the vulnerability database (`0s`: every cycle).
    #[arg(long, default_value = "12h", value_name = "DURATION",
          value_parser = crate::watch::parse_duration)]
    pub(crate) db_update_interval: std::time::Duration,
    /// The state store (SQLite) [default: `<cache-dir>/watch.db`].
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// POST each change as JSON to this URL (repeatable).
    #[arg(long, value_name = "URL")]
    pub(crate) webhook: Vec<String>,
    /// Post each change to this Slack-compatible incoming webhook (repeatable).
    #[arg(long, value_name = "URL")]
    pub(crate) slack: Vec<String>,
    /// Publish each change to this ntfy topic URL, `https://ntfy.sh/TOPIC` (repeatable).
    #[arg(long, value_name = "URL")]
    pub(crate) ntfy: Vec<String>,
    /// Attempts per notification and cycle (0.5 s apart, doubling); what still fails is kept
    /// and sent again next cycle.
    #[arg(long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub(crate) notify_attempts: u32,
    /// Stopped containers too, not only running ones.
    #[arg(short, long)]
    pub(crate) all: bool,
    /// The Docker (or Podman) daemon's socket, `unix:///path/to/docker.sock` [default:
    /// `/var/run/docker.sock`, else Podman's socket].
    #[arg(long, env = "DOCKER_HOST", value_name = "HOST")]
    pub(crate) docker_host: Option<String>,
    /// The vulnerability database file [default: `<cache-dir>/db/atalaia.db`, kept up to date].
    #[arg(long, env = env::ATALAIA_DB, value_name = "FILE")]
    pub(crate) db: Option<PathBuf>,
    /// The cache directory [default: `$XDG_CACHE_HOME/atalaia`, else `~/.cache/atalaia`].
    #[arg(long, env = env::ATALAIA_CACHE_DIR, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,
    /// Use the vulnerability database as it is, without updating it.
    #[arg(long, env = env::ATALAIA_SKIP_DB_UPDATE)]
    pub(crate) skip_db_update: bool,
    /// Make no network request for the database (notifications are still sent).
    #[arg(long, env = env::ATALAIA_OFFLINE_SCAN)]
    pub(crate) offline_scan: bool,
    /// Leave out vulnerabilities that have no fixed version.
    #[arg(long, env = env::ATALAIA_IGNORE_UNFIXED)]
    pub(crate) ignore_unfixed: bool,
}

/// Output formats of `atalaia watch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum WatchFormat {
    /// Readable text.
    Table,
    /// JSON (`--history`: an array of runs; a cycle: one line per cycle).
    Json,
}

/// Arguments of `atalaia clean`.
#[derive(Debug, Args)]
pub(crate) struct CleanArgs {
    /// Remove the layer cache's entries (analyses of image layers).
    #[arg(long)]
    pub(crate) scan_cache: bool,
    /// Remove the vulnerability database of the cache directory.
    #[arg(long)]
    pub(crate) vuln_db: bool,
    /// Remove everything above.
    #[arg(long)]
    pub(crate) all: bool,
    /// The cache directory [default: `$XDG_CACHE_HOME/atalaia`, else `~/.cache/atalaia`].
    #[arg(long, env = env::ATALAIA_CACHE_DIR, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,
}

/// Where `atalaia image NAME` looks for the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImageSrc {
    /// The Docker daemon (`--docker-host`, `DOCKER_HOST`, `/var/run/docker.sock`).
    Docker,
    /// Podman's API service (`$XDG_RUNTIME_DIR/podman/podman.sock`, `/run/podman/podman.sock`).
    Podman,
    /// containerd (`CONTAINERD_ADDRESS`, `CONTAINERD_NAMESPACE`, `--platform`).
    Containerd,
    /// The image's registry (`--username`, `--registry-ca`, `--insecure`, `--platform`).
    Remote,
}

impl ImageSrc {
    /// The name `--image-src` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ImageSrc::Docker => "docker",
            ImageSrc::Podman => "podman",
            ImageSrc::Containerd => "containerd",
            ImageSrc::Remote => "remote",
        }
    }
}

/// Severities `--severity` names (Trivy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub(crate) enum SeverityArg {
    /// Not rated.
    Unknown,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// Statuses `--ignore-status` names (Trivy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub(crate) enum StatusArg {
    /// Not known.
    Unknown,
    /// The vendor says the package is not affected.
    NotAffected,
    /// Affected, no fix yet.
    Affected,
    /// A fixed version exists.
    Fixed,
    /// The vendor is looking into it.
    UnderInvestigation,
    /// The vendor will not fix it.
    WillNotFix,
    /// The vendor put the fix off.
    FixDeferred,
    /// The release is past its end of life.
    EndOfLife,
}

impl StatusArg {
    /// The name Trivy writes in `Status`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            StatusArg::Unknown => "unknown",
            StatusArg::NotAffected => "not_affected",
            StatusArg::Affected => "affected",
            StatusArg::Fixed => "fixed",
            StatusArg::UnderInvestigation => "under_investigation",
            StatusArg::WillNotFix => "will_not_fix",
            StatusArg::FixDeferred => "fix_deferred",
            StatusArg::EndOfLife => "end_of_life",
        }
    }
}

/// The scanners `--scanners` names (Trivy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Scanner {
    /// Known vulnerabilities of packages.
    Vuln,
    /// Misconfigurations of configuration files (directories, repositories, images and their
    /// config).
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
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF readers).
    Sarif,
    /// JUnit XML, one test case per finding.
    Junit,
    /// GitLab container-scanning report JSON.
    Gitlab,
    /// GitLab dependency-scanning report JSON.
    #[value(name = "gitlab-ds")]
    GitlabDs,
    /// GitLab code-quality report JSON.
    #[value(name = "gitlab-codequality")]
    GitlabCodequality,
    /// Your own template (`--template @FILE` or inline), in a Jinja-like syntax.
    Template,
}

/// Reads a size: bytes, or a number with `KB`/`MB`/`GB`/`TB` (powers of 1000) or
/// `KiB`/`MiB`/`GiB`/`TiB` (powers of 1024), case-insensitive.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. `500MB`, `2GiB`, `1048576`)"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "tb" | "t" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "`{other}` is not a size unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)"
            ))
        }
    };
    let bytes = number * factor;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(format!("`{text}` is out of range"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_decimal_and_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1.5 kib"), Ok(1536));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("MB").is_err());
        assert!(parse_size("").is_err());
    }
}
