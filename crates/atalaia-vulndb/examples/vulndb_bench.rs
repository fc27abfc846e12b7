//! Measures a full build and lookup latency: `cargo run --release -p atalaia-vulndb --example
//! vulndb_bench -- <feed dir> [<output file>]`. Prints build time, file size and p50/p99/max of
//! `advisories_for` over every (namespace, package) key in the database.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::Instant;

use atalaia_vulndb::{build, BuildOptions, VulnDb};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let feeds = PathBuf::from(
        args.next()
            .ok_or("usage: vulndb_bench <feed dir> [<output>]")?,
    );
    let output = args.next().map_or_else(
        || std::env::temp_dir().join("atalaia-bench.db"),
        PathBuf::from,
    );
    let summary = build(&[feeds], &output, &BuildOptions::new())?;
    let size = std::fs::metadata(&output)?.len();
    println!(
        "build: {:.2} s, {} vulnerabilities, {} advisories, {} sources, file {:.1} MiB",
        summary.elapsed.as_secs_f64(),
        summary.vulnerabilities,
        summary.advisories,
        summary.sources.len(),
        size as f64 / (1024.0 * 1024.0)
    );
    let db = VulnDb::open(&output)?;
    let keys = db.packages()?;
    // Warm the page cache and statement cache once, then time three rounds over every key.
    for (ns, p) in &keys {
        db.advisories_for(ns, p)?;
    }
    let mut samples = Vec::with_capacity(keys.len() * 3);
    for _ in 0..3 {
        for (ns, p) in &keys {
            let t = Instant::now();
            let n = db.advisories_for(ns, p)?.len();
            samples.push(t.elapsed());
            std::hint::black_box(n);
        }
    }
    samples.sort();
    let pct = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "lookup over {} keys x3: p50 {:?}, p99 {:?}, max {:?}",
        keys.len(),
        pct(0.50),
        pct(0.99),
        samples[samples.len() - 1]
    );
    Ok(())
}
