//! Property tests standing in for a fuzz target: arbitrary bytes mixed with keywords and secret
//! shapes never make the engine panic, and findings stay well-formed.

use proptest::prelude::*;

use crate::scanner;

const PIECES: &[&str] = &[
    "ghp_0123456789abcdefghijABCDEFGHIJ012345",
    "AKIAQYLPMN5HFIQR7XYZ",
    "aws_secret_access_key = 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",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEA0123456789abcdefghijklmnopqrstuvwxyz",
    "eyJhbGciOiJIUzI1NiJ9xx.eyJzdWIiOiIxMjM0NTY3ODkwIn0xx.abcdefghijk",
    ".dockerconfigjson: ",
    "sv=2022-11-02&sp=r&sig=",
    "8Q~",
    "\n",
    "\r\n",
    "\"",
    " ",
    "=",
];

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..16),
        ],
        0..64,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_findings_are_well_formed(data in input()) {
        let scanner = scanner();
        let findings = scanner.scan("input.txt", &data);
        let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
        for f in &findings {
            prop_assert!(f.start_line >= 1 && f.start_line <= f.end_line && f.end_line <= lines);
            prop_assert!((f.offset as usize) < data.len().max(1));
            prop_assert_eq!(f.code.lines.iter().filter(|l| l.first_cause).count(), 1);
            prop_assert_eq!(f.code.lines.iter().filter(|l| l.last_cause).count(), 1);
            // Lines are whole (at most 100 bytes, each shown as at most one char) or the cut match line.
            prop_assert!(f.code.lines.iter().all(|l| l.content.chars().count() <= 100 || l.content == f.r#match));
        }
        let streamed = scanner.scan_reader("input.txt", &data[..]);
        prop_assert!(streamed.is_ok());
    }
}
