//! Any bytes as a Java archive.
#![no_main]

use atalaia_lang::{parse_with_warnings, LangFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_with_warnings(LangFile::Jar, "app/lib/x-1.0.jar", data);
});
