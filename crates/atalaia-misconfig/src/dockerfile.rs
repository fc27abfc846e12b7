//! A Dockerfile parser that keeps the line range of every instruction.
//!
//! It follows BuildKit's front end closely enough that checks see what Trivy's checks see:
//! parser directives (`# syntax=`, `# escape=`) at the top, line continuations with the escape
//! character (comment lines inside a continuation are dropped), heredocs (`RUN <<EOF`), JSON
//! (exec) form versus shell form, flags (`--from=`, `--mount=`), and stages split at `FROM`.
//! `ARG` and `ENV` values are substituted into [`Instruction::expanded`]; the raw
//! [`Instruction::value`] is kept for the checks that look at the text as written.

use std::collections::HashMap;

/// Maximum number of instructions kept from one file (a limit, not a parse error).
pub const MAX_INSTRUCTIONS: usize = 100_000;

/// One instruction with its 1-based line range (continuation and heredoc lines included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword in lower case (`from`, `run`, `copy`...).
    pub cmd: String,
    /// Flags before the arguments (`--from=build`, `--mount=type=secret,id=x`), as written.
    pub flags: Vec<String>,
    /// Arguments as BuildKit splits them: one string for shell-form `RUN`/`CMD`/`ENTRYPOINT`,
    /// the array elements for JSON form, whitespace-separated words for `FROM`/`COPY`/`EXPOSE`,
    /// key/value pairs for `ENV`/`LABEL`.
    pub value: Vec<String>,
    /// `value` with `$VAR`/`${VAR}` replaced by the `ARG`/`ENV` values known at that point.
    pub expanded: Vec<String>,
    /// Whether the arguments were written in JSON (exec) form.
    pub json: bool,
    /// The instruction's text as written (continuations joined, without the keyword).
    pub original: String,
    /// First line (1-based).
    pub start_line: usize,
    /// Last line (1-based, inclusive).
    pub end_line: usize,
}

/// A build stage: a `FROM` and the instructions after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The `FROM` arguments as written, e.g. `golang:1.22 AS build` (Trivy's `Stage.Name`).
    pub name: String,
    /// The stage alias (`AS name`), lower case.
    pub alias: Option<String>,
    /// The instructions, `FROM` first. Instructions before the first `FROM` (global `ARG`s)
    /// form a stage of their own with an empty name.
    pub instructions: Vec<Instruction>,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// Parser directives found at the top (`syntax`, `escape`, `check`), lower-case keys.
    pub directives: Vec<(String, String)>,
    /// The escape character in force (`\` unless `# escape=` says otherwise).
    pub escape: char,
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// Every instruction of every stage, in file order.
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.stages.iter().flat_map(|s| s.instructions.iter())
    }
}

/// What can go wrong parsing a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DockerfileError {
    /// The file has no instruction at all.
    #[error("no instruction found")]
    Empty,
    /// A line that is not an instruction (the keyword is unknown).
    #[error("line {line}: unknown instruction `{word}`")]
    UnknownInstruction {
        /// The 1-based line.
        line: usize,
        /// The word found where a keyword was expected.
        word: String,
    },
    /// A heredoc whose terminator never comes.
    #[error("line {line}: heredoc `{delimiter}` is not terminated")]
    UnterminatedHeredoc {
        /// The 1-based line of the instruction.
        line: usize,
        /// The delimiter looked for.
        delimiter: String,
    },
    /// More instructions than [`MAX_INSTRUCTIONS`].
    #[error("more than {MAX_INSTRUCTIONS} instructions")]
    TooLarge,
}

const KEYWORDS: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// Parse a Dockerfile from text.
pub fn parse(text: &str) -> Result<Dockerfile, DockerfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut df = Dockerfile {
        escape: '\\',
        ..Dockerfile::default()
    };
    let mut i = 0;
    // Parser directives: `# key=value` lines at the very top, before anything else.
    while i < lines.len() {
        let Some(rest) = lines[i].trim_start().strip_prefix('#') else {
            break;
        };
        let Some((k, v)) = rest.split_once('=') else {
            break;
        };
        let key = k.trim().to_ascii_lowercase();
        if key.is_empty() || key.contains(char::is_whitespace) {
            break;
        }
        let value = v.trim().to_string();
        if key == "escape" {
            match value.as_str() {
                "`" => df.escape = '`',
                "\\" => df.escape = '\\',
                _ => {}
            }
        }
        df.directives.push((key, value));
        i += 1;
    }

    let mut raw: Vec<Instruction> = Vec::new();
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start_line = i + 1;
        // Join continuation lines.
        let mut logical = String::new();
        let mut cur = line.to_string();
        loop {
            let t = cur.trim_end();
            if let Some(body) = t.strip_suffix(df.escape) {
                logical.push_str(body);
                i += 1;
                // Skip comment lines and empty lines inside a continuation.
                while i < lines.len() && lines[i].trim_start().starts_with('#') {
                    i += 1;
                }
                if i >= lines.len() {
                    break;
                }
                cur = lines[i].to_string();
            } else {
                logical.push_str(&cur);
                break;
            }
        }
        let mut end_line = i.min(lines.len() - 1) + 1;
        i += 1;
        let logical = logical.trim_start();
        let (word, rest) = match logical.find(char::is_whitespace) {
            Some(p) => (&logical[..p], logical[p..].trim_start()),
            None => (logical, ""),
        };
        let cmd = word.to_ascii_lowercase();
        if !KEYWORDS.contains(&cmd.as_str()) {
            return Err(DockerfileError::UnknownInstruction {
                line: start_line,
                word: word.chars().take(40).collect(),
            });
        }
        let (flags, args) = if matches!(
            cmd.as_str(),
            "add" | "copy" | "run" | "from" | "healthcheck"
        ) {
            split_flags(rest)
        } else {
            (Vec::new(), rest)
        };
        let mut original = rest.to_string();
        let mut heredoc_body: Option<(String, Vec<String>, String)> = None;
        if matches!(cmd.as_str(), "run" | "copy" | "add") {
            if let Some((delim, strip_tabs, before, after)) = heredoc_start(args) {
                let mut body = Vec::new();
                let mut found = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let cmp = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if cmp == delim {
                        found = true;
                        break;
                    }
                    body.push(if strip_tabs {
                        l.trim_start_matches('\t').to_string()
                    } else {
                        l.to_string()
                    });
                }
                if !found {
                    return Err(DockerfileError::UnterminatedHeredoc {
                        line: start_line,
                        delimiter: delim,
                    });
                }
                end_line = i;
                original = format!("{args}\n{}\n{delim}", body.join("\n"));
                heredoc_body = Some((format!("{before}{after}"), body, delim));
            }
        }
        let (value, json) = match heredoc_body {
            Some((rest_cmd, body, _)) if cmd == "run" => {
                if rest_cmd.trim().is_empty() {
                    // BuildKit runs a command-less heredoc with the shell, one line a command.
                    let cmds: Vec<&str> = body
                        .iter()
                        .map(|l| l.trim())
                        .filter(|l| !l.is_empty())
                        .collect();
                    (vec![cmds.join(" ; ")], false)
                } else {
                    (vec![original.clone()], false)
                }
            }
            Some(_) => (split_words(args), false),
            None => split_value(&cmd, args),
        };
        raw.push(Instruction {
            cmd,
            flags,
            expanded: value.clone(),
            value,
            json,
            original,
            start_line,
            end_line,
        });
        if raw.len() > MAX_INSTRUCTIONS {
            return Err(DockerfileError::TooLarge);
        }
    }
    if raw.is_empty() {
        return Err(DockerfileError::Empty);
    }
    df.stages = into_stages(raw);
    expand_variables(&mut df);
    Ok(df)
}

fn into_stages(raw: Vec<Instruction>) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for ins in raw {
        if ins.cmd == "from" || stages.is_empty() {
            let (name, alias) = if ins.cmd == "from" {
                let alias = match ins.value.as_slice() {
                    [_, as_kw, alias, ..] if as_kw.eq_ignore_ascii_case("as") => {
                        Some(alias.to_ascii_lowercase())
                    }
                    _ => None,
                };
                (ins.value.join(" "), alias)
            } else {
                (String::new(), None)
            };
            stages.push(Stage {
                name,
                alias,
                instructions: Vec::new(),
            });
        }
        if let Some(s) = stages.last_mut() {
            s.instructions.push(ins);
        }
    }
    stages
}

/// Substitute `ARG` and `ENV` values into `expanded`, with Docker's scoping: global `ARG`s
/// (before the first `FROM`) apply to `FROM` lines; inside a stage, `ARG` and `ENV` apply to
/// the instructions after them.
fn expand_variables(df: &mut Dockerfile) {
    let mut global: HashMap<String, String> = HashMap::new();
    for stage in &mut df.stages {
        let mut vars: HashMap<String, String> = HashMap::new();
        for ins in &mut stage.instructions {
            let scope = if ins.cmd == "from" { &global } else { &vars };
            ins.expanded = ins.value.iter().map(|v| substitute(v, scope)).collect();
            match ins.cmd.as_str() {
                "arg" => {
                    for a in &ins.expanded {
                        let (k, v) = match a.split_once('=') {
                            Some((k, v)) => (k.to_string(), v.trim_matches('"').to_string()),
                            None => (a.clone(), global.get(a).cloned().unwrap_or_default()),
                        };
                        if stage.name.is_empty() {
                            global.insert(k.clone(), v.clone());
                        }
                        vars.insert(k, v);
                    }
                }
                "env" => {
                    for pair in ins.expanded.chunks(2) {
                        if let [k, v] = pair {
                            vars.insert(k.clone(), v.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Replace `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` from `vars`; unknown
/// names are left as written (an unknown value never becomes a finding by itself).
pub fn substitute(s: &str, vars: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            if b[i + 1] == b'{' {
                if let Some(close) = s[i + 2..].find('}') {
                    let inner = &s[i + 2..i + 2 + close];
                    let (name, op) = match inner.find(':') {
                        Some(p) => (&inner[..p], Some(&inner[p..])),
                        None => (inner, None),
                    };
                    let val = vars.get(name).filter(|v| !v.is_empty());
                    let rep = match (op, val) {
                        (Some(o), None) if o.starts_with(":-") => Some(o[2..].to_string()),
                        (Some(o), Some(_)) if o.starts_with(":+") => Some(o[2..].to_string()),
                        (Some(o), None) if o.starts_with(":+") => Some(String::new()),
                        (_, Some(v)) => Some(v.clone()),
                        _ => None,
                    };
                    match rep {
                        Some(r) => out.push_str(&r),
                        None => out.push_str(&s[i..i + 3 + close]),
                    }
                    i += 3 + close;
                    continue;
                }
            } else if b[i + 1] == b'_' || b[i + 1].is_ascii_alphabetic() {
                let mut j = i + 1;
                while j < b.len() && (b[j] == b'_' || b[j].is_ascii_alphanumeric()) {
                    j += 1;
                }
                match vars.get(&s[i + 1..j]) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&s[i..j]),
                }
                i = j;
                continue;
            }
        }
        let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    out
}

fn split_flags(rest: &str) -> (Vec<String>, &str) {
    let mut flags = Vec::new();
    let mut r = rest;
    while r.starts_with("--") {
        let end = r.find(char::is_whitespace).unwrap_or(r.len());
        flags.push(r[..end].to_string());
        r = r[end..].trim_start();
    }
    (flags, r)
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`: (delimiter, strip tabs, text before, text after).
fn heredoc_start(args: &str) -> Option<(String, bool, String, String)> {
    let pos = args.find("<<")?;
    let mut rest = &args[pos + 2..];
    let strip = rest.starts_with('-');
    if strip {
        rest = &rest[1..];
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = rest[..end].trim_matches(|c| c == '"' || c == '\'');
    if word.is_empty()
        || !word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    Some((
        word.to_string(),
        strip,
        args[..pos].to_string(),
        rest[end..].to_string(),
    ))
}

fn split_words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn parse_json_array(s: &str) -> Option<Vec<String>> {
    let t = s.trim();
    if !t.starts_with('[') || !t.ends_with(']') {
        return None;
    }
    let mut out = Vec::new();
    let inner = t[1..t.len() - 1].trim();
    if inner.is_empty() {
        return Some(out);
    }
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next()? != '"' {
            return None;
        }
        let mut cur = String::new();
        loop {
            match chars.next()? {
                '"' => break,
                '\\' => match chars.next()? {
                    'n' => cur.push('\n'),
                    't' => cur.push('\t'),
                    'r' => cur.push('\r'),
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        cur.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    c => cur.push(c),
                },
                c => cur.push(c),
            }
        }
        out.push(cur);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(out),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

fn split_value(cmd: &str, args: &str) -> (Vec<String>, bool) {
    match cmd {
        "run" | "cmd" | "entrypoint" | "shell" | "volume" | "add" | "copy" => {
            if let Some(v) = parse_json_array(args) {
                return (v, true);
            }
            match cmd {
                "add" | "copy" | "volume" => (split_words(args), false),
                _ => (vec![args.to_string()], false),
            }
        }
        "env" | "label" => (split_key_values(args), false),
        "arg" => (split_words(args), false),
        "from" | "expose" | "onbuild" => (split_words(args), false),
        "healthcheck" => {
            let mut words = args.splitn(2, char::is_whitespace);
            let first = words.next().unwrap_or("").to_string();
            let rest = words.next().unwrap_or("").trim();
            if rest.is_empty() {
                (vec![first], false)
            } else if let Some(v) = parse_json_array(rest) {
                let mut out = vec![first];
                out.extend(v);
                (out, true)
            } else {
                (vec![first, rest.to_string()], false)
            }
        }
        _ => (vec![args.trim().to_string()], false),
    }
}

/// `ENV a=b c="d e"` → `[a, b, c, d e]`; legacy `ENV a b c` → `[a, b c]`.
fn split_key_values(args: &str) -> Vec<String> {
    let words = shell_words(args);
    if words.is_empty() {
        return Vec::new();
    }
    if !words[0].contains('=') {
        let (k, v) = match args.trim().split_once(char::is_whitespace) {
            Some((k, v)) => (k.to_string(), v.trim().to_string()),
            None => (args.trim().to_string(), String::new()),
        };
        return vec![k, v];
    }
    let mut out = Vec::new();
    for w in words {
        match w.split_once('=') {
            Some((k, v)) => {
                out.push(k.to_string());
                out.push(v.to_string());
            }
            None => {
                out.push(w);
                out.push(String::new());
            }
        }
    }
    out
}

/// Split on whitespace, honouring double and single quotes (which are removed).
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) if c == '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                has = true;
            }
            None if c.is_whitespace() => {
                if has {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            None => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_comments_and_lines() {
        let df = parse(
            "FROM alpine:3.20\nRUN apk add \\\n# a comment\n    curl \\\n    git\nUSER app\n",
        )
        .unwrap();
        let run = &df.stages[0].instructions[1];
        assert_eq!(run.cmd, "run");
        assert_eq!(run.value, vec!["apk add     curl     git"]);
        assert_eq!((run.start_line, run.end_line), (2, 5));
        assert_eq!(df.stages[0].instructions[2].start_line, 6);
    }

    #[test]
    fn escape_directive_backtick() {
        let df = parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\n").unwrap();
        assert_eq!(df.escape, '`');
        let run = &df.stages[0].instructions[1];
        assert_eq!(run.value, vec!["dir   c:\\"]);
        assert_eq!((run.start_line, run.end_line), (3, 4));
    }

    #[test]
    fn heredoc_without_command_joins_lines() {
        let df =
            parse("FROM alpine\nRUN <<EOF\napk update\napk add git\nEOF\nCMD [\"sh\"]\n").unwrap();
        let run = &df.stages[0].instructions[1];
        assert_eq!(run.value, vec!["apk update ; apk add git"]);
        assert_eq!((run.start_line, run.end_line), (2, 5));
        let cmd = &df.stages[0].instructions[2];
        assert!(cmd.json);
        assert_eq!(cmd.value, vec!["sh"]);
    }

    #[test]
    fn heredoc_with_command_keeps_original() {
        let df = parse("FROM debian\nRUN <<EOT bash\n  set -ex\nEOT\n").unwrap();
        assert_eq!(
            df.stages[0].instructions[1].value,
            vec!["<<EOT bash\n  set -ex\nEOT"]
        );
    }

    #[test]
    fn stages_aliases_and_args() {
        let df = parse(
            "ARG TAG=1.22\nFROM golang:${TAG} AS Build\nENV X=1 Y=\"a b\"\nRUN echo $X\nFROM scratch\nCOPY --from=build /a /b\n",
        )
        .unwrap();
        assert_eq!(df.stages.len(), 3);
        assert_eq!(df.stages[1].alias.as_deref(), Some("build"));
        assert_eq!(df.stages[1].name, "golang:${TAG} AS Build");
        assert_eq!(df.stages[1].instructions[0].expanded[0], "golang:1.22");
        assert_eq!(
            df.stages[1].instructions[1].value,
            vec!["X", "1", "Y", "a b"]
        );
        assert_eq!(df.stages[1].instructions[2].expanded, vec!["echo 1"]);
        assert_eq!(df.stages[2].instructions[1].flags, vec!["--from=build"]);
        assert_eq!(df.stages[2].instructions[1].value, vec!["/a", "/b"]);
    }

    #[test]
    fn malformed_inputs_are_errors_not_panics() {
        for bad in [
            "",
            "   \n# only a comment\n",
            "NOTANINSTRUCTION foo\n",
            "FROM a\nRUN <<EOF\nnever ends\n",
            "FROM a\nRUN \\",
            "RUN [\"unterminated\n",
            "\u{feff}\u{0}\u{1}",
            "FROM ${\nENV",
        ] {
            let _ = parse(bad);
        }
        assert_eq!(parse(""), Err(DockerfileError::Empty));
        assert!(matches!(
            parse("FROM a\nRUN <<EOF\nx\n"),
            Err(DockerfileError::UnterminatedHeredoc { line: 2, .. })
        ));
    }
}
