//! Feeds arbitrary bytes to `SecretScanner::scan` and to `scan_reader` with small chunks, and
//! checks that neither panics and that every finding points inside the input.
#![no_main]

use std::sync::OnceLock;

use atalaia_secret::{SecretFinding, SecretScanner};
use libfuzzer_sys::fuzz_target;

/// Whole-buffer scanner (default chunking) and two small-chunk streaming scanners.
fn scanners() -> &'static [SecretScanner; 3] {
    static S: OnceLock<[SecretScanner; 3]> = OnceLock::new();
    S.get_or_init(|| {
        let build = |chunk: usize, overlap: usize| {
            SecretScanner::builder()
                .chunk_size(chunk)
                .overlap(overlap)
                .build()
                .expect("built-in rules compile")
        };
        [build(8 << 20, 4096), build(4096, 512), build(4096, 1024)]
    })
}

/// Paths that select different rule sets (path-specific rules, allow rules, plain text).
const PATHS: &[&str] = &[
    "app/config.env",
    "src/main.py",
    "id_rsa",
    "node_modules/x/readme.md",
];

fn check(data: &[u8], findings: &[SecretFinding], how: &str) {
    let lines = memchr_count(data) + 1;
    for f in findings {
        assert!(
            1 <= f.start_line && f.start_line <= f.end_line && f.end_line <= lines,
            "{how}: lines {}..{} outside 1..={lines}: {f:?}",
            f.start_line,
            f.end_line
        );
        assert!(
            f.offset <= data.len() as u64,
            "{how}: offset past the end: {f:?}"
        );
        assert!(f.r#match.contains('*'), "{how}: Match not redacted: {f:?}");
        let mut prev = 0;
        for l in &f.code.lines {
            assert!(
                l.number > prev && l.number <= lines,
                "{how}: code line {} (after {prev}, file has {lines}): {f:?}",
                l.number
            );
            prev = l.number;
        }
        assert!(
            f.code.lines.is_empty() || f.code.lines.iter().any(|l| l.is_cause),
            "{how}: no cause line: {f:?}"
        );
    }
}

fn memchr_count(data: &[u8]) -> usize {
    data.iter().filter(|&&b| b == b'\n').count()
}

fuzz_target!(|input: &[u8]| {
    let Some((&sel, data)) = input.split_first() else {
        return;
    };
    let path = PATHS[usize::from(sel) % PATHS.len()];
    let [whole, small, small2] = scanners();
    let found = whole.scan(path, data);
    check(data, &found, "scan");
    let stream = if sel & 0x80 == 0 { small } else { small2 };
    let streamed = stream
        .scan_reader(path, data)
        .expect("reading a byte slice never fails");
    check(data, &streamed, "scan_reader");
    if data.len() < 4096 {
        // One chunk: streaming must give exactly what the whole-buffer scan gives.
        assert_eq!(found, streamed, "one-chunk scan_reader differs from scan");
    }
    // Repeated so the input spans several 4 KiB chunks and secrets straddle chunk boundaries.
    if !data.is_empty() && data.len() < 4096 {
        let big: Vec<u8> = data.iter().copied().cycle().take(3 * 4096 + 17).collect();
        let streamed = stream
            .scan_reader(path, &big[..])
            .expect("reading a byte slice never fails");
        check(&big, &streamed, "scan_reader(repeated)");
    }
});
