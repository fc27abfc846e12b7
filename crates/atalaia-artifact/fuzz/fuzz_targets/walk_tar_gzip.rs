//! Any bytes as a gzip-compressed layer: decompression errors and bombs must come back as errors.
#![no_main]

use atalaia_artifact::{walk_tar, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 4096,
        max_layer_bytes: 1 << 24,
        max_entries: 10_000,
    };
    let reader = flate2::read::MultiGzDecoder::new(data);
    let _ = walk_tar(reader, &limits, &mut |_| Ok(()));
});
