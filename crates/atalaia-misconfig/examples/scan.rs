//! Scan a directory and print the JSON results and the coverage (a development aid).
#![allow(clippy::print_stdout, missing_docs)]

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    match atalaia_misconfig::scan_dir(
        std::path::Path::new(&dir),
        &atalaia_misconfig::Options::default(),
    ) {
        Ok(scan) => println!("{}", serde_json::to_string(&scan).unwrap_or_default()),
        Err(e) => println!("error: {e}"),
    }
}
