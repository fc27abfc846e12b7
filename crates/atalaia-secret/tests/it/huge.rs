//! Issue 8: a 2 GiB single-line file does not exhaust memory. The file is generated on the fly
//! (no disk, no 2 GiB buffer) and streamed through `scan_reader` with the default chunking.

use std::io::Read;

use crate::scanner;

/// The planted secret (a well-formed, fake GitHub personal access token).
const SECRET: &[u8] = b"ghp_R4nd0mLooK1ngT0kenValue0123456789xyz";

/// One endless line: ordinary text, a few keyword hits without a secret, and `SECRET` near
/// the end. Filled with slice copies so it stays fast in an unoptimised test build.
struct OneLine {
    pos: u64,
    len: u64,
    filler: Vec<u8>,
    plants: Vec<(u64, Vec<u8>)>,
}

impl OneLine {
    fn new(len: u64, secret_at: u64) -> OneLine {
        let sentence = b"lorem ipsum dolor sit amet, the quick brown fox jumps over the lazy dog; ";
        let filler: Vec<u8> = sentence.iter().copied().cycle().take(64 << 10).collect();
        let mut plants = Vec::new();
        for (i, hit) in [
            &b" password = changeme "[..],
            b" github_token: ${GITHUB_TOKEN} ",
            b" aws_secret_access_key=REPLACE_ME ",
            b" -----BEGIN RSA PRIVATE KEY----- ",
        ]
        .iter()
        .enumerate()
        {
            plants.push(((i as u64 + 1) * (len / 5), hit.to_vec()));
        }
        let mut secret = b" token ".to_vec();
        secret.extend_from_slice(SECRET);
        secret.extend_from_slice(b" end ");
        plants.push((secret_at - 7, secret));
        OneLine {
            pos: 0,
            len,
            filler,
            plants,
        }
    }
}

impl Read for OneLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.len - self.pos) as usize;
        let buf = &mut buf[..n];
        let mut i = 0;
        while i < n {
            let p = ((self.pos + i as u64) % self.filler.len() as u64) as usize;
            let take = (self.filler.len() - p).min(n - i);
            buf[i..i + take].copy_from_slice(&self.filler[p..p + take]);
            i += take;
        }
        let (from, to) = (self.pos, self.pos + n as u64);
        for (at, bytes) in &self.plants {
            let end = at + bytes.len() as u64;
            if *at < to && end > from {
                let s = (*at).max(from);
                let e = end.min(to);
                let src = &bytes[(s - at) as usize..(e - at) as usize];
                buf[(s - from) as usize..(e - from) as usize].copy_from_slice(src);
            }
        }
        self.pos = to;
        Ok(n)
    }
}

/// The process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

#[test]
#[allow(clippy::print_stderr)] // the time and peak RSS are for the person running the tests
fn two_gib_single_line_in_bounded_memory() {
    let len = 2u64 << 30;
    let secret_at = len - 1000;
    let before = peak_rss_kib();
    let started = std::time::Instant::now();
    let mut reader = OneLine::new(len, secret_at);
    let findings = scanner()
        .scan_reader("dump/one-line.txt", &mut reader)
        .expect("a generated stream never fails");
    let took = started.elapsed();
    let after = peak_rss_kib();
    eprintln!(
        "2 GiB single line: {took:.1?}, VmHWM {} -> {} MiB",
        before >> 10,
        after >> 10
    );
    assert_eq!(reader.pos, len, "the whole stream was read");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.rule_id, "github-pat");
    assert_eq!((f.start_line, f.end_line), (1, 1));
    assert_eq!(f.offset, secret_at);
    assert!(f.r#match.contains(&"*".repeat(SECRET.len())), "{f:?}");
    assert!(!f.r#match.contains("R4nd0mLooK1ng"), "secret leaked: {f:?}");
    assert!(f.r#match.len() < 200, "Match is cut on a long line: {f:?}");
    // Other tests of this binary run in parallel threads, so allow them some room too.
    let growth_mib = after.saturating_sub(before) >> 10;
    assert!(growth_mib < 256, "peak RSS grew by {growth_mib} MiB");
}
