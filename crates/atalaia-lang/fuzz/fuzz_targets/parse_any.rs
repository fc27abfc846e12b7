//! Any bytes as any kind of file: every parser must return (Ok or Err), never panic.
#![no_main]

use atalaia_lang::{parse_with_warnings, LangFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = LangFile::ALL[usize::from(selector) % LangFile::ALL.len()];
    let _ = parse_with_warnings(kind, "fuzz/input", bytes);
});
