//! Helm's `toYaml`: `sigs.k8s.io/yaml` (JSON, then go-yaml v2's emitter). Reproduced because
//! the rendered line numbers depend on it: keys in go-yaml's natural order, sequences not
//! indented under their key, strings quoted when they would read as another type, multi-line
//! strings as literal blocks, long scalars folded at spaces past column 80.

use std::cmp::Ordering;

use super::funcs::go_quote;
use std::cell::Cell;

use super::value::{format_float_g, spend, Value, MAX_TEXT, MAX_VALUE_DEPTH, MAX_VISIT};

const BEST_WIDTH: usize = 80;

/// The YAML text of a value (with its final newline).
pub(crate) fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    let budget = Cell::new(MAX_VISIT);
    match v {
        Value::Map(m) if !m.borrow().is_empty() => write_map(v, 0, &mut out, false, 0, &budget),
        Value::List(l) if !l.is_empty() => write_seq(v, 0, &mut out, false, 0, &budget),
        other => write_scalar(other, 2, &mut out),
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// go-yaml v2's key order: letters after digits and symbols, digit runs compared as numbers.
fn key_less(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0i128, 0i128);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i128::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i128::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn is_nonempty_collection(v: &Value) -> bool {
    match v {
        Value::Map(m) => !m.borrow().is_empty(),
        Value::List(l) => !l.is_empty(),
        _ => false,
    }
}

fn write_map(
    v: &Value,
    indent: usize,
    out: &mut String,
    first_inline: bool,
    depth: usize,
    budget: &Cell<usize>,
) {
    let Value::Map(m) = v else { return };
    let mut entries: Vec<(String, Value)> = m
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    entries.sort_by(|a, b| key_less(&a.0, &b.0));
    for (i, (k, val)) in entries.iter().enumerate() {
        if i > 0 || !first_inline {
            pad(out, indent);
        }
        write_key(k, out);
        out.push(':');
        if depth > MAX_VALUE_DEPTH || out.len() > MAX_TEXT || !spend(budget) {
            out.push_str(" null\n");
            continue;
        }
        match val {
            Value::Map(_) if is_nonempty_collection(val) => {
                out.push('\n');
                write_map(val, indent + 2, out, false, depth + 1, budget);
            }
            Value::List(_) if is_nonempty_collection(val) => {
                out.push('\n');
                write_seq(val, indent, out, false, depth + 1, budget);
            }
            other => {
                out.push(' ');
                write_scalar(other, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

fn write_seq(
    v: &Value,
    indent: usize,
    out: &mut String,
    first_inline: bool,
    depth: usize,
    budget: &Cell<usize>,
) {
    let Value::List(l) = v else { return };
    for (i, item) in l.iter().enumerate() {
        if i > 0 || !first_inline {
            pad(out, indent);
        }
        out.push_str("- ");
        if depth > MAX_VALUE_DEPTH || out.len() > MAX_TEXT || !spend(budget) {
            out.push_str("null\n");
            continue;
        }
        match item {
            Value::Map(_) if is_nonempty_collection(item) => {
                write_map(item, indent + 2, out, true, depth + 1, budget);
            }
            Value::List(_) if is_nonempty_collection(item) => {
                write_seq(item, indent + 2, out, true, depth + 1, budget);
            }
            other => {
                write_scalar(other, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

fn write_key(k: &str, out: &mut String) {
    // Keys are simple keys: no folding, no block style.
    match choose_style(k) {
        Style::Plain => out.push_str(k),
        Style::Single => {
            out.push('\'');
            out.push_str(&k.replace('\'', "''"));
            out.push('\'');
        }
        Style::Double | Style::Literal => out.push_str(&go_quote(k)),
    }
}

fn column(out: &str) -> usize {
    out.rsplit('\n').next().map_or(0, |l| l.chars().count())
}

/// A scalar at the current position; `indent` is the indentation of continuation lines.
fn write_scalar(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Nil | Value::Native(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&yaml_float(*f)),
        Value::Map(_) => out.push_str("{}"),
        Value::List(_) => out.push_str("[]"),
        Value::Str(s) => write_string(s, indent, out),
    }
}

/// A float after the JSON round trip: integral values read back as integers.
fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    format_float_g(f)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// Whether a plain scalar would read back as something other than a string (YAML 1.1, as
/// go-yaml v2 resolves).
fn resolves_non_string(s: &str) -> bool {
    if matches!(
        s,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "y"
            | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | "<<"
    ) {
        return true;
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return false;
    }
    let t = s.replace('_', "");
    let body = t.trim_start_matches(['-', '+']);
    if body.is_empty() {
        return false;
    }
    if body.parse::<i64>().is_ok() || body.parse::<u64>().is_ok() {
        return true;
    }
    if let Some(h) = body.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(b) = body.strip_prefix("0b") {
        return !b.is_empty() && b.bytes().all(|c| c == b'0' || c == b'1');
    }
    // Base 60 (`1:20`).
    if body.contains(':')
        && body
            .split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    let float_like = body
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+'))
        && body.bytes().any(|c| c.is_ascii_digit());
    float_like && body.parse::<f64>().is_ok()
}

fn choose_style(s: &str) -> Style {
    if s.contains('\n') {
        return Style::Literal;
    }
    if resolves_non_string(s) {
        return Style::Double;
    }
    analyze(s)
}

/// libyaml's scalar analysis for a single-line string: plain, else single-quoted, else
/// double-quoted.
fn analyze(s: &str) -> Style {
    let chars: Vec<char> = s.chars().collect();
    let mut plain = true;
    if s.starts_with("---") || s.starts_with("...") {
        plain = false;
    }
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let followed_by_blank = next.is_none_or(|n| n == ' ' || n == '\t');
        if !(c == '\t' || c == ' ' || (c >= '\u{20}' && c != '\u{7f}' && c != '\u{feff}')) {
            // Non-printable: only double quotes can carry it.
            return Style::Double;
        }
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => plain = false,
                '?' | ':' | '-' if followed_by_blank => plain = false,
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => {}
                ':' if followed_by_blank => plain = false,
                '#' if chars[i - 1] == ' ' || chars[i - 1] == '\t' => plain = false,
                _ => {}
            }
        }
    }
    if chars.first().is_some_and(|c| *c == ' ') || chars.last().is_some_and(|c| *c == ' ') {
        plain = false;
    }
    if plain {
        Style::Plain
    } else {
        Style::Single
    }
}

fn write_string(s: &str, indent: usize, out: &mut String) {
    let mut style = choose_style(s);
    if style == Style::Literal {
        // Block style is not allowed with a space before a line break, trailing spaces, or
        // special characters: then double quotes.
        let space_break = s.contains(" \n") || s.contains("\t\n");
        let special = s.chars().any(|c| {
            !(c == '\n' || c == '\t' || (c >= '\u{20}' && c != '\u{7f}' && c != '\u{feff}'))
        });
        let trailing_space = s.ends_with(' ');
        if space_break || special || trailing_space {
            style = Style::Double;
        }
    }
    match style {
        Style::Plain => write_folded(s, indent, out, false),
        Style::Single => {
            out.push('\'');
            write_folded(&s.replace('\'', "''"), indent, out, true);
            out.push('\'');
        }
        Style::Double => write_double(s, indent, out),
        Style::Literal => write_literal(s, indent, out),
    }
}

/// A plain or single-quoted scalar, breaking at a single space once past column 80.
fn write_folded(s: &str, indent: usize, out: &mut String, quoted: bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut col = column(out);
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            let allowed = !spaces && col > BEST_WIDTH && !next_space;
            let allowed = allowed && (!quoted || (i != 0 && i + 1 != chars.len()));
            if allowed {
                out.push('\n');
                pad(out, indent);
                col = indent;
            } else {
                out.push(' ');
                col += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            col += 1;
            spaces = false;
        }
    }
}

fn write_double(s: &str, indent: usize, out: &mut String) {
    let q = go_quote(s);
    // go_quote gives Go escapes; YAML double quotes read the same ones we emit (\n, \t, \\, \").
    let inner = &q[1..q.len() - 1];
    out.push('"');
    let chars: Vec<char> = inner.chars().collect();
    let mut col = column(out);
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            if !spaces && col > BEST_WIDTH && i != 0 && i + 1 != chars.len() {
                out.push('\n');
                pad(out, indent);
                col = indent;
                if chars.get(i + 1) == Some(&' ') {
                    out.push('\\');
                    col += 1;
                }
            } else {
                out.push(' ');
                col += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            col += 1;
            spaces = false;
        }
    }
    out.push('"');
}

fn write_literal(s: &str, indent: usize, out: &mut String) {
    out.push('|');
    if s.starts_with(' ') || s.starts_with('\n') {
        out.push('2');
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = if trailing == 1 { &s[..s.len() - 1] } else { s };
    let body = if trailing > 1 {
        &body[..body.len() - 1]
    } else {
        body
    };
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn m(entries: &[(&str, Value)]) -> Value {
        Value::map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn helm_to_yaml_shapes() {
        let v = m(&[
            (
                "b",
                Value::list(vec![
                    Value::str("x"),
                    m(&[("k", Value::Float(1.0)), ("j", Value::Bool(true))]),
                ]),
            ),
            (
                "a",
                m(&[("n", Value::Nil), ("e", m(&[])), ("s", Value::str("true"))]),
            ),
            ("c", Value::str("line1\nline2\n")),
            ("d", Value::str("*")),
            ("f", Value::str("a: b")),
            ("g", Value::str("")),
        ]);
        assert_eq!(
            to_yaml(&v),
            "a:\n  e: {}\n  \"n\": null\n  s: \"true\"\nb:\n- x\n- j: true\n  k: 1\nc: |\n  line1\n  line2\nd: '*'\nf: 'a: b'\ng: \"\"\n"
        );
        assert_eq!(to_yaml(&Value::str("a\nb")), "|-\n  a\n  b\n");
        assert_eq!(to_yaml(&Value::str("8080")), "\"8080\"\n");
        assert_eq!(to_yaml(&Value::Float(0.5)), "0.5\n");
    }

    #[test]
    fn natural_key_order_and_folding() {
        let mut keys = vec!["a10", "a2", "B", "a", "1"];
        keys.sort_by(|a, b| key_less(a, b));
        assert_eq!(keys, ["1", "B", "a", "a2", "a10"]);
        let long = "word ".repeat(30);
        let y = to_yaml(&m(&[("k", Value::str(long.trim_end()))]));
        assert!(y.lines().count() > 1, "{y}");
        assert!(y.lines().nth(1).unwrap().starts_with("  word"));
    }
}
