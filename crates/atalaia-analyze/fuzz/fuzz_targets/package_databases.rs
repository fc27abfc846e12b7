//! Every byte-level parser of this crate on arbitrary input: dpkg status, status.d entries,
//! info lists and md5sums, the apk database and the OS release files. None may panic.
#![no_main]

use atalaia_analyze::{Analyzer, ApkAnalyzer, DpkgAnalyzer, FileInput, OsReleaseAnalyzer};
use libfuzzer_sys::fuzz_target;

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
    "etc/alpine-release",
];

fuzz_target!(|data: &[u8]| {
    for path in PATHS {
        let input = FileInput { path, bytes: data, mode: 0o644 };
        for a in [&DpkgAnalyzer as &dyn Analyzer, &ApkAnalyzer, &OsReleaseAnalyzer] {
            if a.wants(path, data.len() as u64, 0o644) {
                let _ = a.analyze(&input);
            }
        }
    }
});
