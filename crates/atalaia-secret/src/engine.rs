//! The scanning engine.
//!
//! One Aho-Corasick automaton holds every keyword of every enabled rule (ASCII case-insensitive,
//! overlapping matches, so no keyword hides another). A scan runs it once over the file; each hit
//! opens a small window around the hit's line for the rules owning that keyword ([`Scope`]), and
//! overlapping windows of a rule are merged. Only those windows run the rule's regex, with the
//! real file as haystack up to the window's end so `^`, `\A` and word boundaries see the true
//! context. A file without keywords costs one automaton pass and nothing else.
//!
//! Big inputs given as a reader are scanned in chunks of [`SecretScannerBuilder::chunk_size`]
//! bytes that overlap by [`SecretScannerBuilder::overlap`] bytes; a match is reported by the chunk
//! it starts in (before the next chunk's start), so memory stays bounded and nothing is reported
//! twice.

use std::io::Read;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::bytes::{CaptureLocations, Regex};

use crate::config::SecretConfig;
use crate::redact::{build_findings, Located};
use crate::rules::{Scope, BUILTIN_ALLOW_RULES, BUILTIN_RULES};
use crate::{SecretError, SecretFinding, Severity};

/// How far after a keyword a multi-line rule (private keys) may still match.
pub(crate) const MULTILINE_WINDOW: usize = 1 << 20;
/// Lines before a keyword's line that its window includes.
const LINES_BEFORE: usize = 1;
/// Lines after a keyword's line that its window includes.
const LINES_AFTER: usize = 2;
/// Bytes sniffed for a NUL to call a file binary (git's heuristic).
pub const BINARY_SNIFF_LEN: usize = 8000;

/// Compiles a regex that runs on file content: Go-like semantics (`\s`, `\d`, `\w` and `(?i)` are
/// ASCII, `.` is any byte but `\n`), falling back to Unicode mode for patterns that need it.
pub(crate) fn compile_content_regex(src: &str) -> Result<Regex, regex::Error> {
    let build = |unicode: bool| {
        regex::bytes::RegexBuilder::new(src)
            .unicode(unicode)
            .size_limit(64 << 20)
            .dfa_size_limit(16 << 20)
            .build()
    };
    build(false).or_else(|_| build(true))
}

/// Compiles a regex that runs on file paths.
pub(crate) fn compile_path_regex(src: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(src).size_limit(16 << 20).build()
}

/// An allow rule: a path it matches is not scanned, a match it finds is not reported.
#[derive(Debug, Clone)]
pub(crate) struct AllowRule {
    pub(crate) id: String,
    pub(crate) regex: Option<Regex>,
    pub(crate) path: Option<regex::Regex>,
}

impl AllowRule {
    fn allows_path(&self, path: &str) -> bool {
        self.path.as_ref().is_some_and(|p| p.is_match(path))
    }

    fn allows_match(&self, text: &[u8]) -> bool {
        self.regex.as_ref().is_some_and(|r| r.is_match(text))
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: String,
    pub(crate) category: String,
    pub(crate) title: String,
    pub(crate) severity: Severity,
    /// The content regex and the index of its secret group, compiled on first use.
    regex: RuleRegex,
    path: Option<regex::Regex>,
    allow_rules: Vec<AllowRule>,
    exclude_block: Vec<Regex>,
    scope: Scope,
    /// The regex cannot match a newline except as the character just before or after the
    /// secret, so a window of the keyword's own line (with its newlines) is enough.
    single_line: bool,
}

/// A rule's content regex with the index of its secret group, compiled the first time a window
/// of the rule is searched: most rules never meet their keywords in a scan, and compiling every
/// built-in regex up front took most of the time of a small scan.
#[derive(Debug, Clone)]
struct RuleRegex {
    /// The source, for a regex not compiled yet.
    source: String,
    /// The secret group's name.
    group: Option<String>,
    /// The regex and the secret group's index; `None` when the source does not compile (never
    /// for the built-in rules: a test compiles each).
    compiled: OnceLock<Option<(Regex, Option<usize>)>>,
}

impl RuleRegex {
    fn lazy(source: String, group: Option<&str>) -> RuleRegex {
        RuleRegex {
            source,
            group: group.map(str::to_owned),
            compiled: OnceLock::new(),
        }
    }

    fn compiled(regex: Regex, group: Option<&str>) -> RuleRegex {
        let index = group_index(&regex, group);
        RuleRegex {
            source: String::new(),
            group: group.map(str::to_owned),
            compiled: OnceLock::from(Some((regex, index))),
        }
    }

    fn get(&self) -> Option<&(Regex, Option<usize>)> {
        self.compiled
            .get_or_init(|| {
                let regex = compile_content_regex(&self.source).ok()?;
                let index = group_index(&regex, self.group.as_deref());
                Some((regex, index))
            })
            .as_ref()
    }
}

/// One keyword of the automaton and the rules it opens windows for.
#[derive(Debug, Clone)]
struct KeywordOwners {
    /// `(rule index, exact text when the keyword is case-sensitive)`.
    owners: Vec<(usize, Option<Vec<u8>>)>,
}

/// Builds a [`SecretScanner`].
#[derive(Debug, Clone)]
pub struct SecretScannerBuilder {
    config: Option<SecretConfig>,
    chunk_size: usize,
    overlap: usize,
}

impl Default for SecretScannerBuilder {
    fn default() -> Self {
        SecretScannerBuilder {
            config: None,
            chunk_size: 8 << 20,
            overlap: 64 << 10,
        }
    }
}

impl SecretScannerBuilder {
    /// Applies a `trivy-secret.yaml` config (custom rules, allow rules, enabled and disabled rules,
    /// exclude blocks). Without one, the built-in rules and allow rules are used.
    pub fn config(mut self, config: SecretConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// The size of the chunks [`SecretScanner::scan_reader`] reads (default 8 MiB, at least 4 KiB).
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(4096);
        self
    }

    /// How many bytes consecutive chunks share (default 64 KiB, at most a quarter of the chunk):
    /// the longest secret that a chunk boundary cannot cut.
    pub fn overlap(mut self, bytes: usize) -> Self {
        self.overlap = bytes;
        self
    }

    /// Compiles the rules and the keyword automaton.
    pub fn build(self) -> Result<SecretScanner, SecretError> {
        let config = self.config.unwrap_or_default();
        let mut rules = Vec::new();
        for b in BUILTIN_RULES {
            let enabled = config.enable_builtin_rules.is_empty()
                || config.enable_builtin_rules.iter().any(|id| id == b.id);
            if !enabled || config.disable_rules.iter().any(|id| id == b.id) {
                continue;
            }
            let err = |err: regex::Error| SecretError::BuiltinRegex {
                id: b.id.to_owned(),
                err: Box::new(err),
            };
            let source = b.pattern.source();
            let path = b.path.map(compile_path_regex).transpose().map_err(err)?;
            let mut allow_rules = Vec::new();
            for a in b.allow_rules {
                allow_rules.push(AllowRule {
                    id: a.id.to_owned(),
                    regex: a
                        .regex
                        .map(compile_content_regex)
                        .transpose()
                        .map_err(err)?,
                    path: a.path.map(compile_path_regex).transpose().map_err(err)?,
                });
            }
            let keywords = b
                .keywords
                .iter()
                .map(|k| (k.text.to_owned(), k.case_sensitive))
                .collect();
            rules.push((
                Rule {
                    id: b.id.to_owned(),
                    category: b.category.to_owned(),
                    title: b.title.to_owned(),
                    severity: b.severity,
                    regex: RuleRegex::lazy(source, b.secret_group),
                    path,
                    allow_rules,
                    exclude_block: Vec::new(),
                    scope: b.scope,
                    single_line: !may_span_lines(b.pattern.body()),
                },
                keywords,
            ));
        }
        for c in &config.rules {
            if config.disable_rules.contains(&c.id) {
                continue;
            }
            // Custom rules run on the whole file, as in Trivy: their regexes may span lines in
            // ways the windows would not see. Without keywords they run on every file.
            rules.push((
                Rule {
                    id: c.id.clone(),
                    category: c.category.clone(),
                    title: c.title.clone(),
                    severity: c.severity,
                    regex: RuleRegex::compiled(c.regex.clone(), c.secret_group.as_deref()),
                    path: c.path.clone(),
                    allow_rules: c.allow_rules.clone(),
                    exclude_block: c.exclude_block.clone(),
                    scope: Scope::WholeFile,
                    single_line: false,
                },
                c.keywords.iter().map(|k| (k.clone(), false)).collect(),
            ));
        }

        let mut allow_rules = Vec::new();
        for a in BUILTIN_ALLOW_RULES {
            if config.disable_allow_rules.iter().any(|id| id == a.id) {
                continue;
            }
            let err = |err: regex::Error| SecretError::BuiltinRegex {
                id: a.id.to_owned(),
                err: Box::new(err),
            };
            allow_rules.push(AllowRule {
                id: a.id.to_owned(),
                regex: a
                    .regex
                    .map(compile_content_regex)
                    .transpose()
                    .map_err(err)?,
                path: a.path.map(compile_path_regex).transpose().map_err(err)?,
            });
        }
        allow_rules.extend(
            config
                .allow_rules
                .iter()
                .filter(|a| !config.disable_allow_rules.contains(&a.id))
                .cloned(),
        );

        // One automaton pattern per distinct lower-cased keyword.
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<KeywordOwners> = Vec::new();
        let mut unkeyed = Vec::new();
        for (idx, (_, keywords)) in rules.iter().enumerate() {
            let keywords: &Vec<(String, bool)> = keywords;
            if keywords.is_empty() {
                unkeyed.push(idx);
            }
            for (text, case_sensitive) in keywords {
                let lower = text.to_ascii_lowercase().into_bytes();
                let pid = match patterns.iter().position(|p| *p == lower) {
                    Some(pid) => pid,
                    None => {
                        patterns.push(lower);
                        owners.push(KeywordOwners { owners: Vec::new() });
                        patterns.len() - 1
                    }
                };
                let exact = case_sensitive.then(|| text.as_bytes().to_vec());
                owners[pid].owners.push((idx, exact));
            }
        }
        let prefilter = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|err| SecretError::Prefilter { err })?,
            )
        };
        let rules: Vec<Rule> = rules.into_iter().map(|(r, _)| r).collect();
        let path_sensitive = rules
            .iter()
            .any(|r| r.path.is_some() || r.allow_rules.iter().any(|a| a.path.is_some()));
        let chunk_size = self.chunk_size;
        let overlap = self.overlap.min(chunk_size / 4);
        Ok(SecretScanner {
            rules,
            allow_rules,
            exclude_block: config.exclude_block,
            prefilter,
            owners,
            unkeyed,
            path_sensitive,
            chunk_size,
            overlap,
        })
    }
}

/// Whether a regex source has a construct that can match a newline inside a match: `\s`, a
/// negated class, an explicit `\n`, or the `s` flag. Conservative: a `[^…]` used only as a
/// boundary also counts.
fn may_span_lines(source: &str) -> bool {
    ["\\s", "[^", "\\n", "(?s", "(?is", "(?si"]
        .iter()
        .any(|c| source.contains(c))
}

fn group_index(regex: &Regex, name: Option<&str>) -> Option<usize> {
    let name = name?;
    regex.capture_names().position(|n| n == Some(name))
}

/// The secret scanner: compiled once, then shared (it is `Send + Sync`) and called per file.
///
/// ```
/// use atalaia_secret::SecretScanner;
///
/// let scanner = SecretScanner::builder().build()?;
/// let findings = scanner.scan("app/.env", b"GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n");
/// assert_eq!(findings[0].rule_id, "github-pat");
/// assert_eq!(findings[0].r#match, "GITHUB_TOKEN=****************************************");
/// # Ok::<(), atalaia_secret::SecretError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SecretScanner {
    rules: Vec<Rule>,
    allow_rules: Vec<AllowRule>,
    exclude_block: Vec<Regex>,
    prefilter: Option<AhoCorasick>,
    owners: Vec<KeywordOwners>,
    unkeyed: Vec<usize>,
    path_sensitive: bool,
    chunk_size: usize,
    overlap: usize,
}

/// A window of a rule: byte range `[start, end)` of the buffer.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: usize,
    end: usize,
}

/// The line of the last keyword hit and the windows computed for it, reused by later hits on the
/// same line (minified files put thousands of hits on one line).
#[derive(Debug, Clone, Copy)]
struct LineCache {
    line_start: usize,
    line_end: usize,
    line: Window,
    lines: Window,
    multiline: Window,
}

impl SecretScanner {
    /// A builder with the built-in rules.
    pub fn builder() -> SecretScannerBuilder {
        SecretScannerBuilder::default()
    }

    /// The IDs of the enabled rules.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Whether `path` is excluded by a global allow rule (such files are not scanned at all).
    pub fn allows_path(&self, path: &str) -> bool {
        self.allow_rules.iter().any(|a| a.allows_path(path))
    }

    /// Scans one file held in memory. `path` is the file's path as reported (relative for a
    /// directory scan, `/`-rooted or not for an image); it selects path-specific rules and allow
    /// rules. Binary content (a NUL byte in the first [`BINARY_SNIFF_LEN`] bytes) gives no
    /// findings. Findings are sorted by rule ID, then match, then offset (Trivy's order).
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<SecretFinding> {
        if self.allows_path(path) || is_binary(content) {
            return Vec::new();
        }
        let active = self.active_rules(path);
        let located = self.locate(&active, content, 0..content.len());
        let mut findings = build_findings(content, &located, &self.rules, 0, 0);
        sort_findings(&mut findings);
        findings
    }

    /// Scans a stream in chunks, holding at most [`SecretScannerBuilder::chunk_size`] bytes of it
    /// at a time. The first chunk is sniffed for binary content. Line numbers and offsets are
    /// those of the whole stream; context lines never reach into an earlier chunk.
    pub fn scan_reader<R: Read>(
        &self,
        path: &str,
        mut reader: R,
    ) -> Result<Vec<SecretFinding>, SecretError> {
        if self.allows_path(path) {
            return Ok(Vec::new());
        }
        let active = self.active_rules(path);
        let mut buf: Vec<u8> = Vec::with_capacity(self.chunk_size.min(1 << 20));
        let mut base_offset = 0u64;
        let mut base_line = 0usize;
        let mut first = true;
        // Per rule, the absolute end of the last secret reported: a later chunk must not report
        // a tail of it again.
        let mut reported_end = vec![0u64; self.rules.len()];
        let mut findings = Vec::new();
        loop {
            let want = self.chunk_size - buf.len();
            let got = (&mut reader)
                .take(want as u64)
                .read_to_end(&mut buf)
                .map_err(|err| SecretError::Read {
                    path: path.to_owned(),
                    err,
                })?;
            let eof = got < want;
            if first {
                if is_binary(&buf) {
                    return Ok(Vec::new());
                }
                first = false;
            }
            let next_start = if eof {
                buf.len()
            } else {
                self.next_chunk_start(&buf)
            };
            let located = self.locate(&active, &buf, 0..next_start);
            let located: Vec<Located> = located
                .into_iter()
                .filter(|l| {
                    !l.accepted || base_offset + l.secret_start as u64 >= reported_end[l.rule]
                })
                .collect();
            for l in located.iter().filter(|l| l.accepted) {
                let end = base_offset + l.secret_end as u64;
                reported_end[l.rule] = reported_end[l.rule].max(end);
            }
            findings.extend(build_findings(
                &buf,
                &located,
                &self.rules,
                base_offset,
                base_line,
            ));
            if eof {
                break;
            }
            base_line += memchr::memchr_iter(b'\n', &buf[..next_start]).count();
            base_offset += next_start as u64;
            buf.drain(..next_start);
        }
        sort_findings(&mut findings);
        Ok(findings)
    }

    /// Where the next chunk starts: `overlap` bytes before the end, moved back to a line start
    /// when one is near, so the next chunk's context lines are whole.
    fn next_chunk_start(&self, buf: &[u8]) -> usize {
        let cut = buf.len() - self.overlap;
        let floor = cut.saturating_sub(self.overlap);
        match memchr::memrchr(b'\n', &buf[floor..cut]) {
            Some(i) => floor + i + 1,
            None => cut,
        }
    }

    fn active_rules(&self, path: &str) -> Vec<bool> {
        if !self.path_sensitive {
            return vec![true; self.rules.len()];
        }
        self.rules
            .iter()
            .map(|r| {
                let path_matches = match &r.path {
                    Some(p) => p.is_match(path),
                    None => true,
                };
                path_matches && !r.allow_rules.iter().any(|a| a.allows_path(path))
            })
            .collect()
    }

    /// Finds every secret location in `buf`. Locations whose secret starts inside `accept` are
    /// marked accepted (reported); the others only take part in redaction.
    fn locate(&self, active: &[bool], buf: &[u8], accept: std::ops::Range<usize>) -> Vec<Located> {
        let mut windows: Vec<Vec<Window>> = vec![Vec::new(); self.rules.len()];
        if let Some(ac) = &self.prefilter {
            let mut cache: Option<LineCache> = None;
            for hit in ac.find_overlapping_iter(buf) {
                let owners = &self.owners[hit.pattern().as_usize()].owners;
                let mut line: Option<LineCache> = None;
                for (rule, exact) in owners {
                    if !active[*rule] {
                        continue;
                    }
                    if let Some(exact) = exact {
                        if &buf[hit.start()..hit.end()] != exact.as_slice() {
                            continue;
                        }
                    }
                    let window = match self.rules[*rule].scope {
                        Scope::WholeFile => Window {
                            start: 0,
                            end: buf.len(),
                        },
                        scope => {
                            let lc = *line
                                .get_or_insert_with(|| line_cache(&mut cache, buf, hit.start()));
                            match (scope, self.rules[*rule].single_line) {
                                (Scope::Lines, true) => lc.line,
                                (Scope::Lines, false) => lc.lines,
                                _ => lc.multiline,
                            }
                        }
                    };
                    push_window(&mut windows[*rule], window);
                }
            }
        }
        for &rule in &self.unkeyed {
            if active[rule] {
                windows[rule] = vec![Window {
                    start: 0,
                    end: buf.len(),
                }];
            }
        }

        let mut global_blocks: Option<Vec<(usize, usize)>> = None;
        let mut out = Vec::new();
        let mut locs: Option<CaptureLocations> = None;
        for (idx, rule_windows) in windows.iter().enumerate() {
            if rule_windows.is_empty() {
                continue;
            }
            let rule = &self.rules[idx];
            let Some((regex, secret_group)) = rule.regex.get() else {
                continue;
            };
            let locs = match &mut locs {
                Some(l) if l.len() == regex.captures_len() => l,
                slot => slot.insert(regex.capture_locations()),
            };
            let mut rule_blocks: Option<Vec<(usize, usize)>> = None;
            for w in rule_windows {
                let hay = &buf[..w.end];
                let mut pos = w.start;
                while pos <= w.end {
                    let Some(m) = regex.captures_read_at(locs, hay, pos) else {
                        break;
                    };
                    pos = if m.end() == m.start() {
                        m.end() + 1
                    } else {
                        m.end()
                    };
                    let (secret_start, secret_end) = match *secret_group {
                        Some(g) => match locs.get(g) {
                            Some(span) => span,
                            None => continue,
                        },
                        None => (m.start(), m.end()),
                    };
                    if secret_start == secret_end {
                        continue;
                    }
                    let text = m.as_bytes();
                    if self.allow_rules.iter().any(|a| a.allows_match(text))
                        || rule.allow_rules.iter().any(|a| a.allows_match(text))
                    {
                        continue;
                    }
                    if !self.exclude_block.is_empty()
                        && in_blocks(
                            global_blocks.get_or_insert_with(|| blocks(&self.exclude_block, buf)),
                            secret_start,
                            secret_end,
                        )
                    {
                        continue;
                    }
                    if !rule.exclude_block.is_empty()
                        && in_blocks(
                            rule_blocks.get_or_insert_with(|| blocks(&rule.exclude_block, buf)),
                            secret_start,
                            secret_end,
                        )
                    {
                        continue;
                    }
                    out.push(Located {
                        rule: idx,
                        secret_start,
                        secret_end,
                        accepted: accept.contains(&secret_start),
                    });
                }
            }
        }
        out.sort_by_key(|l| (l.secret_start, l.secret_end, l.rule));
        out.dedup_by_key(|l| (l.secret_start, l.secret_end, l.rule));
        out
    }
}

/// The line around `pos` and its windows, from the cache when `pos` is on the cached line.
fn line_cache(cache: &mut Option<LineCache>, buf: &[u8], pos: usize) -> LineCache {
    if let Some(c) = cache {
        if pos >= c.line_start && pos <= c.line_end {
            return *c;
        }
    }
    let line_start = memchr::memrchr(b'\n', &buf[..pos]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
    let mut start = line_start;
    for _ in 0..LINES_BEFORE {
        if start == 0 {
            break;
        }
        start = memchr::memrchr(b'\n', &buf[..start - 1]).map_or(0, |i| i + 1);
    }
    // Include the newline before the window so a regex's leading `[^…]` can match it.
    let start = start.saturating_sub(1);
    let mut end = line_end;
    for _ in 0..LINES_AFTER {
        if end >= buf.len() {
            break;
        }
        end = memchr::memchr(b'\n', &buf[end + 1..]).map_or(buf.len(), |i| end + 1 + i);
    }
    // And the newline after it, for a trailing `\s` or `[^…]`.
    let end = (end + 1).min(buf.len());
    let multiline_end = line_end.saturating_add(MULTILINE_WINDOW).min(buf.len());
    let c = LineCache {
        line_start,
        line_end,
        line: Window {
            start: line_start.saturating_sub(1),
            end: (line_end + 1).min(buf.len()),
        },
        lines: Window { start, end },
        multiline: Window {
            start,
            end: multiline_end.max(end),
        },
    };
    *cache = Some(c);
    c
}

fn push_window(windows: &mut Vec<Window>, w: Window) {
    if let Some(last) = windows.last_mut() {
        if w.start <= last.end {
            last.start = last.start.min(w.start);
            last.end = last.end.max(w.end);
            return;
        }
    }
    windows.push(w);
}

fn blocks(regexes: &[Regex], buf: &[u8]) -> Vec<(usize, usize)> {
    regexes
        .iter()
        .flat_map(|r| r.find_iter(buf).map(|m| (m.start(), m.end())))
        .collect()
}

fn in_blocks(blocks: &[(usize, usize)], start: usize, end: usize) -> bool {
    blocks.iter().any(|&(s, e)| s <= start && end <= e)
}

fn sort_findings(findings: &mut [SecretFinding]) {
    findings.sort_by(|a, b| {
        a.rule_id
            .cmp(&b.rule_id)
            .then_with(|| a.r#match.cmp(&b.r#match))
            .then_with(|| a.offset.cmp(&b.offset))
    });
}

/// Whether content looks binary: a NUL byte in its first [`BINARY_SNIFF_LEN`] bytes.
pub fn is_binary(content: &[u8]) -> bool {
    memchr::memchr(0, &content[..content.len().min(BINARY_SNIFF_LEN)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_spanning_constructs() {
        assert!(may_span_lines(r"key\s*=\s*(?P<secret>x)"));
        assert!(may_span_lines(r"(?s)BEGIN.*END"));
        assert!(may_span_lines(r"a[^<]+b"));
        assert!(!may_span_lines(r"ghp_[0-9a-zA-Z]{36}"));
        assert!(!may_span_lines(r"(?i)pk\.[a-z0-9]{60}"));
    }

    /// Built-in regexes are compiled on first use: each must compile, and name its secret
    /// group when it has one.
    #[test]
    fn every_builtin_regex_compiles_with_its_secret_group() {
        let s = SecretScanner::builder().build().unwrap();
        assert!(!s.rules.is_empty());
        for b in BUILTIN_RULES {
            let rule = s.rules.iter().find(|r| r.id == b.id).unwrap();
            assert!(
                rule.regex.compiled.get().is_none(),
                "{} compiled early",
                b.id
            );
            let (_, group) = rule.regex.get().unwrap_or_else(|| panic!("{}", b.id));
            assert_eq!(group.is_some(), b.secret_group.is_some(), "{}", b.id);
        }
        let broken = RuleRegex::lazy("(unclosed".to_owned(), None);
        assert!(broken.get().is_none());
    }

    #[test]
    fn multi_line_rules_get_multi_line_windows() {
        let s = SecretScanner::builder().build().unwrap();
        let single = |id: &str| s.rules.iter().find(|r| r.id == id).unwrap().single_line;
        assert!(!single("aws-secret-access-key"));
        assert!(!single("dockerconfig-secret"));
        assert!(!single("azure-app-config-connection-string"));
        assert!(single("github-pat"));
        assert!(single("facebook-token"));
        // A value on the line after its key is still found.
        let f = s.scan(
            "k8s/secret.yaml",
            b"data:\n  .dockerconfigjson:\n    eyJhdXRocyI6eyJyZWdpc3RyeS5sb2NhbCI6e319fQ==\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].start_line, 3);
    }
}
