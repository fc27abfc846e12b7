//! The byte parsers never panic: arbitrary bytes and line-shaped garbage through every analyzer
//! (the fuzz target under `fuzz/` does the same at scale).

use atalaia_analyze::{Analyzer, ApkAnalyzer, DpkgAnalyzer, FileInput, OsReleaseAnalyzer};
use proptest::prelude::*;

const PATHS: &[&str] = &[
    "var/lib/dpkg/status",
    "var/lib/dpkg/status.d/pkg",
    "var/lib/dpkg/status.d/pkg.md5sums",
    "var/lib/dpkg/info/pkg.list",
    "var/lib/dpkg/info/pkg:amd64.md5sums",
    "lib/apk/db/installed",
    "etc/os-release",
    "etc/lsb-release",
    "etc/redhat-release",
    "etc/system-release",
    "etc/debian_version",
];

fn run_all(bytes: &[u8]) {
    for path in PATHS {
        let input = FileInput {
            path,
            bytes,
            mode: 0o644,
        };
        for a in [
            &DpkgAnalyzer as &dyn Analyzer,
            &ApkAnalyzer,
            &OsReleaseAnalyzer,
        ] {
            if a.wants(path, bytes.len() as u64, 0o644) {
                let _ = a.analyze(&input);
            }
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_all(&bytes);
    }

    #[test]
    fn field_shaped_lines(lines in proptest::collection::vec("[A-Za-z ]{0,3}[:=]?[ -~]{0,20}", 0..30)) {
        run_all(lines.join("\n").as_bytes());
    }
}
