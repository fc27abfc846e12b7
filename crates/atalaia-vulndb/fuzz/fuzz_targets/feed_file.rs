//! Any bytes as a feed file: recognition by content, then that format's parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = atalaia_vulndb::inspect_feed_file(std::path::Path::new("feed"), data);
});
