//! `atalaia watch`: the watchman of a host's containers.
//!
//! Each cycle brings the vulnerability database up to date when `--db-update-interval` has
//! passed since the last update (the time is kept in the state, so it holds across `--once`
//! runs from cron too), reopens it, lists the daemon's containers, and hands them to
//! [`atalaia_watch::run_once`]: images the state has never seen are exported from the daemon and
//! analysed once, stored inventories are matched again only when the database changed, and what
//! changed since the last run (new and fixed findings, containers appearing and gone) is
//! notified (webhook, Slack, ntfy; what fails stays in the outbox for the next cycle) and
//! printed on stdout.
//!
//! Without `--once` a cycle runs every `--interval` until SIGINT or SIGTERM, which end the loop
//! after the current cycle (a second signal ends the process at once: the state is only changed
//! in transactions, so it is never half-written). The first cycle's errors end the command
//! (exit 2: no daemon, socket denied, no database); later ones are printed and the watch goes on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use atalaia_analyze::{AnalyzeOptions, Analyzer, ScanMode};
use atalaia_detect::DetectOptions;
use atalaia_host::ImageToScan;
use atalaia_types::Inventory;
use atalaia_vulndb::VulnDb;
use atalaia_watch::{
    database_identity, run_once, ContainerInfo, DeliveryOptions, Notification, Notifiers,
    RunInputs, RunOutcome, RunRecord, State, Target,
};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::args::{WatchArgs, WatchFormat};
use crate::printer::{self, Hinted};
use crate::vulndb::{self, DbOptions};
use crate::ExitStatus;

/// The key of the state's `meta` table holding when the database was last brought up to date.
const DB_UPDATED_KEY: &str = "db_update_checked_at";

/// How often the wait between cycles looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(200);

/// Parses a duration: `<n><unit>…` with units `s`, `m`, `h`, `d`, `w` (`90s`, `1h30m`, `2d`).
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    atalaia_dbdist::parse_duration(text).map_err(|_| {
        format!("`{text}` is not a duration (a number and a unit: `90s`, `30m`, `1h30m`, `1d`)")
    })
}

/// Parses `--interval`: a duration of at least one second.
pub(crate) fn parse_interval(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d < Duration::from_secs(1) {
        return Err(format!(
            "`{text}` is too short: the interval is at least `1s`"
        ));
    }
    Ok(d)
}

/// Runs `atalaia watch`.
pub(crate) fn run(args: &WatchArgs) -> anyhow::Result<ExitStatus> {
    let state_path = match &args.state {
        Some(p) => p.clone(),
        None => vulndb::cache_dir(args.cache_dir.as_deref())?.join(atalaia_watch::STATE_FILE),
    };
    if args.history {
        return history(&state_path, args.limit, args.format);
    }
    let stop = Arc::new(AtomicBool::new(false));
    install_signal_handlers(&stop)?;
    let mut watcher = Watcher::new(args, &state_path)?;
    let mut first = true;
    loop {
        if let Err(err) = watcher.cycle() {
            if first || args.once {
                return Err(err);
            }
            // The daemon restarting, a failed download: the next cycle may do better.
            printer::print_error(&err.context("This cycle failed; watching goes on"));
        }
        first = false;
        if args.once || stop.load(Ordering::SeqCst) {
            break;
        }
        tracing::debug!(interval = ?args.interval, "waiting for the next cycle");
        wait(args.interval, &stop);
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    if stop.load(Ordering::SeqCst) {
        printer::status("Stopped: the state is saved");
    }
    Ok(ExitStatus::Clean)
}

/// SIGINT and SIGTERM set `stop`; a second one while it is set ends the process at once.
fn install_signal_handlers(stop: &Arc<AtomicBool>) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for (signal, code) in [(SIGINT, 130), (SIGTERM, 143)] {
        // Registered first, so it sees the flag as it was before this signal.
        signal_hook::flag::register_conditional_shutdown(signal, code, Arc::clone(stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(stop)))
            .context("Failed to install the SIGINT/SIGTERM handlers")?;
    }
    Ok(())
}

/// Waits `total`, or until `stop` is set.
fn wait(total: Duration, stop: &AtomicBool) {
    let end = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= end {
            break;
        }
        std::thread::sleep((end - now).min(STOP_POLL));
    }
}

/// What stays the same from one cycle to the next.
struct Watcher<'a> {
    args: &'a WatchArgs,
    state: State,
    notifiers: Notifiers,
    analyze: AnalyzeOptions,
    analyzers: Vec<Arc<dyn Analyzer>>,
}

impl<'a> Watcher<'a> {
    fn new(args: &'a WatchArgs, state_path: &Path) -> anyhow::Result<Self> {
        let state = State::open(state_path).map_err(|e| {
            anyhow::Error::new(e).context(Hinted::new(
                "Cannot use the watch state",
                "Pass `--state FILE` in a directory you can write, or remove a damaged file",
            ))
        })?;
        let mut targets: Vec<Target> = Vec::new();
        let urls = args
            .webhook
            .iter()
            .map(|u| (u, Target::Webhook(u.clone())))
            .chain(args.slack.iter().map(|u| (u, Target::Slack(u.clone()))))
            .chain(args.ntfy.iter().map(|u| (u, Target::Ntfy(u.clone()))));
        for (url, target) in urls {
            check_url(url)?;
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
        let notifiers = Notifiers {
            targets,
            delivery: DeliveryOptions {
                attempts: args.notify_attempts,
                ..DeliveryOptions::default()
            },
        };
        let analyze = AnalyzeOptions {
            limits: atalaia_artifact::Limits::default(),
            parallelism: 0,
            extra_analyzers: Vec::new(),
            cache: layer_cache(args.cache_dir.as_deref()),
        };
        let analyzers = atalaia_analyze::analyzers_for(ScanMode::Image, &analyze);
        Ok(Watcher {
            args,
            state,
            notifiers,
            analyze,
            analyzers,
        })
    }

    /// One cycle: daemon, database, run, report.
    fn cycle(&mut self) -> anyhow::Result<()> {
        // The daemon first: a missing or denied socket is the first thing to fix.
        let client = crate::host::engine_client(self.args.docker_host.as_deref())
            .map_err(crate::source::hinted)?;
        let db_path = self.database()?;
        let db = VulnDb::open(&db_path).with_context(|| {
            format!(
                "Failed to open vulnerability database `{}`",
                db_path.display()
            )
        })?;
        let identity = database_identity(&db)?;
        let containers: Vec<ContainerInfo> =
            atalaia_host::inspect_containers(&client, self.args.all)
                .map_err(crate::source::hinted)
                .context("Failed to list the daemon's containers")?
                .iter()
                .map(ContainerInfo::from)
                .collect();
        tracing::debug!(
            socket = %client.socket().display(),
            containers = containers.len(),
            database = %identity,
            "watch cycle"
        );
        let (analyzers, analyze) = (&self.analyzers, &self.analyze);
        let mut source = |image: &ImageToScan| -> Result<Inventory, String> {
            tracing::info!(image = %image.name, image_id = %image.image_id, "scanning image");
            atalaia_daemon::analyze_daemon_image(&client, &image.image_id, analyzers, analyze)
                .map(|scanned| scanned.analysis.inventory)
                .map_err(|e| crate::host::error_chain(&e))
        };
        let inputs = RunInputs {
            containers,
            store: &db,
            database: identity.clone(),
            detect: DetectOptions::new().ignore_unfixed(self.args.ignore_unfixed),
        };
        let outcome = run_once(&mut self.state, &inputs, &mut source, &self.notifiers)
            .context("The watch run failed; the state is as it was before it")?;
        for w in &outcome.warnings {
            printer::warn(&format!("Image not scanned (tried again next cycle): {w}"));
        }
        for d in outcome.deliveries.iter().filter(|d| !d.delivered()) {
            printer::warn(&format!(
                "Notification of run {} to {} not delivered after {} attempts ({}); kept, sent again next cycle",
                d.run,
                d.target,
                d.attempts,
                d.error.as_deref().unwrap_or("unknown error")
            ));
        }
        report(&outcome, &identity, self.args.format)?;
        Ok(())
    }

    /// The database of this cycle: `--db` as it is; else the cache directory's, brought up to
    /// date when `--db-update-interval` has passed since the last update (never with
    /// `--skip-db-update` or `--offline-scan`).
    fn database(&mut self) -> anyhow::Result<PathBuf> {
        let args = self.args;
        let due = args.db.is_none()
            && !args.skip_db_update
            && !args.offline_scan
            && update_due(
                self.state.meta_value(DB_UPDATED_KEY)?.as_deref(),
                OffsetDateTime::now_utc(),
                args.db_update_interval,
            );
        let path = vulndb::resolve(&DbOptions {
            db: args.db.clone(),
            cache_dir: args.cache_dir.clone(),
            skip_update: !due,
            offline: args.offline_scan,
        })?;
        if due {
            let now = OffsetDateTime::now_utc()
                .format(&Rfc3339)
                .unwrap_or_default();
            self.state.set_meta_value(DB_UPDATED_KEY, &now)?;
        }
        Ok(path)
    }
}

/// Whether the database is due for an update: never updated, an unreadable time, a time in the
/// future (the clock moved back), or `interval` has passed.
fn update_due(last: Option<&str>, now: OffsetDateTime, interval: Duration) -> bool {
    let Some(last) = last.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok()) else {
        return true;
    };
    let elapsed = now - last;
    elapsed.is_negative() || elapsed >= interval
}

/// A notification URL must be `http://` or `https://` with a host.
fn check_url(url: &str) -> anyhow::Result<()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') => Ok(()),
        _ => Err(Hinted::new(
            format!("`{url}` is not a notification URL"),
            "Give an `http://` or `https://` URL, e.g. `--ntfy https://ntfy.sh/my-topic`",
        )
        .into()),
    }
}

/// The layer cache of the cache directory; one that cannot be opened is a warning.
fn layer_cache(cache_dir: Option<&Path>) -> Option<Arc<dyn atalaia_analyze::LayerCache>> {
    let dir = vulndb::cache_dir(cache_dir).ok()?;
    match atalaia_cache::SqliteLayerCache::open(
        &dir.join("scan"),
        atalaia_cache::CacheOptions::default(),
    ) {
        Ok(cache) => Some(Arc::new(cache)),
        Err(err) => {
            printer::warn(&format!("Layer cache disabled: {err}"));
            None
        }
    }
}

/// Prints what a cycle changed: one JSON line, or the readable summary.
fn report(outcome: &RunOutcome, database: &str, format: WatchFormat) -> anyhow::Result<()> {
    let text = match format {
        WatchFormat::Json => serde_json::to_string(outcome)?,
        WatchFormat::Table => cycle_text(outcome, database),
    };
    printer::stdout_line(&text)?;
    Ok(())
}

fn cycle_text(outcome: &RunOutcome, database: &str) -> String {
    let s = &outcome.stats;
    let mut text = format!(
        "Run {}: {} containers, {} images ({} scanned, {} matched in {:.2} s)",
        outcome.run,
        s.containers,
        s.images,
        s.scanned,
        s.matched,
        s.match_time.as_secs_f64()
    );
    if outcome.pending > 0 {
        text.push_str(&format!(", {} notifications pending", outcome.pending));
    }
    text.push('\n');
    if outcome.events.is_empty() {
        text.push_str("No changes since the last run");
    } else {
        let n = Notification {
            run: outcome.run,
            time: String::new(),
            database: database.to_owned(),
            events: outcome.events.clone(),
        };
        text.push_str(&n.summary());
    }
    text
}

/// `atalaia watch --history`: the last `limit` runs, newest first.
fn history(path: &Path, limit: usize, format: WatchFormat) -> anyhow::Result<ExitStatus> {
    let runs = if path.is_file() {
        State::open(path)?.history(limit)?
    } else {
        tracing::debug!(state = %path.display(), "no watch state yet");
        Vec::new()
    };
    let mut out: Vec<u8> = Vec::new();
    match format {
        WatchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &runs)?;
            out.push(b'\n');
        }
        WatchFormat::Table => {
            if runs.is_empty() {
                writeln!(out, "No runs recorded in `{}`", path.display())?;
            } else {
                write_history_table(&runs, &mut out)?;
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    printer::ignore_broken_pipe(stdout.write_all(&out).and_then(|()| stdout.flush()))?;
    Ok(ExitStatus::Clean)
}

fn write_history_table(runs: &[RunRecord], out: &mut dyn Write) -> std::io::Result<()> {
    let header = [
        "RUN",
        "STARTED",
        "CONTAINERS",
        "IMAGES",
        "SCANNED",
        "MATCHED",
        "NEW",
        "FIXED",
        "APPEARED",
        "GONE",
        "SENT",
        "PENDING",
        "WARNINGS",
    ];
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.started_at.clone(),
                r.containers.to_string(),
                r.images.to_string(),
                r.scanned.to_string(),
                r.matched.to_string(),
                r.new_findings.to_string(),
                r.fixed_findings.to_string(),
                r.containers_appeared.to_string(),
                r.containers_gone.to_string(),
                r.notifications_sent.to_string(),
                r.notifications_pending.to_string(),
                r.warnings.len().to_string(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_intervals_are_at_least_a_second() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        for bad in ["", "12", "1x", "h", "-1h", "1.5h"] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains("is not a duration"), "{bad}: {e}");
        }
        assert_eq!(parse_interval("1s"), Ok(Duration::from_secs(1)));
        assert!(parse_interval("0s").unwrap_err().contains("at least"));
    }

    #[test]
    fn database_update_is_due_after_the_interval() {
        let now = OffsetDateTime::parse("2026-11-29T12:00:00Z", &Rfc3339).unwrap();
        let h12 = Duration::from_secs(12 * 3600);
        assert!(update_due(None, now, h12));
        assert!(update_due(Some("garbage"), now, h12));
        assert!(!update_due(Some("2026-11-29T01:00:00Z"), now, h12));
        assert!(update_due(Some("2026-11-29T00:00:00Z"), now, h12));
        // The clock went back: update rather than wait for ever.
        assert!(update_due(Some("2026-11-30T00:00:00Z"), now, h12));
        assert!(update_due(
            Some("2026-11-29T12:00:00Z"),
            now,
            Duration::ZERO
        ));
    }

    #[test]
    fn notification_urls_must_be_http() {
        assert!(check_url("https://ntfy.sh/topic").is_ok());
        assert!(check_url("http://127.0.0.1:8080/hook").is_ok());
        for bad in ["ntfy.sh/topic", "ftp://x/y", "http://", "https:///path", ""] {
            let e = check_url(bad).unwrap_err();
            assert!(e.to_string().contains("not a notification URL"), "{bad}");
        }
    }

    #[test]
    fn history_table_lines_up() {
        let run = |id: i64, new: i64| RunRecord {
            id,
            started_at: format!("2026-11-29T0{id}:00:00Z"),
            finished_at: String::new(),
            database: "v2".into(),
            containers: 3,
            images: 2,
            scanned: 2,
            matched: 2,
            new_findings: new,
            fixed_findings: 0,
            containers_appeared: 3,
            containers_gone: 0,
            notifications_sent: 1,
            notifications_pending: 0,
            warnings: vec!["x: y".into()],
        };
        let mut out = Vec::new();
        write_history_table(&[run(2, 0), run(1, 1234)], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("RUN  STARTED"), "{text}");
        let col = lines[0].find("NEW").unwrap();
        assert_eq!(&lines[1][col..col + 1], "0", "{text}");
        assert_eq!(&lines[2][col..col + 4], "1234", "{text}");
        assert!(lines[2].ends_with('1'), "{text}");
    }
}
