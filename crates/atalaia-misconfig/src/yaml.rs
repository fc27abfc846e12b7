//! A YAML (and JSON, which YAML 1.2 contains) document tree that keeps line numbers.
//!
//! Built from `saphyr-parser` events. Every node records its first and last line; a mapping
//! entry's range runs from its key's line to the end of its value, which is the range Trivy
//! reports for a Kubernetes field. Aliases are expanded (with a node budget against
//! "billion laughs" inputs) and nesting depth is capped, so hostile input gives an error,
//! never a stack overflow.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 200;
/// Most nodes built from one file, aliases expanded.
pub const MAX_NODES: usize = 2_000_000;

/// A node with its 1-based line range.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// First line.
    pub start: usize,
    /// Last line (inclusive).
    pub end: usize,
}

/// A YAML value (core schema).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or empty.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (quoted, or plain and not another type).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

/// What can go wrong reading YAML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// The scanner or parser rejected the text.
    #[error("line {line}, column {col}: {info}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 0-based column.
        col: usize,
        /// The parser's description.
        info: String,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("line {line}: nesting deeper than {MAX_DEPTH}")]
    TooDeep {
        /// 1-based line.
        line: usize,
    },
    /// More than [`MAX_NODES`] nodes once aliases are expanded.
    #[error("more than {MAX_NODES} nodes (alias expansion)")]
    TooLarge,
    /// A mapping repeats a key (YAML requires unique keys; Trivy's parser rejects the file).
    #[error("line {line}: duplicate mapping key `{key}`")]
    DuplicateKey {
        /// 1-based line of the repeated key.
        line: usize,
        /// The key.
        key: String,
    },
    /// An alias to an anchor that was not defined.
    #[error("line {line}: unknown alias")]
    UnknownAlias {
        /// 1-based line.
        line: usize,
    },
}

impl Node {
    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key and value nodes under `key` when this is a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Follow a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The line range of the entry `key` (key line to end of value).
    pub fn entry_lines(&self, key: &str) -> Option<(usize, usize)> {
        self.entry(key).map(|(k, v)| (k.start, v.end.max(k.start)))
    }

    /// The string, when this is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar as text (strings, numbers, booleans), as Rego's `sprintf("%v")` would show it.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The integer value (floats with no fraction count).
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            #[allow(clippy::cast_possible_truncation)]
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }

    /// The number as a float.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The boolean value.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items when this is a sequence (empty otherwise).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entries when this is a mapping (empty otherwise).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(e) => e,
            _ => &[],
        }
    }

    /// Whether this is a mapping with no entry.
    pub fn is_empty_map(&self) -> bool {
        matches!(&self.value, Value::Map(e) if e.is_empty())
    }

    /// Rego truthiness of `obj[field]` in a rule body: present and not `false`/`null`.
    pub fn truthy(&self) -> bool {
        !matches!(self.value, Value::Bool(false) | Value::Null)
    }
}

fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let t = s.strip_prefix('+').unwrap_or(s);
    if let Ok(i) = t.parse::<i64>() {
        if t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return Value::Int(i);
        }
    }
    if let Some(h) = s.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(h, 16) {
            return Value::Int(i);
        }
    }
    if let Some(o) = s.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(o, 8) {
            return Value::Int(i);
        }
    }
    let looks_float = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        if let Ok(f) = t.parse::<f64>() {
            return Value::Float(f);
        }
    }
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        _ => Value::Str(s.to_string()),
    }
}

fn end_line(span: &Span) -> usize {
    let (s, e) = (span.start.line(), span.end.line());
    if e > s && span.end.col() == 0 {
        e - 1
    } else {
        e.max(s)
    }
}

enum Frame {
    Seq {
        tag: Option<String>,
        anchor: usize,
        start: usize,
        flow: bool,
        items: Vec<Node>,
    },
    Map {
        tag: Option<String>,
        anchor: usize,
        start: usize,
        flow: bool,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

fn count_nodes(n: &Node) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(e) => {
            1 + e
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// YAML counts a lone `\r` as a line break (old Mac line endings); this turns each into `\n`
/// so that line numbers and the lines of the text agree. `\r\n` is left alone.
pub fn normalize_line_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Parse every document of a YAML stream. Empty documents are `Null` nodes. Line numbers
/// count a lone `\r` as a line break, as YAML does (see [`normalize_line_breaks`]).
pub fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    parse_inner(text, false)
}

/// Parse every document of a YAML stream, turning CloudFormation's short-form local tags
/// (`!Ref X`, `!Sub s`, `!GetAtt a.b`, `!If [...]`...) into their long forms
/// (`{Ref: X}`, `{Fn::Sub: s}`...), as CloudFormation reads them.
pub fn parse_documents_cfn(text: &str) -> Result<Vec<Node>, YamlError> {
    parse_inner(text, true)
}

fn local_tag(tag: Option<&saphyr_parser::Tag>, cfn: bool) -> Option<String> {
    let t = tag?;
    (cfn && t.handle == "!" && !t.suffix.is_empty()).then(|| t.suffix.clone())
}

fn wrap_tag(node: Node, tag: Option<String>) -> Node {
    let Some(name) = tag else { return node };
    let key = match name.as_str() {
        "Ref" | "Condition" => name,
        _ => format!("Fn::{name}"),
    };
    let (start, end) = (node.start, node.end);
    Node {
        value: Value::Map(vec![(
            Node {
                value: Value::Str(key),
                start,
                end: start,
            },
            node,
        )]),
        start,
        end,
    }
}

fn parse_inner(text: &str, cfn: bool) -> Result<Vec<Node>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    while let Some(ev) = parser.next_event() {
        let (ev, span) = ev.map_err(|e| YamlError::Syntax {
            line: e.marker().line(),
            col: e.marker().col(),
            info: e.info().to_string(),
        })?;
        let line = span.start.line();
        let complete: Option<(Node, usize)> = match ev {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                anchors.clear();
                root = None;
                None
            }
            Event::DocumentEnd => {
                docs.push(root.take().unwrap_or(Node {
                    value: Value::Null,
                    start: line,
                    end: line,
                }));
                None
            }
            Event::Alias(id) => {
                let n = anchors
                    .get(&id)
                    .cloned()
                    .ok_or(YamlError::UnknownAlias { line })?;
                nodes += count_nodes(&n);
                if nodes > MAX_NODES {
                    return Err(YamlError::TooLarge);
                }
                Some((n, 0))
            }
            Event::Scalar(v, style, anchor, tag) => {
                let tag = local_tag(tag.as_deref(), cfn);
                // A block scalar's span starts on its first content line; CloudFormation
                // tools (and Trivy) place it on its `|` / `>` indicator's line.
                let line = if cfn && matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    line.saturating_sub(1).max(1)
                } else {
                    line
                };
                let value = if style == ScalarStyle::Plain && tag.is_none() {
                    resolve_plain(&v)
                } else {
                    Value::Str(v.into_owned())
                };
                Some((
                    wrap_tag(
                        Node {
                            value,
                            start: line,
                            end: end_line(&span),
                        },
                        tag,
                    ),
                    anchor,
                ))
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError::TooDeep { line });
                }
                stack.push(Frame::Seq {
                    tag: local_tag(tag.as_deref(), cfn),
                    anchor,
                    start: line,
                    flow: false,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError::TooDeep { line });
                }
                stack.push(Frame::Map {
                    tag: local_tag(tag.as_deref(), cfn),
                    anchor,
                    start: line,
                    flow: false,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            // A flow collection's end event covers its closing bracket (a non-empty span);
            // a block collection's is empty.
            Event::SequenceEnd | Event::MappingEnd => match stack.pop().map(|mut f| {
                let closing = !span.is_empty();
                match &mut f {
                    Frame::Seq { flow, .. } | Frame::Map { flow, .. } => *flow = closing,
                }
                f
            }) {
                Some(Frame::Seq {
                    tag,
                    anchor,
                    start,
                    flow,
                    items,
                }) => {
                    let content_end = items
                        .iter()
                        .map(|n| n.end)
                        .max()
                        .unwrap_or_else(|| end_line(&span).max(start));
                    let end = if flow {
                        content_end.max(span.start.line())
                    } else {
                        content_end
                    };
                    Some((
                        wrap_tag(
                            Node {
                                value: Value::Seq(items),
                                start,
                                end,
                            },
                            tag,
                        ),
                        anchor,
                    ))
                }
                Some(Frame::Map {
                    tag,
                    anchor,
                    start,
                    flow,
                    entries,
                    ..
                }) => {
                    let content_end = entries
                        .iter()
                        .map(|(k, v)| k.end.max(v.end))
                        .max()
                        .unwrap_or_else(|| end_line(&span).max(start));
                    let end = if flow {
                        content_end.max(span.start.line())
                    } else {
                        content_end
                    };
                    Some((
                        wrap_tag(
                            Node {
                                value: Value::Map(entries),
                                start,
                                end,
                            },
                            tag,
                        ),
                        anchor,
                    ))
                }
                None => None,
            },
        };
        if let Some((node, anchor)) = complete {
            nodes += 1;
            if nodes > MAX_NODES {
                return Err(YamlError::TooLarge);
            }
            if anchor != 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    Some(k) => {
                        // `<<: *anchor` merges the anchored mapping's entries.
                        if k.as_str() == Some("<<") {
                            merge_into(entries, node);
                        } else if entries.iter().any(|(ek, _)| ek.value == k.value) {
                            return Err(YamlError::DuplicateKey {
                                line: k.start,
                                key: k
                                    .scalar_text()
                                    .unwrap_or_default()
                                    .chars()
                                    .take(60)
                                    .collect(),
                            });
                        } else {
                            entries.push((k, node));
                        }
                    }
                    None => *key = Some(node),
                },
                None => root = Some(node),
            }
        }
    }
    Ok(docs)
}

fn merge_into(entries: &mut Vec<(Node, Node)>, node: Node) {
    let sources = match node.value {
        Value::Map(e) => vec![e],
        Value::Seq(items) => items
            .into_iter()
            .filter_map(|n| match n.value {
                Value::Map(e) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for src in sources {
        for (k, v) in src {
            if !entries.iter().any(|(ek, _)| ek.value == k.value) {
                entries.push((k, v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_nodes_and_entries() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx\n    ports:\n    - containerPort: 80\n";
        let docs = parse_documents(text).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.entry_lines("spec"), Some((5, 10)));
        let c = &d.path(&["spec", "containers"]).unwrap().items()[0];
        assert_eq!((c.start, c.end), (7, 10));
        assert_eq!(
            c.path(&["ports"]).unwrap().items()[0]
                .get("containerPort")
                .unwrap()
                .as_i64(),
            Some(80)
        );
    }

    #[test]
    fn multi_document_json_and_anchors() {
        let docs = parse_documents("---\na: &x {b: 1}\nc: *x\n---\n{\"k\": [true, null, \"s\"]}\n")
            .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].path(&["c", "b"]).unwrap().as_i64(), Some(1));
        let k = docs[1].get("k").unwrap().items();
        assert_eq!(k[0].as_bool(), Some(true));
        assert_eq!(k[1].value, Value::Null);
        assert_eq!(k[2].as_str(), Some("s"));
    }

    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let t = "a: 1\rb:\r  c: 2\r";
        let n = normalize_line_breaks(t);
        assert_eq!(n, "a: 1\nb:\n  c: 2\n");
        assert_eq!(
            parse_documents(&n).unwrap()[0].entry_lines("b"),
            Some((2, 3))
        );
        assert_eq!(normalize_line_breaks("a\r\nb"), "a\r\nb");
    }

    #[test]
    fn block_scalar_end_line() {
        let docs = parse_documents("a: |\n  one\n  two\nb: 1\n").unwrap();
        assert_eq!(docs[0].entry_lines("a"), Some((1, 3)));
    }

    #[test]
    fn malformed_inputs_are_errors_not_panics() {
        let deep = "[".repeat(10_000);
        let laughs = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
        for bad in [
            "a: [1, 2",
            "a: b: c",
            "*unknown",
            "key: 'unterminated",
            "{{{{",
            "a: 1\nb: 2\na: 3\n",
            deep.as_str(),
            laughs,
        ] {
            assert!(parse_documents(bad).is_err(), "{bad:.40}");
        }
    }
}
