//! Chunked scanning gives the same findings as scanning the whole buffer, with bounded memory.

use std::io::Read;

use atalaia_secret::SecretScanner;

use crate::scanner;

const SECRETS: &[&str] = &[
    "GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345",
    "aws_access_key_id = AKIAQYLPMN5HFIQR7XYZ",
    "aws_secret_access_key = 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",
    "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIKcO9Xi9Bxyk0W7hnddOlXkCpeJmdmLrznUX5jy8Ez8toAoGCCqGSM49\nsYTeUIxBpH032akuY7jzy8iH5zB92YHIpw==\n-----END EC PRIVATE KEY-----",
];

fn text(lines: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..lines {
        out.extend_from_slice(
            format!("line {i}: some ordinary text with a key and a task\n").as_bytes(),
        );
        if i % 97 == 13 {
            out.extend_from_slice(SECRETS[i % SECRETS.len()].as_bytes());
            out.push(b'\n');
        }
    }
    out
}

#[test]
fn chunked_equals_whole() {
    let data = text(4000);
    let whole = scanner().scan("app.log", &data);
    assert!(whole.len() > 30, "{}", whole.len());
    for (chunk, overlap) in [(4096, 1024), (5000, 700), (64 << 10, 4096)] {
        let s = SecretScanner::builder()
            .chunk_size(chunk)
            .overlap(overlap)
            .build()
            .unwrap();
        let streamed = s.scan_reader("app.log", &data[..]).unwrap();
        let key = |f: &atalaia_secret::SecretFinding| {
            (
                f.rule_id.clone(),
                f.start_line,
                f.end_line,
                f.offset,
                f.r#match.clone(),
            )
        };
        let a: Vec<_> = whole.iter().map(key).collect();
        let b: Vec<_> = streamed.iter().map(key).collect();
        assert_eq!(a, b, "chunk {chunk} overlap {overlap}");
    }
}

/// A reader of `len` bytes of one endless line with a secret at the very end.
struct OneLine {
    left: u64,
    tail: &'static [u8],
}

impl Read for OneLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let tail = self.tail.len() as u64;
        if self.left == 0 {
            return Ok(0);
        }
        let n = (buf.len() as u64).min(self.left) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let pos_from_end = self.left - i as u64;
            *b = if pos_from_end <= tail {
                self.tail[(tail - pos_from_end) as usize]
            } else {
                b'a' + (i % 7) as u8
            };
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn huge_single_line_stream() {
    // 96 MiB without a newline, scanned through 1 MiB chunks: memory stays at the chunk size.
    let tail = b" ghp_0123456789abcdefghijABCDEFGHIJ012345 end";
    let len = 96u64 << 20;
    let s = SecretScanner::builder()
        .chunk_size(1 << 20)
        .overlap(4096)
        .build()
        .unwrap();
    let findings = s
        .scan_reader("blob.txt", OneLine { left: len, tail })
        .unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].start_line, 1);
    assert_eq!(findings[0].offset, len - tail.len() as u64 + 1);
}

struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk on fire"))
    }
}

#[test]
fn read_errors_name_the_stream() {
    let err = scanner()
        .scan_reader("layer/etc/passwd", Failing)
        .unwrap_err();
    assert!(err.to_string().contains("layer/etc/passwd"), "{err}");
}

#[test]
fn binary_stream_is_skipped() {
    let mut data = vec![0u8; 10];
    data.extend_from_slice(b"ghp_0123456789abcdefghijABCDEFGHIJ012345\n");
    assert!(scanner().scan_reader("bin", &data[..]).unwrap().is_empty());
}
