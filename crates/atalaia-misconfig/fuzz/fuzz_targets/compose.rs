//! Arbitrary bytes as a Compose file: detection, services and the Compose checks must return
//! a value, with results inside the input.
#![no_main]

use atalaia_misconfig::{scan_file, Options};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let opts = Options { include_non_failures: true, ..Options::default() };
    for name in ["docker-compose.yml", "compose.yaml"] {
        let r = scan_file(name, data, &opts);
        check_result(data, &r);
    }
});
