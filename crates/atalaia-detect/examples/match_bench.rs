//! Match-time benchmark: the largest corpus inventory and a synthetic 5,000-package one.
//!
//! `cargo run --release -p atalaia-detect --example match_bench [-- DB]`: builds a database from
//! the shared `vulndata/` into a temporary directory unless a built `DB` is given, then times
//! `detect` (median of several runs, warm cache) and prints the numbers. The target is < 50 ms
//! for 5,000 packages.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on the terminal

use std::time::{Duration, Instant};

use atalaia_analyze::AnalyzeOptions;
use atalaia_artifact::ImageSelector;
use atalaia_detect::{detect, language_namespace, DetectOptions};
use atalaia_types::{Application, Ecosystem, Inventory, Package, Purl};
use atalaia_vulndb::{build, BuildOptions, VulnDb};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(inv: &Inventory, db: &VulnDb, runs: usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let report = detect(inv, db, &DetectOptions::new()).expect("detect");
        times.push(start.elapsed());
        found = report.vulnerabilities().count();
    }
    (median(times), found)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let db_path = match std::env::args().nth(1) {
        Some(p) => p.into(),
        None => {
            let p = tmp.path().join("atalaia.db");
            let start = Instant::now();
            build(&[atalaia_test::vulndata_dir()], &p, &BuildOptions::new())?;
            eprintln!("built the database in {:.1?}", start.elapsed());
            p
        }
    };
    let db = VulnDb::open(&db_path)?;

    let oci = atalaia_test::corpus_dir().join("oci");
    let mut largest: Option<(String, Inventory)> = None;
    for reference in atalaia_test::corpus_image_refs() {
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
        let (t, found) = time(inv, &db, 21);
        println!(
            "{reference}: {} packages, {found} findings, match {:.2} ms (median of 21)",
            inv.packages().count(),
            t.as_secs_f64() * 1e3
        );
    }

    // 5,000 language packages named after real database keys (so each is looked up and
    // evaluated), at an old version that many ranges contain.
    let ecosystems = [
        Ecosystem::PyPI,
        Ecosystem::Npm,
        Ecosystem::Maven,
        Ecosystem::Go,
        Ecosystem::CratesIo,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
    ];
    let keys = db.packages()?;
    let mut packages = Vec::new();
    'outer: for round in 0.. {
        let mut added = false;
        for (ns, name) in &keys {
            let Some(eco) = ecosystems
                .iter()
                .find(|e| language_namespace(**e) == Some(ns.as_str()))
            else {
                continue;
            };
            let version = ["1.0.0", "0.1.0", "2.3.1", "4.17.15"][round % 4];
            let version = if *eco == Ecosystem::Go {
                format!("v{version}")
            } else {
                version.to_owned()
            };
            packages.push(Package::new(
                *eco,
                name.clone(),
                version.clone(),
                Purl::new(eco.purl_type(), "", name, &version),
            ));
            added = true;
            if packages.len() == 5_000 {
                break 'outer;
            }
        }
        if !added {
            break;
        }
    }
    let synthetic = Inventory {
        applications: vec![Application {
            app_type: "synthetic".into(),
            file_path: String::new(),
            packages,
        }],
        ..Inventory::default()
    };
    let (t, found) = time(&synthetic, &db, 11);
    println!(
        "synthetic: {} packages, {found} findings, match {:.2} ms (median of 11; target < 50 ms)",
        synthetic.packages().count(),
        t.as_secs_f64() * 1e3
    );
    // Where the time goes: the store's lookups alone, for the same packages and findings.
    let start = Instant::now();
    for p in synthetic.packages() {
        let ns = language_namespace(p.ecosystem).unwrap_or_default();
        db.advisories_for(ns, &p.name)?;
    }
    let lookups = start.elapsed();
    let report = detect(&synthetic, &db, &DetectOptions::new())?;
    let ids: std::collections::BTreeSet<&str> = report
        .vulnerabilities()
        .map(|v| v.vulnerability_id.as_str())
        .collect();
    let start = Instant::now();
    for id in &ids {
        db.vulnerability(id)?;
    }
    println!(
        "  of which: advisories_for x{} {:.2} ms, vulnerability x{} {:.2} ms",
        synthetic.packages().count(),
        lookups.as_secs_f64() * 1e3,
        ids.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}
