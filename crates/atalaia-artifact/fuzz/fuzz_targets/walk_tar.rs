//! Any bytes as a layer tar stream: the walk must return (Ok or Err), never panic, and never hand
//! out a path that leaves the root.
#![no_main]

use atalaia_artifact::{walk_tar, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 4096,
        max_layer_bytes: 1 << 24,
        max_entries: 10_000,
    };
    let _ = walk_tar(data, &limits, &mut |e| {
        assert!(!e.path.starts_with('/'));
        assert!(!e.path.split('/').any(|c| c == ".." || c == "."));
        let mut buf = Vec::new();
        let _ = e.reader.read_to_end(&mut buf);
        assert!(buf.len() as u64 <= limits.max_file_bytes);
        Ok(())
    });
});
