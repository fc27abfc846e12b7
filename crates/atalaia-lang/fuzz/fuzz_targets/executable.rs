//! Any bytes as an executable (the ELF reader, Go build info and cargo-auditable parsers).
#![no_main]

use atalaia_lang::{parse_with_warnings, LangFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_with_warnings(LangFile::Executable, "usr/bin/x", data);
});
