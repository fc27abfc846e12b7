//! Prints the inventory of an image (`PATH`, `PATH:REF`, `PATH@DIGEST`) as JSON, and the time the
//! analysis took on stderr: `cargo run --release -p atalaia-analyze --example inventory -- IMAGE`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use atalaia_analyze::{analyze_image, AnalyzeOptions};
use atalaia_artifact::{open_image, ImageSelector};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(input) = std::env::args().nth(1) else {
        return Err("usage: inventory IMAGE".into());
    };
    let start = Instant::now();
    let image = open_image(&input, &ImageSelector::default())?;
    let inventory = analyze_image(&image, &AnalyzeOptions::default())?;
    let elapsed = start.elapsed();
    println!("{}", serde_json::to_string_pretty(&inventory)?);
    eprintln!(
        "{input}: {} packages in {:.1} ms",
        inventory.packages().count(),
        elapsed.as_secs_f64() * 1e3
    );
    Ok(())
}
