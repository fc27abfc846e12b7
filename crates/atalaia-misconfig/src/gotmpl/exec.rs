//! The executor: walks the parsed nodes with a dot value and a variable stack.

use std::collections::HashMap;
use std::rc::Rc;

use super::funcs;
use super::parse::{self, Branch, Cmd, Node, Operand, Parsed, Pipe, Term};
use super::value::{Native, Value};
use super::{TemplateError, TemplateSet};

/// Budgets of one render.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Deepest nesting of `include`/`template`/`tpl` calls (Helm stops at 1000; a chart that
    /// recurses this deep is looping).
    pub max_depth: usize,
    /// Most bytes one template may produce (also caps every intermediate string).
    pub max_output: usize,
    /// Most nodes and commands executed in one render.
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 64,
            max_output: 16 << 20,
            max_steps: 20_000_000,
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) struct Exec {
    templates: HashMap<String, Rc<Vec<Node>>>,
    vars: Vec<(String, Value)>,
    limits: Limits,
    depth: usize,
    steps: u64,
    /// Name of the template being executed, for error messages.
    name: String,
    /// Counter for deterministic "random" functions.
    pub(crate) rand_state: u64,
    tpl_count: usize,
}

type R<T> = Result<T, TemplateError>;

/// The first function a parsed file names that the engine does not know.
pub(crate) fn unknown_function(p: &Parsed) -> Option<String> {
    fn nodes(list: &[Node]) -> Option<String> {
        list.iter().find_map(|n| match n {
            Node::Action(p) => pipe(p),
            Node::If(b) | Node::With(b) | Node::Range(b) => pipe(&b.pipe)
                .or_else(|| nodes(&b.body))
                .or_else(|| b.els.as_deref().and_then(nodes)),
            Node::Template { pipe: Some(p), .. } => pipe(p),
            _ => None,
        })
    }
    fn pipe(p: &Pipe) -> Option<String> {
        p.cmds
            .iter()
            .flat_map(|c| &c.args)
            .find_map(|a| match &a.term {
                Term::Ident(name) if !funcs::is_known_function(name) => Some(name.clone()),
                Term::Sub(p) => pipe(p),
                _ => None,
            })
    }
    nodes(&p.root).or_else(|| p.defines.iter().find_map(|(_, b)| nodes(b)))
}

impl Exec {
    pub(crate) fn new(set: &TemplateSet, limits: Limits) -> Exec {
        Exec {
            templates: set.templates.clone(),
            vars: Vec::new(),
            limits,
            depth: 0,
            steps: 0,
            name: String::new(),
            rand_state: 0x9e37_79b9_7f4a_7c15,
            tpl_count: 0,
        }
    }

    pub(crate) fn render(&mut self, name: &str, data: &Value) -> R<String> {
        let mut out = String::new();
        self.call_template(name, data, &mut out, 0)?;
        Ok(out)
    }

    fn err(&self, line: usize, msg: impl Into<String>) -> TemplateError {
        TemplateError::Exec {
            name: self.name.clone(),
            line,
            msg: msg.into(),
        }
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(TemplateError::Limit(format!(
                "more than {} execution steps",
                self.limits.max_steps
            )));
        }
        Ok(())
    }

    fn check_len(&self, len: usize) -> R<()> {
        if len > self.limits.max_output {
            return Err(TemplateError::Limit(format!(
                "output larger than {} bytes",
                self.limits.max_output
            )));
        }
        Ok(())
    }

    fn call_template(&mut self, name: &str, dot: &Value, out: &mut String, line: usize) -> R<()> {
        let Some(body) = self.templates.get(name).cloned() else {
            return Err(self.err(
                line,
                format!("no template {name:?} associated with template"),
            ));
        };
        if self.depth >= self.limits.max_depth {
            return Err(TemplateError::Limit(format!(
                "template calls nested deeper than {} (at {name:?})",
                self.limits.max_depth
            )));
        }
        self.depth += 1;
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".to_string(), dot.clone())]);
        let saved_name = std::mem::replace(&mut self.name, name.to_string());
        let r = self.list(&body, dot, out);
        self.vars = saved_vars;
        self.name = saved_name;
        self.depth -= 1;
        match r? {
            Flow::Normal => Ok(()),
            Flow::Break | Flow::Continue => Err(self.err(line, "break or continue outside range")),
        }
    }

    fn list(&mut self, nodes: &[Node], dot: &Value, out: &mut String) -> R<Flow> {
        for n in nodes {
            self.step()?;
            match n {
                Node::Text(t) => {
                    out.push_str(t);
                    self.check_len(out.len())?;
                }
                Node::Action(p) => {
                    let v = self.pipe(p, dot)?;
                    if p.decl.is_empty() {
                        print_value(out, &v);
                        self.check_len(out.len())?;
                    }
                }
                Node::If(b) => {
                    let mark = self.vars.len();
                    let v = self.pipe(&b.pipe, dot)?;
                    let flow = if v.truthy() {
                        self.list(&b.body, dot, out)
                    } else if let Some(els) = &b.els {
                        self.list(els, dot, out)
                    } else {
                        Ok(Flow::Normal)
                    };
                    self.vars.truncate(mark);
                    match flow? {
                        Flow::Normal => {}
                        f => return Ok(f),
                    }
                }
                Node::With(b) => {
                    let mark = self.vars.len();
                    let v = self.pipe(&b.pipe, dot)?;
                    let flow = if v.truthy() {
                        self.list(&b.body, &v, out)
                    } else if let Some(els) = &b.els {
                        self.list(els, dot, out)
                    } else {
                        Ok(Flow::Normal)
                    };
                    self.vars.truncate(mark);
                    match flow? {
                        Flow::Normal => {}
                        f => return Ok(f),
                    }
                }
                Node::Range(b) => {
                    if let Some(f) = self.range(b, dot, out)? {
                        return Ok(f);
                    }
                }
                Node::Template { name, pipe, line } => {
                    let data = match pipe {
                        Some(p) => self.pipe(p, dot)?,
                        None => Value::Nil,
                    };
                    self.call_template(name, &data, out, *line)?;
                }
                Node::Break(line) | Node::Continue(line) => {
                    let _ = line;
                    return Ok(if matches!(n, Node::Break(_)) {
                        Flow::Break
                    } else {
                        Flow::Continue
                    });
                }
            }
        }
        Ok(Flow::Normal)
    }

    /// Returns `Some(flow)` only to propagate nothing: `break`/`continue` stop at the range.
    fn range(&mut self, b: &Branch, dot: &Value, out: &mut String) -> R<Option<Flow>> {
        let mark = self.vars.len();
        let v = self.cmds(&b.pipe, dot)?;
        let items: Vec<(Value, Value)> = match &v {
            Value::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, e)| (Value::Int(i64::try_from(i).unwrap_or(i64::MAX)), e.clone()))
                .collect(),
            Value::Map(m) => m
                .borrow()
                .iter()
                .map(|(k, e)| (Value::str(k), e.clone()))
                .collect(),
            Value::Int(n) => {
                if *n > 10_000_000 {
                    return Err(TemplateError::Limit(format!("range over {n}")));
                }
                (0..(*n).max(0))
                    .map(|i| (Value::Int(i), Value::Int(i)))
                    .collect()
            }
            Value::Nil => Vec::new(),
            other => {
                return Err(self.err(
                    b.pipe.line,
                    format!("range can't iterate over {}", other.to_go_string()),
                ))
            }
        };
        if items.is_empty() {
            if let Some(els) = &b.els {
                let f = self.list(els, dot, out)?;
                self.vars.truncate(mark);
                return Ok(match f {
                    Flow::Normal => None,
                    f => Some(f),
                });
            }
            return Ok(None);
        }
        for (k, e) in items {
            self.vars.truncate(mark);
            match b.pipe.decl.as_slice() {
                [one] => self.vars.push((one.clone(), e.clone())),
                [a, c] => {
                    self.vars.push((a.clone(), k));
                    self.vars.push((c.clone(), e.clone()));
                }
                _ => {}
            }
            match self.list(&b.body, &e, out)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.vars.truncate(mark);
        Ok(None)
    }

    /// Evaluate a pipeline and apply its declarations.
    fn pipe(&mut self, p: &Pipe, dot: &Value) -> R<Value> {
        let v = self.cmds(p, dot)?;
        if let Some(name) = p.decl.first() {
            if p.assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v.clone(),
                    None => return Err(self.err(p.line, format!("undefined variable: {name}"))),
                }
            } else {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    /// Evaluate the commands of a pipeline, each result piped into the next as last argument.
    fn cmds(&mut self, p: &Pipe, dot: &Value) -> R<Value> {
        let mut piped: Option<Value> = None;
        for c in &p.cmds {
            self.step()?;
            piped = Some(self.cmd(c, dot, piped, p.line)?);
        }
        Ok(piped.unwrap_or_default())
    }

    fn cmd(&mut self, c: &Cmd, dot: &Value, piped: Option<Value>, line: usize) -> R<Value> {
        let first = &c.args[0];
        if let (Term::Ident(name), true) = (&first.term, first.chain.is_empty()) {
            return self.call(name, &c.args[1..], dot, piped, line);
        }
        if c.args.len() == 1 && piped.is_none() {
            return self.operand(first, dot, line);
        }
        // A method call: `.Files.Get "x"`, `.Capabilities.APIVersions.Has "y"`.
        let Some((method, path)) = first.chain.split_last() else {
            return Err(self.err(
                line,
                format!("can't give argument to non-function {}", describe(first)),
            ));
        };
        let recv = Operand {
            term: first.term.clone(),
            chain: path.to_vec(),
        };
        let recv = self.operand(&recv, dot, line)?;
        let mut args = Vec::with_capacity(c.args.len());
        for a in &c.args[1..] {
            args.push(self.operand(a, dot, line)?);
        }
        args.extend(piped);
        self.method(&recv, method, &args, line)
    }

    fn operand(&mut self, op: &Operand, dot: &Value, line: usize) -> R<Value> {
        let mut v = match &op.term {
            Term::Dot => dot.clone(),
            Term::Var(name) => self
                .vars
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| self.err(line, format!("undefined variable: {name}")))?,
            Term::Lit(v) => v.clone(),
            Term::Sub(p) => self.cmds(p, dot)?,
            Term::Ident(name) => self.call(name, &[], dot, None, line)?,
        };
        for (i, f) in op.chain.iter().enumerate() {
            // Go: a nil that is not the result of a lookup in this chain (a variable, a
            // parenthesised pipeline, dot) is an invalid value, and fields of it are nil; a
            // nil found by a lookup is a nil interface, and a field of it is an error.
            if i == 0 && matches!(v, Value::Nil) {
                return Ok(Value::Nil);
            }
            v = self.field(&v, f, line)?;
        }
        Ok(v)
    }

    fn field(&mut self, v: &Value, name: &str, line: usize) -> R<Value> {
        match v {
            Value::Map(m) => Ok(m.borrow().get(name).cloned().unwrap_or_default()),
            Value::Nil => Err(self.err(
                line,
                format!("nil pointer evaluating interface {{}}.{name}"),
            )),
            Value::Native(_) => self.method(v, name, &[], line),
            other => Err(self.err(
                line,
                format!("can't evaluate field {name} in type {}", other.type_name()),
            )),
        }
    }

    fn method(&mut self, recv: &Value, name: &str, args: &[Value], line: usize) -> R<Value> {
        let Value::Native(n) = recv else {
            if args.is_empty() {
                return self.field(recv, name, line);
            }
            return Err(self.err(line, format!("{name} is not a method but has arguments")));
        };
        let arg_str = |i: usize| args.get(i).map(Value::to_go_string).unwrap_or_default();
        match (&**n, name) {
            (Native::ApiVersions(list), "Has") => {
                let want = arg_str(0);
                Ok(Value::Bool(list.contains(&want)))
            }
            (Native::Files(files), "Get") => {
                let want = arg_str(0);
                Ok(files
                    .iter()
                    .find(|(p, _)| *p == want)
                    .map(|(_, b)| Value::str(String::from_utf8_lossy(b)))
                    .unwrap_or_else(|| Value::str("")))
            }
            (Native::Files(files), "GetBytes") => {
                let want = arg_str(0);
                Ok(files
                    .iter()
                    .find(|(p, _)| *p == want)
                    .map(|(_, b)| {
                        Value::list(b.iter().map(|x| Value::Int(i64::from(*x))).collect())
                    })
                    .unwrap_or_else(|| Value::list(Vec::new())))
            }
            (Native::Files(files), "Lines") => {
                let want = arg_str(0);
                let text = files
                    .iter()
                    .find(|(p, _)| *p == want)
                    .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                Ok(Value::list(
                    text.split('\n').map(Value::str).collect::<Vec<_>>(),
                ))
            }
            (Native::Files(files), "Glob") => {
                let pat = arg_str(0);
                let re = glob_regex(&pat).map_err(|e| self.err(line, e))?;
                Ok(Value::Native(Rc::new(Native::Files(
                    files
                        .iter()
                        .filter(|(p, _)| re.is_match(p))
                        .cloned()
                        .collect(),
                ))))
            }
            (Native::Files(files), "AsConfig" | "AsSecrets") => {
                let secret = name == "AsSecrets";
                let mut m = std::collections::BTreeMap::new();
                for (p, b) in files {
                    let base = p.rsplit('/').next().unwrap_or(p).to_string();
                    let v = if secret {
                        funcs::b64_encode(b)
                    } else {
                        String::from_utf8_lossy(b).into_owned()
                    };
                    m.insert(base, Value::str(v));
                }
                Ok(Value::str(super::yamlout::to_yaml(&Value::map(m))))
            }
            _ => Err(self.err(
                line,
                format!("can't evaluate field {name} in type {}", recv.type_name()),
            )),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Operand],
        dot: &Value,
        piped: Option<Value>,
        line: usize,
    ) -> R<Value> {
        // Lazy boolean operators (Go 1.18+).
        if name == "and" || name == "or" {
            let n = args.len() + usize::from(piped.is_some());
            if n == 0 {
                return Err(self.err(line, format!("wrong number of args for {name}")));
            }
            let mut last = Value::Nil;
            for a in args {
                last = self.operand(a, dot, line)?;
                if (name == "and") != last.truthy() {
                    return Ok(last);
                }
            }
            if let Some(p) = piped {
                last = p;
            }
            return Ok(last);
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        for a in args {
            vals.push(self.operand(a, dot, line)?);
        }
        vals.extend(piped);
        match name {
            "include" => {
                let tname = vals.first().map(Value::to_go_string).unwrap_or_default();
                let data = vals.get(1).cloned().unwrap_or_default();
                let mut out = String::new();
                self.call_template(&tname, &data, &mut out, line)?;
                Ok(Value::str(out))
            }
            "tpl" => {
                let src = vals.first().map(Value::to_go_string).unwrap_or_default();
                let data = vals.get(1).cloned().unwrap_or_default();
                self.tpl(&src, &data, line)
            }
            "required" => {
                let msg = vals.first().map(Value::to_go_string).unwrap_or_default();
                match vals.get(1) {
                    None | Some(Value::Nil) => Err(TemplateError::Fail(msg)),
                    Some(Value::Str(s)) if s.is_empty() => Err(TemplateError::Fail(msg)),
                    Some(v) => Ok(v.clone()),
                }
            }
            "fail" => Err(TemplateError::Fail(
                vals.first().map(Value::to_go_string).unwrap_or_default(),
            )),
            _ => {
                let r = funcs::call(self, name, &vals)
                    .map_err(|msg| self.err(line, format!("error calling {name}: {msg}")))?;
                match &r {
                    Value::Str(s) => self.check_len(s.len())?,
                    Value::List(l) if l.len() as u64 > funcs::MAX_LIST as u64 => {
                        return Err(TemplateError::Limit(format!(
                            "list longer than {} items",
                            funcs::MAX_LIST
                        )))
                    }
                    _ => {}
                }
                Ok(r)
            }
        }
    }

    fn tpl(&mut self, src: &str, data: &Value, line: usize) -> R<Value> {
        self.tpl_count += 1;
        let name = format!("{}/tpl#{}", self.name, self.tpl_count);
        let parsed = parse::parse(&name, src)?;
        if let Some(func) = unknown_function(&parsed) {
            return Err(TemplateError::UnknownFunction { name, func });
        }
        for (n, body) in parsed.defines {
            self.templates.insert(n, body);
        }
        self.templates.insert(name.clone(), Rc::new(parsed.root));
        let mut out = String::new();
        let r = self.call_template(&name, data, &mut out, line);
        self.templates.remove(&name);
        r?;
        Ok(Value::str(out))
    }
}

fn describe(op: &Operand) -> String {
    match &op.term {
        Term::Lit(v) => v.to_go_string(),
        Term::Var(n) => n.clone(),
        _ => ".".to_string(),
    }
}

/// How an action prints its value: Go's `fmt.Print`, with `nil` printed as nothing (Go
/// prints `<no value>`, which Helm removes).
fn print_value(out: &mut String, v: &Value) {
    match v {
        Value::Nil => {}
        Value::Str(s) => out.push_str(s),
        v => out.push_str(&v.to_go_string()),
    }
}

/// A glob (`*`, `?`, `**`, `[...]`, `{a,b}`) as an anchored regex, as Helm's `.Files.Glob`.
fn glob_regex(pat: &str) -> Result<regex::Regex, String> {
    let mut re = String::from("^");
    let mut chars = pat.chars().peekable();
    let mut in_brace = false;
    while let Some(c) = chars.next() {
        match c {
            '*' => {
                if chars.peek() == Some(&'*') {
                    chars.next();
                    re.push_str(".*");
                } else {
                    re.push_str("[^/]*");
                }
            }
            '?' => re.push_str("[^/]"),
            '{' => {
                in_brace = true;
                re.push_str("(?:");
            }
            '}' if in_brace => {
                in_brace = false;
                re.push(')');
            }
            ',' if in_brace => re.push('|'),
            '[' => {
                re.push('[');
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    if d == '\\' {
                        re.push_str("\\\\");
                    } else {
                        re.push(d);
                    }
                }
                re.push(']');
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|e| format!("bad glob {pat:?}: {e}"))
}
