//! The match-time benchmark behind `bench/match.sh`:
//! `match_bench DB [RUNS]` times [`detect`] on
//!
//! - `largest-corpus`: the corpus image with the most packages (analysed once, not timed);
//! - `synthetic-lang`: 5,000 language packages named after every language key of the database
//!   in key order (then again at another version), at old versions many ranges contain: the
//!   worst case measured before the packed store (kept for before/after comparisons);
//! - `synthetic-mixed`: 5,000 packages mixing ecosystems: 1,000 Debian 10 packages (binary
//!   packages of real source packages, at versions older than every fix) and 4,000 language
//!   packages taken round-robin from PyPI, npm, Maven, Go, crates.io, RubyGems and Packagist keys;
//! - `synthetic-typical`: the same packages, one in ten at a vulnerable version and the others
//!   above every fix (every package is still looked up and evaluated), as in a real image;
//! - the two worst cases again on one thread (`-1thread`), for the gain of matching on several.
//!
//! With `MATCH_BENCH_ONLY=NAME` set, only that inventory is timed (for profiling one).
//! With `MATCH_BENCH_REPS=N` set, a sample is exactly N runs (for counting instructions under
//! `valgrind --tool=callgrind`, which is steadier than time on a shared machine).
//! With `MATCH_BENCH_DUMP=DIR` set, each inventory's report is written to `DIR/NAME.json` (to
//! compare the findings of two builds).
//!
//! Each is run `RUNS` times (default 11) on one warm database handle, as a scan would: the first
//! run pays the page faults of the memory-mapped file. Printed as `key value` lines: findings,
//! and the min and median of wall time and of the process's CPU time (every thread's, `/proc/self/stat`).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on the terminal

use std::time::{Duration, Instant};

use atalaia_analyze::AnalyzeOptions;
use atalaia_artifact::ImageSelector;
use atalaia_detect::{detect, language_namespace, DetectOptions};
use atalaia_types::{
    Application, Ecosystem, Inventory, OsFamily, OsPackageDb, OsRelease, Package, Purl,
};
use atalaia_vulndb::VulnDb;

/// This process's CPU time so far, every thread's (also those that have ended: `detect`
/// matches large inventories on worker threads), from `/proc/self/stat` (user + system time,
/// in USER_HZ = 100 ticks per second on Linux), if readable.
fn process_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let mut fields = s.get(s.rfind(')')? + 2..)?.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

/// Times `runs` samples. A sample repeats `detect` until it has run for at least 500 ms of wall
/// time and is divided by the repetitions: process CPU time is counted in 10 ms ticks, so a
/// short run cannot be timed alone (500 ms: within 2%).
fn time(name: &str, inv: &Inventory, db: &VulnDb, opts: &DetectOptions, runs: usize) {
    if std::env::var("MATCH_BENCH_ONLY").is_ok_and(|only| only != name) {
        return;
    }
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        // Reports are dropped after the sample: freeing them is the caller's cost.
        let mut reports = Vec::new();
        let cpu0 = process_cpu();
        let start = Instant::now();
        let fixed_reps: Option<usize> = std::env::var("MATCH_BENCH_REPS")
            .ok()
            .and_then(|r| r.parse().ok());
        while match fixed_reps {
            Some(n) => reports.len() < n,
            None => reports.is_empty() || start.elapsed() < Duration::from_millis(500),
        } {
            reports.push(detect(inv, db, opts).expect("detect"));
        }
        let wall = start.elapsed();
        let cpu1 = process_cpu();
        let reps = reports.len() as u32;
        walls.push(wall / reps);
        if let (Some(a), Some(b)) = (cpu0, cpu1) {
            cpus.push((b - a) / reps);
        }
        found = reports[0].vulnerabilities().count();
        if let Some(dir) = std::env::var_os("MATCH_BENCH_DUMP") {
            let path = std::path::Path::new(&dir).join(format!("{name}.json"));
            let json = serde_json::to_vec_pretty(&reports[0]).expect("serialise the report");
            std::fs::write(&path, json).expect("write the report");
        }
    }
    walls.sort();
    cpus.sort();
    println!("{name}_packages {}", inv.packages().count());
    println!("{name}_findings {found}");
    println!("{name}_runs {runs}");
    println!("{name}_wall_min_ms {}", ms(walls[0]));
    println!("{name}_wall_median_ms {}", ms(walls[walls.len() / 2]));
    if !cpus.is_empty() {
        println!("{name}_cpu_min_ms {}", ms(cpus[0]));
        println!("{name}_cpu_median_ms {}", ms(cpus[cpus.len() / 2]));
    }
}

const LANGUAGES: [Ecosystem; 7] = [
    Ecosystem::PyPI,
    Ecosystem::Npm,
    Ecosystem::Maven,
    Ecosystem::Go,
    Ecosystem::CratesIo,
    Ecosystem::RubyGems,
    Ecosystem::Packagist,
];

fn language_package(eco: Ecosystem, name: &str, version: &str) -> Package {
    let version = if eco == Ecosystem::Go {
        format!("v{version}")
    } else {
        version.to_owned()
    };
    Package::new(
        eco,
        name,
        version.clone(),
        Purl::new(eco.purl_type(), "", name, &version),
    )
}

fn ecosystem_of(ns: &str) -> Option<Ecosystem> {
    LANGUAGES
        .iter()
        .copied()
        .find(|e| language_namespace(*e) == Some(ns))
}

fn app(packages: Vec<Package>) -> Application {
    Application {
        app_type: "synthetic".into(),
        file_path: String::new(),
        packages,
    }
}

/// The worst case measured before the packed store: every language key in key order.
fn synthetic_lang(keys: &[(String, String)]) -> Inventory {
    let mut packages = Vec::new();
    'outer: for round in 0.. {
        let mut added = false;
        for (ns, name) in keys {
            let Some(eco) = ecosystem_of(ns) else {
                continue;
            };
            let version = ["1.0.0", "0.1.0", "2.3.1", "4.17.15"][round % 4];
            packages.push(language_package(eco, name, version));
            added = true;
            if packages.len() == 5_000 {
                break 'outer;
            }
        }
        if !added {
            break;
        }
    }
    Inventory {
        applications: vec![app(packages)],
        ..Inventory::default()
    }
}

/// `synthetic-mixed` as a typical image holds it: the same 5,000 packages, each looked up and
/// evaluated, but only one in ten at a vulnerable version; the others are above every fix.
fn synthetic_typical(keys: &[(String, String)]) -> Inventory {
    let mut inv = synthetic_mixed(keys);
    for db in &mut inv.os_packages {
        for (i, p) in db.packages.iter_mut().enumerate() {
            if i % 10 != 0 {
                let mut q = Package::new(
                    Ecosystem::Deb,
                    p.name.clone(),
                    "9999",
                    Purl::new("deb", "debian", &p.name, "9999-1"),
                );
                q.release = "1".into();
                q.src_name = std::mem::take(&mut p.src_name);
                q.src_version = "9999".into();
                q.src_release = "1".into();
                q.arch = "amd64".into();
                *p = q;
            }
        }
    }
    for app in &mut inv.applications {
        for (i, p) in app.packages.iter_mut().enumerate() {
            if i % 10 != 0 {
                *p = language_package(p.ecosystem, &p.name.clone(), "9999.0.0");
            }
        }
    }
    inv
}

/// 1,000 Debian 10 packages and 4,000 language packages, ecosystems interleaved.
fn synthetic_mixed(keys: &[(String, String)]) -> Inventory {
    let debian: Vec<&str> = keys
        .iter()
        .filter(|(ns, _)| ns == "debian 10")
        .map(|(_, p)| p.as_str())
        .collect();
    let mut os = Vec::new();
    for i in 0..1_000 {
        let Some(src) = debian.get(i % debian.len().max(1)) else {
            break;
        };
        let name = format!("{src}-bin{i}");
        let mut p = Package::new(
            Ecosystem::Deb,
            name.clone(),
            "0.1",
            Purl::new("deb", "debian", &name, "0.1-1"),
        );
        p.release = "1".into();
        p.src_name = (*src).to_owned();
        p.src_version = "0.1".into();
        p.src_release = "1".into();
        p.arch = "amd64".into();
        os.push(p);
    }
    let mut per_eco: Vec<(Ecosystem, Vec<&str>)> = LANGUAGES
        .iter()
        .map(|e| {
            let names = keys
                .iter()
                .filter(|(ns, _)| language_namespace(*e) == Some(ns.as_str()))
                .map(|(_, p)| p.as_str())
                .collect();
            (*e, names)
        })
        .collect();
    per_eco.retain(|(_, names)| !names.is_empty());
    let mut packages = Vec::new();
    let versions = ["1.0.0", "0.1.0", "2.3.1", "4.17.15"];
    if !per_eco.is_empty() {
        for i in 0..4_000 {
            let (eco, names) = &per_eco[i % per_eco.len()];
            let name = names[(i / per_eco.len()) % names.len()];
            packages.push(language_package(*eco, name, versions[i % versions.len()]));
        }
    }
    Inventory {
        os: Some(OsRelease {
            family: OsFamily::Debian,
            version: "10.13".into(),
            pretty_name: None,
            source: None,
            eosl: None,
        }),
        os_packages: vec![OsPackageDb {
            file_path: "/var/lib/dpkg/status".into(),
            packages: os,
        }],
        applications: vec![app(packages)],
        ..Inventory::default()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db_path = args.next().ok_or("usage: match_bench DB [RUNS]")?;
    let runs: usize = args.next().map_or(Ok(11), |r| r.parse())?;
    let db = VulnDb::open(std::path::Path::new(&db_path))?;
    // Every core, as a scan matches; and one thread, for the gain of the others.
    let (all, one) = (DetectOptions::new(), DetectOptions::new().max_threads(1));

    let oci = atalaia_test::corpus_dir().join("oci");
    let mut largest: Option<(String, Inventory)> = None;
    // Not analysed when another inventory is the only one timed (profiles see only matching).
    let skip_corpus = std::env::var("MATCH_BENCH_ONLY").is_ok_and(|only| only != "largest-corpus");
    for reference in atalaia_test::corpus_image_refs()
        .into_iter()
        .filter(|_| !skip_corpus)
    {
        let input = format!("{}:{reference}", oci.display());
        let Ok(image) = atalaia_artifact::open_image(&input, &ImageSelector::default()) else {
            continue;
        };
        let Ok(inv) = atalaia_analyze::analyze_image(&image, &AnalyzeOptions::default()) else {
            continue;
        };
        let n = inv.packages().count();
        if largest
            .as_ref()
            .is_none_or(|(_, l)| n > l.packages().count())
        {
            largest = Some((reference, inv));
        }
    }
    if let Some((reference, inv)) = &largest {
        println!("largest-corpus_image {reference}");
        time("largest-corpus", inv, &db, &all, runs);
    }
    let keys = db.packages()?;
    let (lang, mixed) = (synthetic_lang(&keys), synthetic_mixed(&keys));
    time("synthetic-lang", &lang, &db, &all, runs);
    time("synthetic-mixed", &mixed, &db, &all, runs);
    time(
        "synthetic-typical",
        &synthetic_typical(&keys),
        &db,
        &all,
        runs,
    );
    time("synthetic-lang-1thread", &lang, &db, &one, runs);
    time("synthetic-mixed-1thread", &mixed, &db, &one, runs);
    Ok(())
}
