//! Arbitrary bytes as a CloudFormation template (YAML with short-form tags, or JSON): the
//! parser, intrinsic functions and every AWS check must return a value, with results inside
//! the input.
#![no_main]

use atalaia_misconfig::{scan_file, Options};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let opts = Options { include_non_failures: true, ..Options::default() };
    for name in ["template.yaml", "template.json"] {
        let r = scan_file(name, data, &opts);
        check_result(data, &r);
    }
});
