//! Values of the template engine, with Go's printing, truthiness and comparison rules.
//!
//! Maps are shared and mutable (`Rc<RefCell<..>>`), as Go maps are references: sprig's `set`,
//! `unset` and `merge` change the map a chart passed them, and charts rely on it. Keys are
//! kept sorted, which is the order Go prints and ranges over a map in.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use crate::yaml::{Node, Value as YamlValue};

/// A shared, mutable map (a Go `map[string]interface{}`).
pub type Map = Rc<RefCell<BTreeMap<String, Value>>>;

/// Deepest nesting printed or copied (a map may contain itself through `set`).
pub const MAX_VALUE_DEPTH: usize = 100;

/// Most nodes one print, copy or comparison visits (shared and self-containing maps would
/// otherwise make them exponential).
pub const MAX_VISIT: usize = 1_000_000;

/// Most bytes one print of a value writes; the writers stop there (the executor's output
/// limit then reports it).
pub const MAX_TEXT: usize = 64 << 20;

/// Take one node from a visit budget; `false` once spent.
pub(crate) fn spend(budget: &Cell<usize>) -> bool {
    let n = budget.get();
    if n == 0 {
        return false;
    }
    budget.set(n - 1);
    true
}

/// A template value.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// Go's `nil` (also a missing map key).
    #[default]
    Nil,
    /// A boolean.
    Bool(bool),
    /// An `int64`.
    Int(i64),
    /// A `float64` (numbers read from YAML values, as Helm reads them through JSON).
    Float(f64),
    /// A string.
    Str(Rc<str>),
    /// A list (`[]interface{}`).
    List(Rc<Vec<Value>>),
    /// A map (`map[string]interface{}`).
    Map(Map),
    /// A Helm object with methods (`.Files`, `.Capabilities.APIVersions`).
    Native(Rc<Native>),
}

/// Objects with methods.
#[derive(Debug)]
pub enum Native {
    /// `.Files`: the chart's non-template files (path, bytes), sorted by path.
    Files(Vec<(String, Rc<[u8]>)>),
    /// `.Capabilities.APIVersions`.
    ApiVersions(Vec<String>),
}

impl Value {
    /// A string value.
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::Str(Rc::from(s.as_ref()))
    }

    /// A new map value.
    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(m)))
    }

    /// A new list value.
    pub fn list(l: Vec<Value>) -> Value {
        Value::List(Rc::new(l))
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Native(n) => match &**n {
                Native::Files(f) => !f.is_empty(),
                Native::ApiVersions(v) => !v.is_empty(),
            },
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Go's `reflect.Kind` name, as sprig's `kindOf` returns it.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Native(_) => "ptr",
        }
    }

    /// Go's type name, as sprig's `typeOf` returns it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
            Value::Native(_) => "*chart.Object",
        }
    }

    /// Whether this is the zero value of its type (sprig's `empty`).
    pub fn is_empty(&self) -> bool {
        !self.truthy()
    }

    /// A number as `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Sprig's `toInt64` conversion (strings parsed, floats truncated, others 0).
    pub fn to_i64(&self) -> i64 {
        match self {
            Value::Int(i) => *i,
            #[allow(clippy::cast_possible_truncation)]
            Value::Float(f) => *f as i64,
            Value::Bool(b) => i64::from(*b),
            Value::Str(s) => {
                let t = s.trim();
                t.parse::<i64>()
                    .ok()
                    .or_else(|| {
                        #[allow(clippy::cast_possible_truncation)]
                        t.parse::<f64>().ok().map(|f| f as i64)
                    })
                    .unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// Sprig's `toFloat64`.
    pub fn to_f64(&self) -> f64 {
        match self {
            Value::Str(s) => s.trim().parse().unwrap_or(0.0),
            Value::Bool(b) => f64::from(u8::from(*b)),
            v => v.as_f64().unwrap_or(0.0),
        }
    }

    /// Go's `fmt.Sprint` of the value (`%v`).
    pub fn to_go_string(&self) -> String {
        let mut out = String::new();
        self.write_go(&mut out, 0, &Cell::new(MAX_VISIT));
        out
    }

    fn write_go(&self, out: &mut String, depth: usize, budget: &Cell<usize>) {
        if depth > MAX_VALUE_DEPTH || out.len() > MAX_TEXT || !spend(budget) {
            out.push_str("...");
            return;
        }
        match self {
            Value::Nil => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&format_float_g(*f)),
            Value::Str(s) => out.push_str(s),
            Value::List(l) => {
                out.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    v.write_go(out, depth + 1, budget);
                }
                out.push(']');
            }
            Value::Map(m) => {
                out.push_str("map[");
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_go(out, depth + 1, budget);
                }
                out.push(']');
            }
            Value::Native(n) => match &**n {
                Native::Files(f) => {
                    let _ = write!(out, "map[{} files]", f.len());
                }
                Native::ApiVersions(v) => {
                    let _ = write!(out, "{v:?}");
                }
            },
        }
    }

    /// A deep copy (sprig's `deepCopy`; also used for values handed to subcharts).
    pub fn deep_copy(&self) -> Value {
        self.deep_copy_at(0, &Cell::new(MAX_VISIT))
    }

    fn deep_copy_at(&self, depth: usize, budget: &Cell<usize>) -> Value {
        if depth > MAX_VALUE_DEPTH || !spend(budget) {
            return Value::Nil;
        }
        match self {
            Value::List(l) => Value::list(
                l.iter()
                    .map(|v| v.deep_copy_at(depth + 1, budget))
                    .collect(),
            ),
            Value::Map(m) => Value::map(
                m.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy_at(depth + 1, budget)))
                    .collect(),
            ),
            v => v.clone(),
        }
    }

    /// Go-template `eq` of two basic values (numbers compare by value across int and float).
    pub fn loose_eq(&self, other: &Value) -> bool {
        self.eq_at(other, 0, &Cell::new(MAX_VISIT))
    }

    fn eq_at(&self, other: &Value, depth: usize, budget: &Cell<usize>) -> bool {
        if depth > MAX_VALUE_DEPTH || !spend(budget) {
            return false;
        }
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (a, b) if a.as_f64().is_some() && b.as_f64().is_some() => a.as_f64() == b.as_f64(),
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| x.eq_at(y, depth + 1, budget))
            }
            (Value::Map(a), Value::Map(b)) => {
                Rc::ptr_eq(a, b) || {
                    let (a, b) = (a.borrow(), b.borrow());
                    a.len() == b.len()
                        && a.iter()
                            .zip(b.iter())
                            .all(|((ka, va), (kb, vb))| ka == kb && va.eq_at(vb, depth + 1, budget))
                }
            }
            _ => false,
        }
    }

    /// Build from a YAML node. Numbers become `float64` when `json_numbers` (Helm reads values
    /// through JSON), `int64`/`float64` by their form otherwise.
    pub fn from_yaml(node: &Node, json_numbers: bool) -> Value {
        match &node.value {
            YamlValue::Null => Value::Nil,
            YamlValue::Bool(b) => Value::Bool(*b),
            #[allow(clippy::cast_precision_loss)]
            YamlValue::Int(i) => {
                if json_numbers {
                    Value::Float(*i as f64)
                } else {
                    Value::Int(*i)
                }
            }
            YamlValue::Float(f) => Value::Float(*f),
            YamlValue::Str(s) => Value::str(s),
            YamlValue::Seq(items) => Value::list(
                items
                    .iter()
                    .map(|n| Value::from_yaml(n, json_numbers))
                    .collect(),
            ),
            YamlValue::Map(entries) => Value::map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = k
                            .scalar_text()
                            .unwrap_or_else(|| Value::from_yaml(k, false).to_go_string());
                        (key, Value::from_yaml(v, json_numbers))
                    })
                    .collect(),
            ),
        }
    }

    /// Build from JSON.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Encode as JSON (Go's `encoding/json`, keys sorted, no HTML escaping of `<>&` kept as
    /// Go does: escaped).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, 0, &Cell::new(MAX_VISIT));
        out
    }

    fn write_json(&self, out: &mut String, depth: usize, budget: &Cell<usize>) {
        if depth > MAX_VALUE_DEPTH || out.len() > MAX_TEXT || !spend(budget) {
            out.push_str("null");
            return;
        }
        match self {
            Value::Nil | Value::Native(_) => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&format_float_json(*f)),
            Value::Str(s) => write_json_string(out, s),
            Value::List(l) => {
                out.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out, depth + 1, budget);
                }
                out.push(']');
            }
            Value::Map(m) => {
                out.push('{');
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(out, k);
                    out.push(':');
                    v.write_json(out, depth + 1, budget);
                }
                out.push('}');
            }
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `%v` of a `float64` (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest
/// representation, in exponent form when the exponent is below -4 or at least 6.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: d.ddddde<exp>.
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// Go's `encoding/json` float format: `'f'` unless the exponent is below -6 or at least 21.
fn format_float_json(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let e = format!("{f:e}");
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_float_printing() {
        assert_eq!(format_float_g(8080.0), "8080");
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(123_456.0), "123456");
        assert_eq!(format_float_g(0.5), "0.5");
        assert_eq!(format_float_g(0.000_01), "1e-05");
        assert_eq!(format_float_json(1e6), "1000000");
    }

    #[test]
    fn printing_and_truth() {
        let m = Value::map(
            [
                ("b".to_string(), Value::Int(2)),
                ("a".to_string(), Value::str("x")),
            ]
            .into_iter()
            .collect(),
        );
        assert_eq!(m.to_go_string(), "map[a:x b:2]");
        assert_eq!(
            Value::list(vec![Value::Int(1), Value::Nil]).to_go_string(),
            "[1 <nil>]"
        );
        assert!(!Value::str("").truthy());
        assert!(!Value::list(vec![]).truthy());
        assert!(Value::Float(0.1).truthy());
        assert_eq!(m.to_json(), r#"{"a":"x","b":2}"#);
    }
}
