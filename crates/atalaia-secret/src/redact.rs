//! Turning secret locations into findings without letting a secret out.
//!
//! Every byte of every secret found in a buffer (by any rule) is replaced by `*` (newlines are
//! kept, so line structure survives) in the text a finding carries: the `Match` line and each
//! `Code` line. This mirrors Trivy, which censors a copy of the file before building findings;
//! here only the few lines a finding shows are copied. Lines over [`MAX_LINE_LEN`] bytes are cut
//! as Trivy cuts them, so a minified file does not put megabytes into a report.

use crate::engine::Rule;
use crate::{Code, Line, SecretFinding};

/// Lines longer than this are cut in findings.
pub const MAX_LINE_LEN: usize = 100;
/// Context lines before the secret.
const RADIUS_BEFORE: usize = 2;
/// Context lines after the secret.
const RADIUS_AFTER: usize = 1;

/// A secret found in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Located {
    /// Index of the rule in the scanner.
    pub(crate) rule: usize,
    /// Byte range of the secret in the buffer.
    pub(crate) secret_start: usize,
    pub(crate) secret_end: usize,
    /// Whether this buffer reports it (otherwise it only takes part in redaction).
    pub(crate) accepted: bool,
}

/// The union of all secret ranges of a buffer, sorted and disjoint.
struct Censor {
    spans: Vec<(usize, usize)>,
}

impl Censor {
    fn new(located: &[Located]) -> Censor {
        let mut spans: Vec<(usize, usize)> = located
            .iter()
            .map(|l| (l.secret_start, l.secret_end))
            .collect();
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        Censor { spans: merged }
    }

    /// `buf[from..to]` with secret bytes replaced by `*`, as text (invalid UTF-8 replaced).
    fn text(&self, buf: &[u8], from: usize, to: usize) -> String {
        let mut bytes = buf[from..to].to_vec();
        let first = self.spans.partition_point(|&(_, e)| e <= from);
        for &(s, e) in &self.spans[first..] {
            if s >= to {
                break;
            }
            for b in &mut bytes[s.max(from) - from..e.min(to) - from] {
                if *b != b'\n' {
                    *b = b'*';
                }
            }
        }
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

/// Builds the findings of the accepted locations. `base_offset` and `base_line` place the buffer
/// in its file (non-zero for later chunks of a stream).
pub(crate) fn build_findings(
    buf: &[u8],
    located: &[Located],
    rules: &[Rule],
    base_offset: u64,
    base_line: usize,
) -> Vec<SecretFinding> {
    if !located.iter().any(|l| l.accepted) {
        return Vec::new();
    }
    let censor = Censor::new(located);
    let mut findings = Vec::new();
    // `located` is sorted by start: count lines incrementally.
    let mut counted_to = 0usize;
    let mut line_no = 0usize;
    for l in located.iter().filter(|l| l.accepted) {
        let (start, end) = (l.secret_start, l.secret_end);
        line_no += memchr::memchr_iter(b'\n', &buf[counted_to..start]).count();
        counted_to = start;
        let start_line = line_no;
        let end_line = start_line + memchr::memchr_iter(b'\n', &buf[start..end]).count();

        let mut line_start = memchr::memrchr(b'\n', &buf[..start]).map_or(0, |i| i + 1);
        let mut line_end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        if line_end - line_start > MAX_LINE_LEN {
            if start - line_start >= 30 {
                line_start = start - 30;
            }
            line_end = line_end.min(end + 20);
        }
        let match_line = censor.text(buf, line_start, line_end);

        // Context: from two lines before the secret's first line to one line after its last.
        let mut cursor = memchr::memrchr(b'\n', &buf[..start]).map_or(0, |i| i + 1);
        let mut n = start_line;
        while n > start_line.saturating_sub(RADIUS_BEFORE) && cursor > 0 {
            cursor = memchr::memrchr(b'\n', &buf[..cursor - 1]).map_or(0, |i| i + 1);
            n -= 1;
        }
        let mut lines = Vec::new();
        let last = end_line + RADIUS_AFTER;
        loop {
            let le = memchr::memchr(b'\n', &buf[cursor..]).map_or(buf.len(), |i| cursor + i);
            let is_cause = n >= start_line && n <= end_line;
            let content = if le - cursor > MAX_LINE_LEN {
                if is_cause {
                    match_line.clone()
                } else {
                    censor.text(buf, cursor, cursor + MAX_LINE_LEN)
                }
            } else {
                censor.text(buf, cursor, le)
            };
            lines.push(Line {
                number: base_line + n + 1,
                highlighted: content.clone(),
                content,
                is_cause,
                annotation: String::new(),
                truncated: false,
                first_cause: is_cause && n == start_line,
                last_cause: is_cause && n == end_line,
            });
            if n >= last || le >= buf.len() {
                break;
            }
            cursor = le + 1;
            n += 1;
        }
        let rule = &rules[l.rule];
        findings.push(SecretFinding {
            rule_id: rule.id.clone(),
            category: rule.category.clone(),
            severity: rule.severity,
            title: rule.title.clone(),
            start_line: base_line + start_line + 1,
            end_line: base_line + end_line + 1,
            code: Code { lines },
            r#match: match_line,
            offset: base_offset + start as u64,
        });
    }
    findings
}
