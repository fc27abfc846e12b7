//! `atalaia db …`: build the vulnerability database from feeds, show its `meta` table, publish it
//! to a registry, update the local copy from one. Also [`ensure_db`], what a scan calls to get a
//! database it can open.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use atalaia_dbdist::{DbCache, EnsureOptions, Progress, UpdateOptions, UpdateOutcome};
use atalaia_registry::{Client, Reference};
use clap::{Args, Subcommand, ValueEnum};

use crate::printer::{self, Hinted};
use crate::{env, ExitStatus};

/// `atalaia db`.
#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    pub(crate) command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Build the database from feed folders in their native formats.
    Build(BuildArgs),
    /// Print the database's `meta` table: schema, build time, sources.
    Info(InfoArgs),
    /// Publish a database file to a registry as an OCI artifact.
    Push(PushArgs),
    /// Download the newest database into the cache directory (skipped when fresh).
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// A feed folder or file (repeatable); formats are recognised from the content.
    #[arg(long = "from", value_name = "DIR", required = true)]
    pub(crate) from: Vec<PathBuf>,
    /// The database file to write (replaced atomically).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// List every source with its format and counts, and every file not loaded.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Fail on the first feed file that does not parse.
    #[arg(long)]
    pub(crate) strict: bool,
    /// The build time to record (RFC 3339) instead of now, for reproducible files.
    #[arg(long, value_name = "TIME")]
    pub(crate) built_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InfoFormat {
    /// Aligned text.
    Table,
    /// A JSON object.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    /// The database file [default: `<cache-dir>/db/atalaia.db`].
    #[arg(long, env = env::ATALAIA_DB, value_name = "FILE")]
    pub(crate) db: Option<PathBuf>,
    /// The cache directory [default: `$XDG_CACHE_HOME/atalaia`, else `~/.cache/atalaia`].
    #[arg(long, env = env::ATALAIA_CACHE_DIR, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub(crate) format: InfoFormat,
}

/// Registry access flags (`db push`, `db update`).
#[derive(Debug, Args)]
pub(crate) struct RegistryArgs {
    /// User name for the registry [default: from `~/.docker/config.json`].
    #[arg(long, env = env::ATALAIA_USERNAME, value_name = "USER")]
    pub(crate) username: Option<String>,
    /// Password for the registry (prefer `--password-stdin` or `ATALAIA_PASSWORD`).
    #[arg(long, env = env::ATALAIA_PASSWORD, value_name = "PASSWORD", hide_env_values = true)]
    pub(crate) password: Option<String>,
    /// Read the password from the first line of stdin.
    #[arg(long, conflicts_with = "password")]
    pub(crate) password_stdin: bool,
    /// Trust this CA certificate (PEM) too, to verify the registry (repeatable).
    #[arg(long, env = env::ATALAIA_REGISTRY_CA, value_name = "FILE")]
    pub(crate) registry_ca: Vec<PathBuf>,
    /// Accept any TLS certificate, and plain HTTP for a registry on this machine.
    #[arg(long, env = env::ATALAIA_INSECURE)]
    pub(crate) insecure: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PushArgs {
    /// The database file.
    pub(crate) file: PathBuf,
    /// Where to publish it: `host[:port]/repo[:tag]` (the tag defaults to the schema version).
    pub(crate) reference: String,
    /// zstd compression level (1-22).
    #[arg(long, default_value_t = atalaia_dbdist::DEFAULT_LEVEL,
          value_parser = clap::value_parser!(i32).range(1..=22))]
    pub(crate) compression_level: i32,
    #[command(flatten)]
    pub(crate) registry: RegistryArgs,
}

#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// The database artifact to pull [default: `ghcr.io/atalaia/atalaia-db:<schema version>`].
    #[arg(long, env = env::ATALAIA_DB_REPOSITORY, value_name = "REF")]
    pub(crate) db_repository: Option<String>,
    /// The cache directory [default: `$XDG_CACHE_HOME/atalaia`, else `~/.cache/atalaia`].
    #[arg(long, env = env::ATALAIA_CACHE_DIR, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,
    /// When the download fails, accept the local copy (with a warning) if it was built less than
    /// this long ago (`12h`, `7d`); without it a failed update is an error.
    #[arg(long, env = env::ATALAIA_MAX_DB_AGE, value_name = "DURATION")]
    pub(crate) max_db_age: Option<String>,
    /// Ask the registry even if the local copy was checked within the last hour.
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) registry: RegistryArgs,
}

/// Runs `atalaia db …`.
pub(crate) fn run(args: DbArgs, quiet: bool) -> anyhow::Result<ExitStatus> {
    match args.command {
        DbCommand::Build(a) => build(&a, quiet),
        DbCommand::Info(a) => info(&a),
        DbCommand::Push(a) => push(&a),
        DbCommand::Update(a) => update(&a, quiet),
    }
}

fn build(args: &BuildArgs, quiet: bool) -> anyhow::Result<ExitStatus> {
    let mut opts = atalaia_vulndb::BuildOptions::new().strict(args.strict);
    if let Some(t) = &args.built_at {
        opts = opts.built_at(t.clone());
    }
    let summary = atalaia_vulndb::build(&args.from, &args.output, &opts).with_context(|| {
        format!(
            "Failed to build the vulnerability database `{}`",
            args.output.display()
        )
    })?;
    if args.verbose {
        for s in &summary.sources {
            printer::status(&format!(
                "source `{}`: format {}, {} files, {} records ({} withdrawn), revision {}",
                s.name,
                s.format,
                s.files,
                s.records,
                s.withdrawn,
                s.revision.as_deref().unwrap_or("unknown")
            ));
        }
        for f in &summary.skipped_files {
            printer::status(&format!("skipped `{}`: {}", f.path.display(), f.reason));
        }
        for w in &summary.warnings {
            printer::status(&format!("left out: {w}"));
        }
    }
    const SHOWN: usize = 5;
    for (i, f) in summary.unknown_files.iter().enumerate() {
        if args.verbose || i < SHOWN {
            printer::warn(&format!("`{}` is in no known feed format", f.display()));
        }
    }
    if !args.verbose && summary.unknown_files.len() > SHOWN {
        printer::warn(&format!(
            "{} more files in no known feed format (`--verbose` lists them)",
            summary.unknown_files.len() - SHOWN
        ));
    }
    for f in &summary.failed_files {
        printer::warn(&format!(
            "`{}` failed to parse: {}",
            f.path.display(),
            f.reason
        ));
    }
    if !quiet {
        printer::status(&format!(
            "Built `{}`: {} sources, {} vulnerabilities, {} advisories in {:.1} s",
            summary.output.display(),
            summary.sources.len(),
            summary.vulnerabilities,
            summary.advisories,
            summary.elapsed.as_secs_f64()
        ));
    }
    Ok(ExitStatus::Clean)
}

fn info(args: &InfoArgs) -> anyhow::Result<ExitStatus> {
    let cache_dir = crate::vulndb::cache_dir(args.cache_dir.as_deref());
    let (path, metadata) = match &args.db {
        Some(p) => (p.clone(), None),
        None => {
            let cache = DbCache::new(&cache_dir?);
            (cache.db_path(), cache.metadata())
        }
    };
    let db = atalaia_vulndb::VulnDb::open(&path).map_err(|e| {
        anyhow::Error::new(e).context(Hinted::new(
            "No usable vulnerability database",
            "Run `atalaia db update` to download a fresh copy, or `atalaia db build`",
        ))
    })?;
    let meta = db
        .meta()
        .with_context(|| format!("Failed to read the `meta` table of `{}`", path.display()))?;
    match args.format {
        InfoFormat::Json => {
            let mut value = serde_json::to_value(&meta)?;
            if let Some(obj) = value.as_object_mut() {
                obj.insert("path".to_owned(), path.display().to_string().into());
                obj.insert("metadata".to_owned(), serde_json::to_value(&metadata)?);
            }
            printer::stdout_line(&serde_json::to_string_pretty(&value)?)?;
        }
        InfoFormat::Table => {
            let mut out = vec![
                format!("Path:            {}", path.display()),
                format!("Schema version:  {}", meta.schema_version),
                format!("Built at:        {}", meta.built_at),
            ];
            if let Some(m) = &metadata {
                out.push(format!("Downloaded at:   {}", m.downloaded_at));
                out.push(format!("From:            {}@{}", m.repository, m.digest));
            }
            out.push(String::new());
            let header = [
                "SOURCE",
                "FORMAT",
                "REVISION",
                "FILES",
                "RECORDS",
                "WITHDRAWN",
            ];
            let rows: Vec<[String; 6]> = meta
                .sources
                .iter()
                .map(|s| {
                    [
                        s.name.clone(),
                        s.format.clone(),
                        s.revision.clone().unwrap_or_else(|| "-".to_owned()),
                        s.files.to_string(),
                        s.records.to_string(),
                        s.withdrawn.to_string(),
                    ]
                })
                .collect();
            let mut widths = header.map(str::len);
            for r in &rows {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                cells
                    .iter()
                    .zip(widths)
                    .enumerate()
                    .map(|(i, (c, w))| {
                        if i >= 3 {
                            format!("{c:>w$}")
                        } else {
                            format!("{c:<w$}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_owned()
            };
            out.push(line(&header.map(str::to_owned)));
            for r in &rows {
                out.push(line(r));
            }
            printer::stdout_line(&out.join("\n"))?;
        }
    }
    Ok(ExitStatus::Clean)
}

/// Builds the registry client from the flags (and the Docker config for credentials).
pub(crate) fn client(args: &RegistryArgs) -> anyhow::Result<Client> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("Failed to read the password from stdin")?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        args.password.clone()
    };
    let credentials = crate::registry_auth::credentials_pair(
        args.username.clone(),
        password,
        "Pass `--password-stdin`, or set `ATALAIA_PASSWORD`",
    )?;
    let mut builder = Client::builder()
        .insecure(args.insecure)
        .credentials(credentials);
    for ca in &args.registry_ca {
        builder = builder.ca_file(ca);
    }
    Ok(builder.build()?)
}

fn parse_reference(text: &str) -> anyhow::Result<Reference> {
    Ok(text.parse::<Reference>()?)
}

fn push(args: &PushArgs) -> anyhow::Result<ExitStatus> {
    let reference = parse_reference(&args.reference)?;
    let client = client(&args.registry)?;
    let out = atalaia_dbdist::push(&args.file, &reference, &client, args.compression_level)?;
    printer::status(&format!(
        "Pushed `{}` ({} bytes, {} compressed)",
        args.file.display(),
        out.uncompressed,
        out.layer.size
    ));
    printer::stdout_line(&format!("{}@{}", out.reference, out.manifest_digest))?;
    Ok(ExitStatus::Clean)
}

/// A progress bar on a TTY (stderr), nothing otherwise.
fn progress_reporter(quiet: bool) -> impl FnMut(Progress) {
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:>14} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    });
    move |p| {
        let Some(bar) = &bar else {
            return;
        };
        match p {
            Progress::Checking => bar.set_message("Checking"),
            Progress::Downloading { done, total } => {
                bar.set_message("Downloading");
                bar.set_length(total);
                bar.set_position(done);
            }
            Progress::Decompressing => bar.set_message("Decompressing"),
            Progress::Installing => {
                bar.set_message("Installing");
                bar.finish_and_clear();
            }
            _ => {}
        }
    }
}

fn update(args: &UpdateArgs, quiet: bool) -> anyhow::Result<ExitStatus> {
    let reference = match &args.db_repository {
        Some(r) => parse_reference(r)?,
        None => atalaia_dbdist::default_reference(),
    };
    let max_age = args
        .max_db_age
        .as_deref()
        .map(atalaia_dbdist::parse_duration)
        .transpose()?;
    let cache_dir = crate::vulndb::cache_dir(args.cache_dir.as_deref())?;
    let client = client(&args.registry)?;
    let options = UpdateOptions {
        force: args.force,
        ..UpdateOptions::default()
    };
    let mut progress = progress_reporter(quiet);
    match atalaia_dbdist::update(&cache_dir, &reference, &client, &options, &mut progress) {
        Ok(outcome) => {
            if !quiet {
                printer::status(&describe(&outcome));
            }
            Ok(ExitStatus::Clean)
        }
        Err(err) => {
            let cache = DbCache::new(&cache_dir);
            let path = cache.db_path();
            let local = atalaia_vulndb::VulnDb::open(&path).is_ok();
            let age = local
                .then(|| atalaia_dbdist::database_age(&cache, &path))
                .flatten();
            if let (Some(max), Some(age)) = (max_age, age) {
                if age <= max {
                    printer::warn(
                        &atalaia_dbdist::StaleDatabase {
                            path,
                            age: Some(age),
                            cause: err,
                        }
                        .to_string(),
                    );
                    return Ok(ExitStatus::Clean);
                }
            }
            let hint = match age {
                Some(age) => format!(
                    "The local copy `{}`, built {} ago, is kept as it was",
                    path.display(),
                    atalaia_dbdist::format_age(age)
                ),
                None if err.is_auth() => {
                    "Check `--username` and the password (`--password-stdin`, `ATALAIA_PASSWORD`)"
                        .to_owned()
                }
                None => {
                    "Check the registry and `--db-repository`, or build one with `atalaia db build`"
                        .to_owned()
                }
            };
            Err(anyhow::Error::new(err).context(Hinted::new(
                "Failed to update the vulnerability database",
                hint,
            )))
        }
    }
}

fn describe(outcome: &UpdateOutcome) -> String {
    match outcome {
        UpdateOutcome::Fresh(m) => format!(
            "Vulnerability database is fresh (checked {}, built {})",
            m.checked_at, m.built_at
        ),
        UpdateOutcome::Unchanged(m) => format!(
            "Vulnerability database is up to date (built {})",
            m.built_at
        ),
        UpdateOutcome::Downloaded { metadata, bytes } => format!(
            "Downloaded the vulnerability database ({bytes} bytes, built {}) from {}",
            metadata.built_at, metadata.repository
        ),
    }
}

/// What a scan calls before opening the database of the cache directory: updates it from
/// `repository` (default reference when `None`) unless `skip_update` or `offline`; when the update
/// fails but a local copy opens, returns its path with a warning naming its age (an error when
/// older than `max_age`). Returns the database path and the warning for the caller to print.
pub(crate) fn ensure_db(
    cache_dir: &Path,
    repository: Option<&str>,
    registry: &RegistryArgs,
    skip_update: bool,
    offline: bool,
    max_age: Option<std::time::Duration>,
    quiet: bool,
) -> anyhow::Result<(PathBuf, Option<String>)> {
    let reference = match repository {
        Some(r) => parse_reference(r)?,
        None => atalaia_dbdist::default_reference(),
    };
    let client = client(registry)?;
    let options = EnsureOptions {
        skip_update,
        offline,
        max_age,
        update: UpdateOptions::default(),
    };
    let mut progress = progress_reporter(quiet);
    let ensured = atalaia_dbdist::ensure_db(cache_dir, &reference, &client, &options, &mut progress)
        .map_err(|e| {
            let hint = match &e {
                atalaia_dbdist::DbDistError::NoDatabase { .. } => {
                    "Run `atalaia db update` (without `--skip-db-update`/`--offline-scan`), or pass `--db FILE`"
                }
                _ => "Run `atalaia db update`, or pass `--db FILE`",
            };
            anyhow::Error::new(e).context(Hinted::new(
                "No usable vulnerability database",
                hint,
            ))
        })?;
    Ok((ensured.path, ensured.warning.map(|w| w.to_string())))
}
