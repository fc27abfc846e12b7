//! Arbitrary bytes as a Dockerfile: the parser must return a value (never panic), line ranges
//! must be ordered and inside the input, and the checks must keep to the same rules.
#![no_main]

use atalaia_misconfig::{dockerfile, scan_file, Options};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.split('\n').count();
    if let Ok(df) = dockerfile::parse(&text) {
        for ins in df.instructions() {
            assert!(1 <= ins.start_line && ins.start_line <= ins.end_line && ins.end_line <= lines);
        }
    }
    let opts = Options { include_non_failures: true, ..Options::default() };
    let r = scan_file("Dockerfile", data, &opts);
    check_result(data, &r);
});
