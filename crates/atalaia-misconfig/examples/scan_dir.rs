//! Scan a directory and print the JSON of [`atalaia_misconfig::scan_dir`] (what `bench/misconfig.sh`
//! times until the CLI has `atalaia config`).
//!
//! Usage: `scan_dir DIR [--config-check PATH]... [--check-namespaces NS,NS]`
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit, missing_docs)]

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut opts = atalaia_misconfig::Options::default();
    let mut namespaces: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--config-check" => opts.custom_checks.extend(args.next().map(Into::into)),
            "--check-namespaces" => {
                namespaces.extend(
                    args.next()
                        .iter()
                        .flat_map(|v| v.split(',').map(str::to_string)),
                );
            }
            _ => dir = Some(a),
        }
    }
    if !namespaces.is_empty() {
        opts.check_namespaces = namespaces;
    }
    let dir = dir.unwrap_or_else(|| ".".into());
    match atalaia_misconfig::scan_dir(std::path::Path::new(&dir), &opts) {
        Ok(scan) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if serde_json::to_writer(&mut out, &scan).is_err() || writeln!(out).is_err() {
                std::process::exit(1);
            }
            eprintln!("{}", scan.coverage);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
