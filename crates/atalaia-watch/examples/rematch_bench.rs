//! Benchmark of the re-match after a database change (issue #10, acceptance 3): stores 1,000
//! inventories (the corpus images, analysed once, with varied package versions), then times the
//! run that follows a change of the database identity. Nothing is rescanned: the inventory source
//! of that run fails if it is called. Run by `bench/watch.sh`.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use atalaia_analyze::AnalyzeOptions;
use atalaia_artifact::ImageSelector;
use atalaia_host::{Exposure, ImageToScan};
use atalaia_types::Inventory;
use atalaia_vulndb::{build, BuildOptions, VulnDb};
use atalaia_watch::{run_once, ContainerInfo, Notifiers, RunInputs, State};

/// Makes the last digit run of `v` smaller by `by` (floored at 0): an older version.
fn older(v: &str, by: u32) -> String {
    let bytes = v.as_bytes();
    let Some(end) = bytes.iter().rposition(u8::is_ascii_digit) else {
        return v.to_owned();
    };
    let start = bytes[..end]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let n: u64 = v[start..=end].parse().unwrap_or(0);
    format!(
        "{}{}{}",
        &v[..start],
        n.saturating_sub(u64::from(by)),
        &v[end + 1..]
    )
}

fn variant(base: &Inventory, i: usize) -> Inventory {
    let mut inv = base.clone();
    let by = u32::try_from(i % 4).unwrap_or(0);
    for db in &mut inv.os_packages {
        for (j, p) in db.packages.iter_mut().enumerate() {
            if (i + j) % 3 == 0 {
                p.version = older(&p.version, by);
            }
        }
    }
    for app in &mut inv.applications {
        for (j, p) in app.packages.iter_mut().enumerate() {
            if (i + j) % 3 == 0 {
                p.version = older(&p.version, by);
            }
        }
    }
    inv
}

/// The process's CPU time (user + system) so far, from `/proc/self/stat` (Linux; clock ticks
/// of 1/100 s, the kernel's `USER_HZ`); `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let tmp = tempfile::tempdir().expect("temp dir");

    let t = Instant::now();
    let db_path = tmp.path().join("atalaia.db");
    build(
        &[atalaia_test::vulndata_dir()],
        &db_path,
        &BuildOptions::new().built_at("2026-01-01T00:00:00Z"),
    )
    .expect("build the database over vulndata/");
    let db = VulnDb::open(&db_path).expect("open the database");
    println!("database built from vulndata/ in {:.2?}", t.elapsed());

    let t = Instant::now();
    let oci = atalaia_test::corpus_dir().join("oci");
    let mut bases = Vec::new();
    for r in atalaia_test::corpus_image_refs() {
        let input = format!("{}:{r}", oci.display());
        let Ok(image) = atalaia_artifact::open_image(&input, &ImageSelector::default()) else {
            continue;
        };
        if let Ok(inv) = atalaia_analyze::analyze_image(&image, &AnalyzeOptions::default()) {
            if inv.packages().next().is_some() {
                bases.push((r, inv));
            }
        }
    }
    assert!(
        !bases.is_empty(),
        "no corpus image analysed under {}",
        oci.display()
    );
    let packages: usize = bases.iter().map(|(_, i)| i.packages().count()).sum();
    println!(
        "{} corpus images analysed ({packages} packages) in {:.2?}",
        bases.len(),
        t.elapsed()
    );

    let containers: Vec<ContainerInfo> = (0..count)
        .map(|i| ContainerInfo {
            id: format!("c{i:05}"),
            name: format!("app-{i}"),
            image: format!("{}-v{i}", bases[i % bases.len()].0),
            image_id: format!("sha256:{i:064x}"),
            exposure: Exposure::default(),
        })
        .collect();
    let mut state = State::open(&tmp.path().join("watch.db")).expect("open the state");

    // First run: stores and matches every inventory.
    let t = Instant::now();
    let mut source = |img: &ImageToScan| {
        let i: usize = img
            .name
            .rsplit("-v")
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or("bad name")?;
        Ok::<_, String>(variant(&bases[i % bases.len()].1, i))
    };
    let first = run_once(
        &mut state,
        &RunInputs {
            containers: containers.clone(),
            store: &db,
            database: "bench-db-1".into(),
            detect: atalaia_detect::DetectOptions::default(),
        },
        &mut source,
        &Notifiers::default(),
    )
    .expect("first run");
    println!(
        "first run: {} inventories stored, {} findings, in {:.2?}",
        first.stats.scanned,
        first.events.new_finding_count(),
        t.elapsed()
    );

    // The database identity changes: every stored inventory is matched again, none rescanned.
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let mut no_rescan = |img: &ImageToScan| -> Result<Inventory, String> {
        Err(format!("`{}` rescanned", img.image_id))
    };
    let second = run_once(
        &mut state,
        &RunInputs {
            containers,
            store: &db,
            database: "bench-db-2".into(),
            detect: atalaia_detect::DetectOptions::default(),
        },
        &mut no_rescan,
        &Notifiers::default(),
    )
    .expect("re-match run");
    let total = t.elapsed();
    let cpu = cpu0.zip(cpu_seconds()).map(|(a, b)| b - a);
    assert_eq!(second.stats.scanned, 0);
    assert_eq!(second.stats.matched, count, "{:?}", second.warnings);
    let findings: usize = first.events.new_finding_count();
    println!(
        "re-match after a database change: {} stored inventories ({findings} findings diffed) in {:.3} s for the whole run (decode + match + diff {:.3} s, the rest reading and committing the state; target < 2 s)",
        second.stats.matched,
        total.as_secs_f64(),
        second.stats.match_time.as_secs_f64(),
    );
    if let Some(cpu) = cpu {
        println!("CPU time of the re-match run (user + system, all threads): {cpu:.2} s");
    }
}
