//! Terraform / OpenTofu: HCL files of one module (a directory) parsed with line numbers kept,
//! `variable` defaults, `.tfvars`, `locals`, string interpolation, `count`/`for_each` and
//! `dynamic` blocks over known values evaluated. Whatever depends on something only known at
//! apply time (another resource's attributes, data sources, a variable with no value) stays
//! [`V::Unknown`] and never makes a check fail by itself.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use hcl_edit::expr::{
    BinaryOperator, Expression, FuncCall, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, StringTemplate};
use hcl_edit::Span;

/// A 1-based inclusive line range.
pub type Lines = (usize, usize);

/// An evaluated value.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Not known before apply.
    Unknown,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// A list, tuple or set.
    List(Vec<V>),
    /// A map or object.
    Map(BTreeMap<String, V>),
}

impl V {
    /// The string form of a known scalar (numbers and booleans as Terraform prints them).
    pub fn text(&self) -> Option<String> {
        match self {
            V::Str(s) => Some(s.clone()),
            V::Num(n) => Some(num_text(*n)),
            V::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Known true (`true` or `"true"`).
    pub fn is_true(&self) -> bool {
        matches!(self, V::Bool(true)) || matches!(self, V::Str(s) if s == "true")
    }

    /// Known false.
    pub fn is_false(&self) -> bool {
        matches!(self, V::Bool(false)) || matches!(self, V::Str(s) if s == "false")
    }

    /// The number, when known (numeric strings too).
    pub fn num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            V::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Whether anything in it is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            V::Unknown => true,
            V::List(l) => l.iter().any(V::has_unknown),
            V::Map(m) => m.values().any(V::has_unknown),
            _ => false,
        }
    }
}

#[allow(clippy::cast_possible_truncation)]
fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// An evaluated attribute.
#[derive(Debug, Clone)]
pub struct Attr {
    /// Its value.
    pub v: V,
    /// The lines of the whole attribute.
    pub lines: Lines,
    /// The resources its expression refers to (`aws_s3_bucket.b`), for joins.
    pub refs: Vec<String>,
}

/// An evaluated block body.
#[derive(Debug, Clone, Default)]
pub struct TfBody {
    /// Attributes, in source order.
    pub attrs: Vec<(String, Attr)>,
    /// Nested blocks (dynamic blocks expanded), in source order.
    pub blocks: Vec<TfBlock>,
}

/// An evaluated nested block.
#[derive(Debug, Clone)]
pub struct TfBlock {
    /// Its type (`ingress`, `settings`...).
    pub kind: String,
    /// Its lines.
    pub lines: Lines,
    /// Its body.
    pub body: TfBody,
}

impl TfBody {
    /// The attribute `name`, when set (and not null).
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs
            .iter()
            .find(|(k, a)| k == name && a.v != V::Null)
            .map(|(_, a)| a)
    }

    /// The first nested block of type `kind`.
    pub fn block(&self, kind: &str) -> Option<&TfBlock> {
        self.blocks.iter().find(|b| b.kind == kind)
    }

    /// Every nested block of type `kind`.
    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a TfBlock> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

/// One resource instance.
#[derive(Debug, Clone)]
pub struct TfResource {
    /// `aws_s3_bucket`...
    pub rtype: String,
    /// Its name label.
    pub name: String,
    /// The file it is in (as given to [`Module::add_file`]).
    pub file: String,
    /// The lines of the whole block.
    pub lines: Lines,
    /// Its evaluated body.
    pub body: TfBody,
}

impl TfResource {
    /// `type.name`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.rtype, self.name)
    }
}

/// A parse error of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file.
    pub file: String,
    /// The parser's message.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

struct File {
    name: String,
    body: Body,
    line_starts: Vec<usize>,
}

impl File {
    fn line_of(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn lines(&self, span: Option<std::ops::Range<usize>>) -> Lines {
        match span {
            Some(r) => {
                let end = if r.end > r.start { r.end - 1 } else { r.start };
                (self.line_of(r.start), self.line_of(end))
            }
            None => (0, 0),
        }
    }
}

/// The files of one module (one directory).
#[derive(Default)]
pub struct Module {
    files: Vec<File>,
    tfvars: Vec<Body>,
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module")
            .field(
                "files",
                &self.files.iter().map(|x| &x.name).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Parse HCL text, turning the parser's error into a message.
fn parse_hcl(name: &str, text: &str) -> Result<Body, ParseError> {
    // The parser recurses on nesting: refuse absurdly deep input instead of overflowing.
    let mut depth = 0usize;
    for b in text.bytes() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > 200 {
                    return Err(ParseError {
                        file: name.to_string(),
                        message: "nesting too deep".into(),
                    });
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    text.parse::<Body>().map_err(|e| ParseError {
        file: name.to_string(),
        message: e
            .to_string()
            .lines()
            .next()
            .unwrap_or("syntax error")
            .to_string(),
    })
}

impl Module {
    /// Add a `.tf` file.
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        let body = parse_hcl(name, text)?;
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files.push(File {
            name: name.to_string(),
            body,
            line_starts,
        });
        Ok(())
    }

    /// Add a `.tfvars` file (values for the module's variables).
    pub fn add_tfvars(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        self.tfvars.push(parse_hcl(name, text)?);
        Ok(())
    }

    /// The `source` of every `module` block that is a literal string.
    pub fn module_sources(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|f| f.body.get_blocks("module"))
            .filter_map(|b| match &b.body.get_attribute("source")?.value {
                Expression::String(s) => Some(s.value().clone()),
                _ => None,
            })
            .collect()
    }

    /// Evaluate the module as a root module: every resource instance, in file order.
    pub fn resources(&self) -> Vec<TfResource> {
        self.evaluate(None).0
    }

    /// Evaluate the module, with `inputs` for its variables when it is called from another
    /// module: its resource instances, and the calls it makes to other modules (`source`
    /// and the evaluated arguments).
    pub fn evaluate(
        &self,
        inputs: Option<&BTreeMap<String, V>>,
    ) -> (Vec<TfResource>, Vec<ModuleCall>) {
        let mut scope = Scope {
            budget: std::rc::Rc::new(std::cell::Cell::new(BUDGET)),
            ..Scope::default()
        };
        for f in &self.files {
            for b in f.body.get_blocks("variable") {
                let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                let v = b
                    .body
                    .get_attribute("default")
                    .map_or(V::Unknown, |a| scope.eval(&a.value, 0));
                std::rc::Rc::make_mut(&mut scope.vars).insert(name, v);
            }
        }
        match inputs {
            Some(inputs) => {
                for (k, v) in inputs {
                    std::rc::Rc::make_mut(&mut scope.vars).insert(k.clone(), v.clone());
                }
            }
            None => {
                for tv in &self.tfvars {
                    for a in tv.attributes() {
                        let v = scope.eval(&a.value, 0);
                        std::rc::Rc::make_mut(&mut scope.vars)
                            .insert(a.key.as_str().to_string(), v);
                    }
                }
            }
        }
        // Locals may refer to each other: a few passes settle them.
        let locals: Vec<(&str, &Expression)> = self
            .files
            .iter()
            .flat_map(|f| f.body.get_blocks("locals"))
            .flat_map(|b| b.body.attributes())
            .map(|a| (a.key.as_str(), &a.value))
            .collect();
        for _ in 0..4 {
            for (k, e) in &locals {
                let v = scope.eval(e, 0);
                std::rc::Rc::make_mut(&mut scope.locals).insert((*k).to_string(), v);
            }
        }
        let mut out = Vec::new();
        let mut calls = Vec::new();
        for f in &self.files {
            for b in f.body.get_blocks("module") {
                let Some(source) = b
                    .body
                    .get_attribute("source")
                    .and_then(|a| scope.eval(&a.value, 0).text())
                else {
                    continue;
                };
                for inst in instances(&scope, b) {
                    let inputs = b
                        .body
                        .attributes()
                        .filter(|a| {
                            !matches!(
                                a.key.as_str(),
                                "source"
                                    | "version"
                                    | "count"
                                    | "for_each"
                                    | "providers"
                                    | "depends_on"
                            )
                        })
                        .map(|a| (a.key.as_str().to_string(), inst.eval(&a.value, 0)))
                        .collect();
                    calls.push(ModuleCall {
                        from_file: f.name.clone(),
                        source: source.clone(),
                        inputs,
                    });
                }
            }
            for b in f.body.get_blocks("resource") {
                let (Some(t), Some(n)) = (b.labels.first(), b.labels.get(1)) else {
                    continue;
                };
                for inst in instances(&scope, b) {
                    out.push(TfResource {
                        rtype: t.as_str().to_string(),
                        name: n.as_str().to_string(),
                        file: f.name.clone(),
                        lines: f.lines(b.span()),
                        body: inst.body(f, &b.body, 0),
                    });
                }
            }
        }
        (out, calls)
    }
}

/// A call to another module.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    /// The calling file.
    pub from_file: String,
    /// `source`, e.g. `../../`.
    pub source: String,
    /// The evaluated arguments.
    pub inputs: BTreeMap<String, V>,
}

/// The scopes of the instances of a resource: none when `count` is known 0 or `for_each`
/// known empty; one per element when known (at most 64); otherwise one, with `count.index`
/// 0 or an unknown `each`.
fn instances(scope: &Scope, b: &Block) -> Vec<Scope> {
    if let Some(c) = b.body.get_attribute("count") {
        return match scope.eval(&c.value, 0).num() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(n) if n >= 0.0 => (0..(n as usize).min(64))
                .map(|i| scope.with_count(V::Num(i as f64)))
                .collect(),
            Some(_) => Vec::new(),
            // As Trivy does: a count only known at apply time is one instance, the first.
            // Its attributes are then what they are for `count.index = 0`; whatever else
            // they depend on stays unknown.
            None => vec![scope.with_count(V::Num(0.0))],
        };
    }
    if let Some(fe) = b.body.get_attribute("for_each") {
        return match scope.eval(&fe.value, 0) {
            V::Map(m) => m
                .into_iter()
                .take(64)
                .map(|(k, v)| scope.with_each(V::Str(k), v))
                .collect(),
            V::List(l) => l
                .into_iter()
                .take(64)
                .map(|v| scope.with_each(v.clone(), v))
                .collect(),
            _ => vec![scope.with_each(V::Unknown, V::Unknown)],
        };
    }
    vec![scope.clone()]
}

#[derive(Debug, Clone, Default)]
struct Scope {
    /// Evaluation steps left for the whole module (shared by every copy of the scope):
    /// hostile input (nested `for` expressions over long lists) ends as unknown values
    /// instead of running for ever.
    budget: std::rc::Rc<std::cell::Cell<u64>>,
    /// Shared (cheap to copy into the many child scopes of iterations).
    vars: std::rc::Rc<HashMap<String, V>>,
    locals: std::rc::Rc<HashMap<String, V>>,
    /// `count.index`, `each.key`/`each.value`, dynamic block and `for` iterators.
    iters: HashMap<String, V>,
}

const MAX_DEPTH: usize = 64;

/// Evaluation steps allowed per module evaluation.
const BUDGET: u64 = 2_000_000;

impl Scope {
    fn with_count(&self, i: V) -> Scope {
        let mut s = self.clone();
        s.iters
            .insert("count".into(), V::Map([("index".to_string(), i)].into()));
        s
    }

    fn with_each(&self, k: V, v: V) -> Scope {
        let mut s = self.clone();
        s.iters.insert(
            "each".into(),
            V::Map([("key".to_string(), k), ("value".to_string(), v)].into()),
        );
        s
    }

    fn body(&self, f: &File, body: &Body, depth: usize) -> TfBody {
        let mut out = TfBody::default();
        if depth > MAX_DEPTH {
            return out;
        }
        for a in body.attributes() {
            let key = a.key.as_str();
            if matches!(
                key,
                "count" | "for_each" | "depends_on" | "lifecycle" | "provider"
            ) {
                continue;
            }
            let mut refs = Vec::new();
            collect_refs(&a.value, &mut refs, 0);
            out.attrs.push((
                key.to_string(),
                Attr {
                    v: self.eval(&a.value, 0),
                    lines: f.lines(a.span()),
                    refs,
                },
            ));
        }
        for b in body.blocks() {
            let kind = b.ident.as_str();
            if kind == "dynamic" {
                out.blocks.extend(self.dynamic(f, b, depth));
                continue;
            }
            out.blocks.push(TfBlock {
                kind: kind.to_string(),
                lines: f.lines(b.span()),
                body: self.body(f, &b.body, depth + 1),
            });
        }
        out
    }

    fn dynamic(&self, f: &File, b: &Block, depth: usize) -> Vec<TfBlock> {
        let Some(kind) = b.labels.first().map(|l| l.as_str().to_string()) else {
            return Vec::new();
        };
        let iter_name = b
            .body
            .get_attribute("iterator")
            .and_then(|a| match &a.value {
                Expression::Variable(v) => Some(v.as_str().to_string()),
                _ => None,
            })
            .unwrap_or_else(|| kind.clone());
        let Some(content) = b.body.get_blocks("content").next() else {
            return Vec::new();
        };
        let items: Vec<(V, V)> = match b
            .body
            .get_attribute("for_each")
            .map_or(V::Unknown, |a| self.eval(&a.value, 0))
        {
            V::Map(m) => m.into_iter().map(|(k, v)| (V::Str(k), v)).collect(),
            V::List(l) => l
                .into_iter()
                .enumerate()
                .map(|(i, v)| (V::Num(i as f64), v))
                .collect(),
            V::Null => Vec::new(),
            _ => vec![(V::Unknown, V::Unknown)],
        };
        items
            .into_iter()
            .take(64)
            .map(|(k, v)| {
                let mut s = self.clone();
                s.iters.insert(
                    iter_name.clone(),
                    V::Map([("key".to_string(), k), ("value".to_string(), v)].into()),
                );
                TfBlock {
                    kind: kind.clone(),
                    lines: f.lines(b.span()),
                    body: s.body(f, &content.body, depth + 1),
                }
            })
            .collect()
    }

    fn eval(&self, e: &Expression, depth: usize) -> V {
        let left = self.budget.get();
        if depth > MAX_DEPTH || left == 0 {
            return V::Unknown;
        }
        self.budget.set(left - 1);
        let d = depth + 1;
        match e {
            Expression::Null(_) => V::Null,
            Expression::Bool(b) => V::Bool(*b.value()),
            Expression::Number(n) => n.value().as_f64().map_or(V::Unknown, V::Num),
            Expression::String(s) => V::Str(s.value().clone()),
            Expression::Array(a) => V::List(a.iter().map(|x| self.eval(x, d)).collect()),
            Expression::Object(o) => {
                let mut m = BTreeMap::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(x) => match self.eval(x, d).text() {
                            Some(t) => t,
                            None => return V::Unknown,
                        },
                    };
                    m.insert(key, self.eval(v.expr(), d));
                }
                V::Map(m)
            }
            Expression::StringTemplate(t) => self.template(t, d),
            Expression::HeredocTemplate(h) => {
                let mut out = String::new();
                for el in h.template.iter() {
                    match el {
                        Element::Literal(l) => out.push_str(l.value()),
                        Element::Interpolation(i) => match self.eval(&i.expr, d).text() {
                            Some(t) => out.push_str(&t),
                            None => return V::Unknown,
                        },
                        Element::Directive(_) => return V::Unknown,
                    }
                }
                V::Str(out)
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), d),
            Expression::Variable(v) => self.root(v.as_str()),
            Expression::Conditional(c) => match self.eval(&c.cond_expr, d) {
                V::Bool(true) => self.eval(&c.true_expr, d),
                V::Bool(false) => self.eval(&c.false_expr, d),
                _ => V::Unknown,
            },
            Expression::FuncCall(f) => self.call(f, d),
            Expression::Traversal(t) => {
                let mut v = match &t.expr {
                    Expression::Variable(root) => {
                        // `var.x` / `local.x` / `count.index`: the first attribute picks.
                        let r = root.as_str();
                        match (r, t.operators.first().map(|o| o.value())) {
                            ("var", Some(TraversalOperator::GetAttr(n))) => {
                                let v = self.fetch(self.vars.get(n.as_str()));
                                return self.apply_ops(v, &t.operators[1..], d);
                            }
                            ("local", Some(TraversalOperator::GetAttr(n))) => {
                                let v = self.fetch(self.locals.get(n.as_str()));
                                return self.apply_ops(v, &t.operators[1..], d);
                            }
                            _ => self.root(r),
                        }
                    }
                    other => self.eval(other, d),
                };
                v = self.apply_ops(v, &t.operators, d);
                v
            }
            Expression::UnaryOp(u) => match (u.operator.value(), self.eval(&u.expr, d)) {
                (UnaryOperator::Not, V::Bool(b)) => V::Bool(!b),
                (UnaryOperator::Neg, x) => x.num().map_or(V::Unknown, |n| V::Num(-n)),
                _ => V::Unknown,
            },
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, d);
                let r = self.eval(&b.rhs_expr, d);
                binary(*b.operator.value(), &l, &r)
            }
            Expression::ForExpr(fx) => {
                let coll = self.eval(&fx.intro.collection_expr, d);
                let items: Vec<(V, V)> = match coll {
                    V::List(l) => l
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (V::Num(i as f64), v))
                        .collect(),
                    V::Map(m) => m.into_iter().map(|(k, v)| (V::Str(k), v)).collect(),
                    _ => return V::Unknown,
                };
                let kname = fx.intro.key_var.as_ref().map(|k| k.as_str().to_string());
                let vname = fx.intro.value_var.as_str().to_string();
                let mut list = Vec::new();
                let mut map = BTreeMap::new();
                for (k, v) in items.into_iter().take(1000) {
                    let mut s = self.clone();
                    if let Some(kn) = &kname {
                        s.iters.insert(kn.clone(), k);
                    }
                    s.iters.insert(vname.clone(), v);
                    if let Some(c) = &fx.cond {
                        match s.eval(&c.expr, d) {
                            V::Bool(true) => {}
                            V::Bool(false) => continue,
                            _ => return V::Unknown,
                        }
                    }
                    let val = s.eval(&fx.value_expr, d);
                    match &fx.key_expr {
                        Some(ke) => match s.eval(ke, d).text() {
                            Some(t) => {
                                map.insert(t, val);
                            }
                            None => return V::Unknown,
                        },
                        None => list.push(val),
                    }
                }
                if fx.key_expr.is_some() {
                    V::Map(map)
                } else {
                    V::List(list)
                }
            }
        }
    }

    fn root(&self, name: &str) -> V {
        self.fetch(self.iters.get(name))
    }

    /// A copy of a stored value, its size charged to the budget (copies of long lists are
    /// what makes hostile input slow).
    fn fetch(&self, v: Option<&V>) -> V {
        let Some(v) = v else { return V::Unknown };
        let size = match v {
            V::List(l) => l.len() as u64,
            V::Map(m) => m.len() as u64,
            _ => 1,
        };
        let left = self.budget.get();
        if size > left {
            self.budget.set(0);
            return V::Unknown;
        }
        self.budget.set(left - size);
        v.clone()
    }

    fn apply_ops(&self, mut v: V, ops: &[hcl_edit::Decorated<TraversalOperator>], d: usize) -> V {
        for op in ops {
            v = match (op.value(), v) {
                (_, V::Unknown) => return V::Unknown,
                (TraversalOperator::GetAttr(n), V::Map(m)) => {
                    m.get(n.as_str()).cloned().unwrap_or(V::Unknown)
                }
                (TraversalOperator::Index(i), V::Map(m)) => match self.eval(i, d).text() {
                    Some(k) => m.get(&k).cloned().unwrap_or(V::Unknown),
                    None => V::Unknown,
                },
                (TraversalOperator::Index(i), V::List(l)) => match self.eval(i, d).num() {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Some(n) if n >= 0.0 => l.get(n as usize).cloned().unwrap_or(V::Unknown),
                    _ => V::Unknown,
                },
                (TraversalOperator::LegacyIndex(i), V::List(l)) => usize::try_from(*i.value())
                    .ok()
                    .and_then(|i| l.get(i).cloned())
                    .unwrap_or(V::Unknown),
                _ => V::Unknown,
            };
        }
        v
    }

    fn template(&self, t: &StringTemplate, d: usize) -> V {
        let mut out = String::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => match self.eval(&i.expr, d).text() {
                    Some(s) => out.push_str(&s),
                    None => return V::Unknown,
                },
                Element::Directive(_) => return V::Unknown,
            }
        }
        V::Str(out)
    }

    fn call(&self, f: &FuncCall, d: usize) -> V {
        let args: Vec<V> = f.args.iter().map(|a| self.eval(a, d)).collect();
        let name = f.name.name.as_str();
        if name == "try" {
            return args
                .into_iter()
                .find(|a| *a != V::Unknown)
                .unwrap_or(V::Unknown);
        }
        if name == "lookup" {
            return match (args.first(), args.get(1).and_then(V::text), args.get(2)) {
                (Some(V::Map(m)), Some(k), def) => m
                    .get(&k)
                    .cloned()
                    .or_else(|| def.cloned())
                    .unwrap_or(V::Unknown),
                _ => V::Unknown,
            };
        }
        if f.args.expand_final() || args.iter().any(V::has_unknown) {
            return V::Unknown;
        }
        match (name, args.as_slice()) {
            ("length", [V::List(l)]) => V::Num(l.len() as f64),
            ("length", [V::Map(m)]) => V::Num(m.len() as f64),
            ("length", [V::Str(s)]) => V::Num(s.chars().count() as f64),
            ("tolist" | "toset", [V::List(l)]) => V::List(l.clone()),
            ("tomap", [V::Map(m)]) => V::Map(m.clone()),
            ("tostring", [x]) => x.text().map_or(V::Unknown, V::Str),
            ("tobool", [x]) => match x.text().as_deref() {
                Some("true") => V::Bool(true),
                Some("false") => V::Bool(false),
                _ => V::Unknown,
            },
            ("tonumber", [x]) => x.num().map_or(V::Unknown, V::Num),
            ("lower", [V::Str(s)]) => V::Str(s.to_lowercase()),
            ("upper", [V::Str(s)]) => V::Str(s.to_uppercase()),
            ("concat", ls) => {
                let mut out = Vec::new();
                for l in ls {
                    match l {
                        V::List(x) => out.extend(x.iter().cloned()),
                        _ => return V::Unknown,
                    }
                }
                V::List(out)
            }
            ("merge", ms) => {
                let mut out = BTreeMap::new();
                for m in ms {
                    match m {
                        V::Map(x) => out.extend(x.iter().map(|(k, v)| (k.clone(), v.clone()))),
                        V::Null => {}
                        _ => return V::Unknown,
                    }
                }
                V::Map(out)
            }
            ("compact", [V::List(l)]) => V::List(
                l.iter()
                    .filter(|v| !matches!(v, V::Null) && v.text().as_deref() != Some(""))
                    .cloned()
                    .collect(),
            ),
            ("split", [V::Str(sep), V::Str(s)]) => V::List(
                s.split(sep.as_str())
                    .map(|p| V::Str(p.to_string()))
                    .collect(),
            ),
            ("join", [V::Str(sep), V::List(l)]) => {
                let parts: Option<Vec<String>> = l.iter().map(V::text).collect();
                parts.map_or(V::Unknown, |p| V::Str(p.join(sep)))
            }
            ("coalesce", xs) => xs
                .iter()
                .find(|x| !matches!(x, V::Null) && x.text().as_deref() != Some(""))
                .cloned()
                .unwrap_or(V::Null),
            ("element", [V::List(l), i]) => match i.num() {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Some(n) if n >= 0.0 && !l.is_empty() => l[(n as usize) % l.len()].clone(),
                _ => V::Unknown,
            },
            ("contains", [V::List(l), x]) => V::Bool(l.contains(x)),
            ("keys", [V::Map(m)]) => V::List(m.keys().map(|k| V::Str(k.clone())).collect()),
            ("values", [V::Map(m)]) => V::List(m.values().cloned().collect()),
            ("flatten", [V::List(l)]) => {
                let mut out = Vec::new();
                flatten(l, &mut out);
                V::List(out)
            }
            ("distinct", [V::List(l)]) => {
                let mut out: Vec<V> = Vec::new();
                for v in l {
                    if !out.contains(v) {
                        out.push(v.clone());
                    }
                }
                V::List(out)
            }
            ("max", xs) => xs
                .iter()
                .map(V::num)
                .try_fold(f64::MIN, |a, n| n.map(|n| a.max(n)))
                .map_or(V::Unknown, V::Num),
            ("min", xs) => xs
                .iter()
                .map(V::num)
                .try_fold(f64::MAX, |a, n| n.map(|n| a.min(n)))
                .map_or(V::Unknown, V::Num),
            ("format", [V::Str(fmt), rest @ ..]) => format_str(fmt, rest),
            _ => V::Unknown,
        }
    }
}

fn flatten(l: &[V], out: &mut Vec<V>) {
    for v in l {
        match v {
            V::List(x) => flatten(x, out),
            other => out.push(other.clone()),
        }
    }
}

fn format_str(fmt: &str, args: &[V]) -> V {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => match it.next().and_then(V::text) {
                Some(t) => out.push_str(&t),
                None => return V::Unknown,
            },
            _ => return V::Unknown,
        }
    }
    V::Str(out)
}

fn binary(op: BinaryOperator, l: &V, r: &V) -> V {
    use BinaryOperator as B;
    match op {
        B::And => match (l, r) {
            (V::Bool(false), _) | (_, V::Bool(false)) => V::Bool(false),
            (V::Bool(true), V::Bool(true)) => V::Bool(true),
            _ => V::Unknown,
        },
        B::Or => match (l, r) {
            (V::Bool(true), _) | (_, V::Bool(true)) => V::Bool(true),
            (V::Bool(false), V::Bool(false)) => V::Bool(false),
            _ => V::Unknown,
        },
        _ if l.has_unknown() || r.has_unknown() => V::Unknown,
        B::Eq => V::Bool(loose_eq(l, r)),
        B::NotEq => V::Bool(!loose_eq(l, r)),
        _ => {
            let (Some(a), Some(b)) = (l.num(), r.num()) else {
                return V::Unknown;
            };
            match op {
                B::Plus => V::Num(a + b),
                B::Minus => V::Num(a - b),
                B::Mul => V::Num(a * b),
                B::Div if b != 0.0 => V::Num(a / b),
                B::Mod if b != 0.0 => V::Num(a % b),
                B::Less => V::Bool(a < b),
                B::LessEq => V::Bool(a <= b),
                B::Greater => V::Bool(a > b),
                B::GreaterEq => V::Bool(a >= b),
                _ => V::Unknown,
            }
        }
    }
}

fn loose_eq(l: &V, r: &V) -> bool {
    match (l, r) {
        (V::Num(a), V::Num(b)) => a == b,
        _ => l == r,
    }
}

/// Resource addresses (`type.name`) an expression refers to.
fn collect_refs(e: &Expression, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let d = depth + 1;
    match e {
        Expression::Traversal(t) => {
            if let (Expression::Variable(root), Some(TraversalOperator::GetAttr(n))) =
                (&t.expr, t.operators.first().map(|o| o.value()))
            {
                let r = root.as_str();
                if !matches!(
                    r,
                    "var" | "local" | "data" | "module" | "count" | "each" | "path" | "terraform"
                ) {
                    out.push(format!("{r}.{}", n.as_str()));
                }
            }
            collect_refs(&t.expr, out, d);
            for op in &t.operators {
                if let TraversalOperator::Index(i) = op.value() {
                    collect_refs(i, out, d);
                }
            }
        }
        Expression::Array(a) => a.iter().for_each(|x| collect_refs(x, out, d)),
        Expression::Object(o) => o.iter().for_each(|(_, v)| collect_refs(v.expr(), out, d)),
        Expression::FuncCall(f) => f.args.iter().for_each(|x| collect_refs(x, out, d)),
        Expression::Parenthesis(p) => collect_refs(p.inner(), out, d),
        Expression::Conditional(c) => {
            collect_refs(&c.true_expr, out, d);
            collect_refs(&c.false_expr, out, d);
        }
        Expression::StringTemplate(t) => {
            for el in t.iter() {
                if let Element::Interpolation(i) = el {
                    collect_refs(&i.expr, out, d);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(text: &str) -> Vec<TfResource> {
        let mut m = Module::default();
        m.add_file("main.tf", text).unwrap();
        m.resources()
    }

    #[test]
    fn evaluates_variables_locals_and_interpolation() {
        let r = module(
            r#"
variable "env" { default = "dev" }
locals { name = "app-${var.env}" }
resource "x_thing" "a" {
  name = local.name
  on   = var.env == "dev" ? true : false
  ids  = concat(["a"], [var.env])
  other = some_res.b.id
}
"#,
        );
        assert_eq!(r.len(), 1);
        let b = &r[0].body;
        assert_eq!(b.attr("name").unwrap().v, V::Str("app-dev".into()));
        assert_eq!(b.attr("name").unwrap().lines, (5, 5));
        assert!(b.attr("on").unwrap().v.is_true());
        assert_eq!(
            b.attr("ids").unwrap().v,
            V::List(vec![V::Str("a".into()), V::Str("dev".into())])
        );
        assert_eq!(b.attr("other").unwrap().v, V::Unknown);
        assert_eq!(
            b.attr("other").unwrap().refs,
            vec!["some_res.b".to_string()]
        );
        assert_eq!(r[0].lines, (4, 9));
    }

    #[test]
    fn count_and_dynamic_blocks() {
        let r = module(
            r#"
variable "rules" { default = [{ port = 22 }, { port = 80 }] }
resource "x" "none" {
  count = 0
}
resource "x" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value.port
    }
  }
}
"#,
        );
        assert_eq!(r.len(), 1);
        let ports: Vec<_> = r[0]
            .body
            .blocks("ingress")
            .map(|b| b.body.attr("from_port").unwrap().v.clone())
            .collect();
        assert_eq!(ports, vec![V::Num(22.0), V::Num(80.0)]);
    }

    #[test]
    fn malformed_input_is_an_error() {
        for bad in [
            "resource \"a\" {",
            "x = ",
            "a = [1,",
            "}}}",
            &"[".repeat(10_000),
        ] {
            let mut m = Module::default();
            assert!(m.add_file("bad.tf", bad).is_err(), "{bad:?}");
        }
    }
}
