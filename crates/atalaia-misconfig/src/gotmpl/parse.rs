//! Lexer and parser of Go's `text/template` syntax: text, actions with `{{-`/`-}}` trim
//! markers, comments, pipelines with variable declarations, and the control structures
//! `if`/`else if`/`range`/`with`/`define`/`template`/`block`/`break`/`continue`.

use std::rc::Rc;

use super::value::Value;
use super::TemplateError;

/// Deepest nesting of control structures and parentheses accepted.
pub const MAX_PARSE_DEPTH: usize = 100;

/// A parsed node.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(Rc<str>),
    Action(Pipe),
    If(Branch),
    With(Branch),
    Range(Branch),
    Template {
        name: String,
        pipe: Option<Pipe>,
        line: usize,
    },
    Break(usize),
    Continue(usize),
}

/// `if`, `with` and `range`: a pipeline, a body and an optional `else`.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub(crate) pipe: Pipe,
    pub(crate) body: Vec<Node>,
    pub(crate) els: Option<Vec<Node>>,
}

/// A pipeline: optional variable declarations then commands joined by `|`.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub(crate) decl: Vec<String>,
    pub(crate) assign: bool,
    pub(crate) cmds: Vec<Cmd>,
    pub(crate) line: usize,
}

/// One command: operands separated by spaces.
#[derive(Debug, Clone)]
pub(crate) struct Cmd {
    pub(crate) args: Vec<Operand>,
}

/// An operand: a term and the fields chained after it (`.a.b`, `$x.a`, `(pipe).a`).
#[derive(Debug, Clone)]
pub(crate) struct Operand {
    pub(crate) term: Term,
    pub(crate) chain: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Term {
    Dot,
    Var(String),
    Ident(String),
    Lit(Value),
    Sub(Box<Pipe>),
}

/// A parsed file: its top-level nodes and the templates it defines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    pub(crate) root: Vec<Node>,
    pub(crate) defines: Vec<(String, Rc<Vec<Node>>)>,
}

#[derive(Debug, Clone)]
enum Tok {
    Field(String),
    Dot,
    Var(String),
    Ident(String),
    Str(String),
    Lit(Value),
    LParen,
    RParen,
    Pipe,
    Decl,
    Assign,
    Comma,
}

#[derive(Debug)]
enum Item {
    Text(String),
    /// Tokens (each with "preceded by space"), the line of `{{`.
    Action(Vec<(Tok, bool)>, usize),
}

struct Lexer<'a> {
    name: &'a str,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

impl Lexer<'_> {
    fn err(&self, line: usize, msg: impl Into<String>) -> TemplateError {
        TemplateError::Parse {
            name: self.name.to_string(),
            line,
            msg: msg.into(),
        }
    }

    fn items(&self, src: &str) -> Result<Vec<Item>, TemplateError> {
        let b = src.as_bytes();
        let mut items = Vec::new();
        let mut pos = 0;
        let mut line = 1;
        let mut trim_next = false;
        while pos <= b.len() {
            let rest = &src[pos..];
            let Some(off) = rest.find("{{") else {
                let mut t = rest;
                if trim_next {
                    t = t.trim_start_matches([' ', '\t', '\r', '\n']);
                }
                if !t.is_empty() {
                    items.push(Item::Text(t.to_string()));
                }
                break;
            };
            let mut text = &rest[..off];
            line += text.matches('\n').count();
            let start = pos + off + 2;
            let left_trim =
                b.get(start) == Some(&b'-') && b.get(start + 1).is_some_and(|c| is_space(*c));
            if trim_next {
                text = text.trim_start_matches([' ', '\t', '\r', '\n']);
            }
            if left_trim {
                text = text.trim_end_matches([' ', '\t', '\r', '\n']);
            }
            if !text.is_empty() {
                items.push(Item::Text(text.to_string()));
            }
            let mut i = if left_trim { start + 2 } else { start };
            let action_line = line;
            // Comment?
            let mut j = i;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            if src[j..].starts_with("/*") {
                let Some(end) = src[j + 2..].find("*/") else {
                    return Err(self.err(line, "unclosed comment"));
                };
                let after = j + 2 + end + 2;
                line += src[i..after].matches('\n').count();
                let tail = &src[after..];
                let (right_trim, close) = if tail.starts_with(" -}}")
                    || tail.starts_with("\t-}}")
                    || tail.starts_with("\n-}}")
                    || tail.starts_with("\r-}}")
                {
                    (true, after + 4)
                } else if tail.starts_with("}}") {
                    (false, after + 2)
                } else {
                    return Err(self.err(line, "comment ends before closing delimiter"));
                };
                trim_next = right_trim;
                pos = close;
                continue;
            }
            let mut toks = Vec::new();
            let mut spaced = true;
            let mut paren = 0usize;
            loop {
                let Some(&c) = b.get(i) else {
                    return Err(self.err(action_line, "unclosed action"));
                };
                if is_space(c) {
                    // ` -}}` closes with a right trim.
                    if b.get(i + 1) == Some(&b'-') && src[i + 2..].starts_with("}}") {
                        line += usize::from(c == b'\n');
                        trim_next = true;
                        pos = i + 4;
                        break;
                    }
                    if c == b'\n' {
                        line += 1;
                    }
                    spaced = true;
                    i += 1;
                    continue;
                }
                if src[i..].starts_with("}}") {
                    trim_next = false;
                    pos = i + 2;
                    break;
                }
                let (tok, len) = self.token(src, i, line)?;
                match tok {
                    Tok::LParen => paren += 1,
                    Tok::RParen => {
                        paren = paren
                            .checked_sub(1)
                            .ok_or_else(|| self.err(line, "unexpected right paren"))?;
                    }
                    _ => {}
                }
                if paren > MAX_PARSE_DEPTH {
                    return Err(self.err(line, "parentheses nested too deeply"));
                }
                line += src[i..i + len].matches('\n').count();
                toks.push((tok, spaced));
                spaced = false;
                i += len;
            }
            items.push(Item::Action(toks, action_line));
        }
        Ok(items)
    }

    fn token(&self, src: &str, i: usize, line: usize) -> Result<(Tok, usize), TemplateError> {
        let b = src.as_bytes();
        let c = b[i];
        let ident_len = |from: usize| {
            src[from..]
                .char_indices()
                .find(|(_, ch)| !(ch.is_alphanumeric() || *ch == '_'))
                .map_or(src.len() - from, |(n, _)| n)
        };
        Ok(match c {
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'|' => (Tok::Pipe, 1),
            b',' => (Tok::Comma, 1),
            b':' if b.get(i + 1) == Some(&b'=') => (Tok::Decl, 2),
            b'=' => (Tok::Assign, 1),
            b'"' => {
                let mut j = i + 1;
                let mut out = String::new();
                loop {
                    let Some(ch) = src[j..].chars().next() else {
                        return Err(self.err(line, "unterminated quoted string"));
                    };
                    match ch {
                        '"' => break,
                        '\n' => return Err(self.err(line, "unterminated quoted string")),
                        '\\' => {
                            let (ch2, n) = self.escape(src, j + 1, line)?;
                            out.push(ch2);
                            j += 1 + n;
                        }
                        _ => {
                            out.push(ch);
                            j += ch.len_utf8();
                        }
                    }
                }
                (Tok::Str(out), j + 1 - i)
            }
            b'`' => {
                let Some(end) = src[i + 1..].find('`') else {
                    return Err(self.err(line, "unterminated raw quoted string"));
                };
                (Tok::Str(src[i + 1..i + 1 + end].to_string()), end + 2)
            }
            b'\'' => {
                let mut j = i + 1;
                let ch = match src[j..].chars().next() {
                    Some('\\') => {
                        let (ch2, n) = self.escape(src, j + 1, line)?;
                        j += 1 + n;
                        ch2
                    }
                    Some(ch) if ch != '\'' => {
                        j += ch.len_utf8();
                        ch
                    }
                    _ => return Err(self.err(line, "malformed character constant")),
                };
                if b.get(j) != Some(&b'\'') {
                    return Err(self.err(line, "unterminated character constant"));
                }
                (Tok::Lit(Value::Int(i64::from(u32::from(ch)))), j + 1 - i)
            }
            b'$' => {
                let n = ident_len(i + 1);
                (Tok::Var(src[i..i + 1 + n].to_string()), 1 + n)
            }
            b'.' => {
                if b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    return self.number(src, i, line);
                }
                let n = ident_len(i + 1);
                if n == 0 {
                    (Tok::Dot, 1)
                } else {
                    (Tok::Field(src[i + 1..i + 1 + n].to_string()), 1 + n)
                }
            }
            b'0'..=b'9' | b'+' | b'-' => self.number(src, i, line)?,
            _ => {
                let n = ident_len(i);
                if n == 0 {
                    let ch = src[i..].chars().next().unwrap_or('?');
                    return Err(self.err(line, format!("unexpected {ch:?} in command")));
                }
                let word = &src[i..i + n];
                let tok = match word {
                    "true" => Tok::Lit(Value::Bool(true)),
                    "false" => Tok::Lit(Value::Bool(false)),
                    "nil" => Tok::Lit(Value::Nil),
                    _ => Tok::Ident(word.to_string()),
                };
                (tok, n)
            }
        })
    }

    fn escape(&self, src: &str, j: usize, line: usize) -> Result<(char, usize), TemplateError> {
        let Some(c) = src[j..].chars().next() else {
            return Err(self.err(line, "unterminated escape"));
        };
        let hex = |n: usize| -> Result<(char, usize), TemplateError> {
            let h = src
                .get(j + 1..j + 1 + n)
                .ok_or_else(|| self.err(line, "short escape"))?;
            let v = u32::from_str_radix(h, 16).map_err(|_| self.err(line, "bad escape"))?;
            Ok((
                char::from_u32(v).ok_or_else(|| self.err(line, "bad escape"))?,
                1 + n,
            ))
        };
        Ok(match c {
            'n' => ('\n', 1),
            't' => ('\t', 1),
            'r' => ('\r', 1),
            'a' => ('\u{7}', 1),
            'b' => ('\u{8}', 1),
            'f' => ('\u{c}', 1),
            'v' => ('\u{b}', 1),
            '\\' => ('\\', 1),
            '"' => ('"', 1),
            '\'' => ('\'', 1),
            'x' => hex(2)?,
            'u' => hex(4)?,
            'U' => hex(8)?,
            _ => return Err(self.err(line, format!("unknown escape \\{c}"))),
        })
    }

    fn number(&self, src: &str, i: usize, line: usize) -> Result<(Tok, usize), TemplateError> {
        let n = src[i..]
            .char_indices()
            .find(|&(k, ch)| {
                !(ch.is_ascii_alphanumeric()
                    || ch == '.'
                    || ch == '_'
                    || (k == 0 && (ch == '+' || ch == '-'))
                    || ((ch == '+' || ch == '-')
                        && k > 0
                        && matches!(src.as_bytes()[i + k - 1], b'e' | b'E')
                        && !src[i..].starts_with("0x")))
            })
            .map_or(src.len() - i, |(k, _)| k);
        let text: String = src[i..i + n].chars().filter(|c| *c != '_').collect();
        let (neg, body) = match text.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, text.strip_prefix('+').unwrap_or(&text)),
        };
        let int = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            i64::from_str_radix(h, 16).ok()
        } else if let Some(o) = body.strip_prefix("0o") {
            i64::from_str_radix(o, 8).ok()
        } else if let Some(bin) = body.strip_prefix("0b") {
            i64::from_str_radix(bin, 2).ok()
        } else if body.len() > 1
            && body.starts_with('0')
            && body.bytes().all(|c| c.is_ascii_digit())
        {
            i64::from_str_radix(&body[1..], 8).ok()
        } else {
            body.parse::<i64>().ok()
        };
        if let Some(v) = int {
            return Ok((Tok::Lit(Value::Int(if neg { -v } else { v })), n));
        }
        match body.parse::<f64>() {
            Ok(f) if !body.is_empty() && body.bytes().next().is_some_and(|c| c != b'i') => {
                Ok((Tok::Lit(Value::Float(if neg { -f } else { f })), n))
            }
            _ => Err(self.err(line, format!("bad number syntax: {:?}", &src[i..i + n]))),
        }
    }
}

/// Parse a template source.
pub(crate) fn parse(name: &str, src: &str) -> Result<Parsed, TemplateError> {
    let lx = Lexer { name };
    let items = lx.items(src)?;
    let mut p = Parser {
        name,
        items,
        pos: 0,
        defines: Vec::new(),
        depth: 0,
    };
    let (root, end) = p.list()?;
    match end {
        Ending::Eof => {}
        Ending::End => return Err(p.err(0, "unexpected {{end}}")),
        Ending::Else(_, line) => return Err(p.err(line, "unexpected {{else}}")),
    }
    Ok(Parsed {
        root,
        defines: p.defines,
    })
}

struct Parser<'a> {
    name: &'a str,
    items: Vec<Item>,
    pos: usize,
    defines: Vec<(String, Rc<Vec<Node>>)>,
    depth: usize,
}

/// How a list ended.
enum Ending {
    /// `{{end}}`.
    End,
    /// `{{else ...}}`: the tokens after `else`, and the line.
    Else(Vec<(Tok, bool)>, usize),
    /// End of input.
    Eof,
}

impl Parser<'_> {
    fn err(&self, line: usize, msg: impl Into<String>) -> TemplateError {
        TemplateError::Parse {
            name: self.name.to_string(),
            line,
            msg: msg.into(),
        }
    }

    fn list(&mut self) -> Result<(Vec<Node>, Ending), TemplateError> {
        let mut out = Vec::new();
        while self.pos < self.items.len() {
            let idx = self.pos;
            self.pos += 1;
            let (toks, line) = match &mut self.items[idx] {
                Item::Text(t) => {
                    out.push(Node::Text(Rc::from(std::mem::take(t).as_str())));
                    continue;
                }
                Item::Action(toks, line) => (std::mem::take(toks), *line),
            };
            let Some((first, _)) = toks.first() else {
                return Err(self.err(line, "missing value for command"));
            };
            let kw = match first {
                Tok::Ident(w) => w.clone(),
                _ => String::new(),
            };
            match kw.as_str() {
                "end" => {
                    if toks.len() > 1 {
                        return Err(self.err(line, "unexpected tokens after end"));
                    }
                    return Ok((out, Ending::End));
                }
                "else" => return Ok((out, Ending::Else(toks[1..].to_vec(), line))),
                "if" | "with" | "range" => {
                    out.push(self.branch(&kw, &toks[1..], line)?);
                }
                "define" | "block" => {
                    let name = match toks.get(1) {
                        Some((Tok::Str(n), _)) => n.clone(),
                        _ => return Err(self.err(line, format!("{kw} needs a quoted name"))),
                    };
                    let pipe = if kw == "block" {
                        Some(self.pipe(&toks[2..], line, false)?)
                    } else if toks.len() > 2 {
                        return Err(self.err(line, "unexpected tokens after define name"));
                    } else {
                        None
                    };
                    self.enter(line)?;
                    let (body, ending) = self.list()?;
                    self.depth -= 1;
                    if !matches!(ending, Ending::End) {
                        return Err(self.err(line, format!("unterminated {kw} {name:?}")));
                    }
                    self.defines.push((name.clone(), Rc::new(body)));
                    if kw == "block" {
                        out.push(Node::Template { name, pipe, line });
                    }
                }
                "template" => {
                    let name = match toks.get(1) {
                        Some((Tok::Str(n), _)) => n.clone(),
                        _ => return Err(self.err(line, "template needs a quoted name")),
                    };
                    let pipe = if toks.len() > 2 {
                        Some(self.pipe(&toks[2..], line, false)?)
                    } else {
                        None
                    };
                    out.push(Node::Template { name, pipe, line });
                }
                "break" => out.push(Node::Break(line)),
                "continue" => out.push(Node::Continue(line)),
                _ => out.push(Node::Action(self.pipe(&toks, line, false)?)),
            }
        }
        Ok((out, Ending::Eof))
    }

    fn enter(&mut self, line: usize) -> Result<(), TemplateError> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(self.err(line, "control structures nested too deeply"));
        }
        Ok(())
    }

    fn branch(
        &mut self,
        kw: &str,
        toks: &[(Tok, bool)],
        line: usize,
    ) -> Result<Node, TemplateError> {
        self.enter(line)?;
        let pipe = self.pipe(toks, line, kw == "range")?;
        let (body, ending) = self.list()?;
        let els = match ending {
            Ending::End => None,
            Ending::Eof => return Err(self.err(line, format!("unexpected EOF in {kw}"))),
            Ending::Else(rest, eline) => {
                if rest.is_empty() {
                    let (els, ending) = self.list()?;
                    if !matches!(ending, Ending::End) {
                        return Err(self.err(eline, format!("expected end after else in {kw}")));
                    }
                    Some(els)
                } else {
                    match &rest[0].0 {
                        Tok::Ident(w) if (w == "if" || w == "with") && kw != "range" => {
                            let w = w.clone();
                            Some(vec![self.branch(&w, &rest[1..], eline)?])
                        }
                        _ => return Err(self.err(eline, "unexpected tokens after else")),
                    }
                }
            }
        };
        self.depth -= 1;
        let b = Branch { pipe, body, els };
        Ok(match kw {
            "if" => Node::If(b),
            "with" => Node::With(b),
            _ => Node::Range(b),
        })
    }

    fn pipe(
        &mut self,
        toks: &[(Tok, bool)],
        line: usize,
        two_vars: bool,
    ) -> Result<Pipe, TemplateError> {
        let mut decl = Vec::new();
        let mut assign = false;
        let mut rest = toks;
        match toks {
            [(Tok::Var(v), _), (Tok::Decl | Tok::Assign, _), ..] => {
                decl.push(v.clone());
                assign = matches!(toks[1].0, Tok::Assign);
                rest = &toks[2..];
            }
            [(Tok::Var(a), _), (Tok::Comma, _), (Tok::Var(b), _), (Tok::Decl | Tok::Assign, _), ..]
                if two_vars =>
            {
                decl.push(a.clone());
                decl.push(b.clone());
                assign = matches!(toks[3].0, Tok::Assign);
                rest = &toks[4..];
            }
            _ => {}
        }
        let mut cmds = Vec::new();
        let mut start = 0;
        let mut depth = 0usize;
        for (i, (t, _)) in rest.iter().enumerate() {
            match t {
                Tok::LParen => depth += 1,
                Tok::RParen => depth = depth.saturating_sub(1),
                Tok::Pipe if depth == 0 => {
                    cmds.push(self.cmd(&rest[start..i], line)?);
                    start = i + 1;
                }
                _ => {}
            }
        }
        cmds.push(self.cmd(&rest[start..], line)?);
        Ok(Pipe {
            decl,
            assign,
            cmds,
            line,
        })
    }

    fn cmd(&mut self, toks: &[(Tok, bool)], line: usize) -> Result<Cmd, TemplateError> {
        let mut args = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let (term, mut chain) = match &toks[i].0 {
                Tok::LParen => {
                    let mut depth = 0usize;
                    let mut end = None;
                    for (j, (t, _)) in toks.iter().enumerate().skip(i) {
                        match t {
                            Tok::LParen => depth += 1,
                            Tok::RParen => {
                                depth -= 1;
                                if depth == 0 {
                                    end = Some(j);
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    let end = end.ok_or_else(|| self.err(line, "unclosed left paren"))?;
                    self.enter(line)?;
                    let sub = self.pipe(&toks[i + 1..end], line, false)?;
                    self.depth -= 1;
                    i = end;
                    (Term::Sub(Box::new(sub)), Vec::new())
                }
                Tok::Dot => (Term::Dot, Vec::new()),
                Tok::Field(f) => (Term::Dot, vec![f.clone()]),
                Tok::Var(v) => (Term::Var(v.clone()), Vec::new()),
                Tok::Ident(w) => (Term::Ident(w.clone()), Vec::new()),
                Tok::Str(s) => (Term::Lit(Value::str(s)), Vec::new()),
                Tok::Lit(v) => (Term::Lit(v.clone()), Vec::new()),
                Tok::RParen => return Err(self.err(line, "unexpected right paren")),
                Tok::Pipe | Tok::Decl | Tok::Assign | Tok::Comma => {
                    return Err(self.err(line, "unexpected token in operand"))
                }
            };
            i += 1;
            while let Some((Tok::Field(f), false)) = toks.get(i) {
                chain.push(f.clone());
                i += 1;
            }
            args.push(Operand { term, chain });
        }
        if args.is_empty() {
            return Err(self.err(line, "missing value for command"));
        }
        Ok(Cmd { args })
    }
}
