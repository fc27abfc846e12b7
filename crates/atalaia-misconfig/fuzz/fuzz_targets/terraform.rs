//! Arbitrary bytes as a Terraform file: the HCL parser, the evaluator (variables, locals,
//! `count`/`for_each`, dynamic blocks, functions) and every AWS / Google / Azure check must
//! return a value, with results inside the input.
#![no_main]

use atalaia_misconfig::{scan_file, Options};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let opts = Options { include_non_failures: true, ..Options::default() };
    let r = scan_file("main.tf", data, &opts);
    check_result(data, &r);
});
