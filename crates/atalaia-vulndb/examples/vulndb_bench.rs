//! The database benchmark behind `bench/vulndb.sh`. Two modes, each printing `key value` lines:
//!
//! - `vulndb_bench build OUTPUT FEED_DIR...`: builds the database; wall and CPU seconds, counts.
//! - `vulndb_bench lookup DB [ROUNDS]`: lookup latency over every `(namespace, package)` key in
//!   the database plus as many misses (a name the namespace does not have), for the borrowed
//!   [`VulnDb::package_advisories`] and the owned [`VulnDb::advisories_for`]. Each key is timed
//!   `ROUNDS` times (default 5) and its fastest time kept: on a shared machine that removes
//!   preemption, which is noise here, not lookup cost. The CPU time of the whole timed loop
//!   (this thread's run time from `/proc/thread-self/schedstat`) is printed too.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on the terminal

use std::path::PathBuf;
use std::time::{Duration, Instant};

use atalaia_vulndb::{build, BuildOptions, VulnDb};

/// This thread's CPU time so far (Linux `schedstat`, nanoseconds), if readable.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// This process's user + system CPU time (`/proc/self/stat`, clock ticks of 10 ms).
fn process_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn us(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e6)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build") if args.len() >= 3 => {
            let output = PathBuf::from(&args[1]);
            let feeds: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
            let cpu0 = process_cpu();
            let start = Instant::now();
            let summary = build(&feeds, &output, &BuildOptions::new())?;
            let wall = start.elapsed();
            println!("build_wall_s {:.2}", wall.as_secs_f64());
            if let (Some(a), Some(b)) = (cpu0, process_cpu()) {
                println!("build_cpu_s {:.2}", (b - a).as_secs_f64());
            }
            println!("vulnerabilities {}", summary.vulnerabilities);
            println!("advisories {}", summary.advisories);
            println!("sources {}", summary.sources.len());
            println!("size_bytes {}", std::fs::metadata(&output)?.len());
            Ok(())
        }
        Some("lookup") if args.len() >= 2 => {
            let rounds: usize = args.get(2).map_or(Ok(5), |r| r.parse())?;
            lookup(&PathBuf::from(&args[1]), rounds.max(1))
        }
        _ => Err("usage: vulndb_bench build OUTPUT FEED_DIR... | lookup DB [ROUNDS]".into()),
    }
}

fn lookup(path: &std::path::Path, rounds: usize) -> Result<(), Box<dyn std::error::Error>> {
    let db = VulnDb::open(path)?;
    let hits = db.packages()?;
    let misses: Vec<(String, String)> = hits
        .iter()
        .map(|(ns, p)| (ns.clone(), format!("{p}-atalaia-absent")))
        .collect();
    println!("keys {}", hits.len());
    println!("misses {}", misses.len());
    type Lookup<'a> = &'a dyn Fn(&str, &str) -> Result<usize, atalaia_vulndb::VulnDbError>;
    let view: Lookup<'_> = &|ns, p| Ok(db.package_advisories(ns, p)?.map_or(0, |a| a.len()));
    let owned: Lookup<'_> = &|ns, p| Ok(db.advisories_for(ns, p)?.len());
    for (name, f) in [("view", view), ("owned", owned)] {
        for (set, keys) in [("hit", &hits), ("miss", &misses)] {
            // Warm the page cache and the statement cache once.
            for (ns, p) in keys.iter() {
                f(ns, p)?;
            }
            let mut best = vec![Duration::MAX; keys.len()];
            let cpu0 = thread_cpu();
            let start = Instant::now();
            for _ in 0..rounds {
                for (i, (ns, p)) in keys.iter().enumerate() {
                    let t = Instant::now();
                    std::hint::black_box(f(ns, p)?);
                    best[i] = best[i].min(t.elapsed());
                }
            }
            let wall = start.elapsed();
            let n = (keys.len() * rounds) as u32;
            if let (Some(a), Some(b)) = (cpu0, thread_cpu()) {
                println!("{name}_{set}_cpu_mean_us {}", us((b - a) / n));
            }
            println!("{name}_{set}_wall_mean_us {}", us(wall / n));
            best.sort();
            println!("{name}_{set}_p50_us {}", us(quantile(&best, 0.50)));
            println!("{name}_{set}_p99_us {}", us(quantile(&best, 0.99)));
            println!("{name}_{set}_max_us {}", us(best[best.len() - 1]));
            let under = best.iter().filter(|d| d.as_micros() <= 50).count();
            println!(
                "{name}_{set}_le50us_pct {:.2}",
                100.0 * under as f64 / best.len() as f64
            );
        }
    }
    Ok(())
}
