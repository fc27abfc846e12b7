//! The functions: Go's template built-ins, Helm's own (`toYaml`, `fromYaml`, `lookup`...) and
//! the sprig functions charts use. `include`, `tpl`, `required`, `fail`, `and` and `or` need
//! the executor and live there.
//!
//! Non-deterministic functions are made deterministic: `randAlphaNum` and friends draw from a
//! fixed-seed generator, `now` is 2024-01-01T00:00:00Z, certificates are placeholders.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::exec::Exec;
use super::value::{format_float_g, Value, MAX_TEXT};
use super::yamlout;

type F = Result<Value, String>;

/// Every function name the engine knows (the executor's own included).
const KNOWN: &[&str] = &[
    // Executor.
    "include",
    "tpl",
    "required",
    "fail",
    "and",
    "or",
    // Go built-ins.
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "call",
    // Helm.
    "toYaml",
    "mustToYaml",
    "toYamlPretty",
    "fromYaml",
    "fromYamlArray",
    "toJson",
    "mustToJson",
    "toPrettyJson",
    "mustToPrettyJson",
    "toRawJson",
    "mustToRawJson",
    "fromJson",
    "fromJsonArray",
    "mustFromJson",
    "toToml",
    "lookup",
    // Sprig: strings.
    "default",
    "empty",
    "coalesce",
    "ternary",
    "quote",
    "squote",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "upper",
    "lower",
    "title",
    "untitle",
    "replace",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "indent",
    "nindent",
    "repeat",
    "substr",
    "nospace",
    "trunc",
    "abbrev",
    "cat",
    "camelcase",
    "kebabcase",
    "snakecase",
    "swapcase",
    "shuffle",
    "initials",
    "wrap",
    "plural",
    "toString",
    "toStrings",
    "split",
    "splitList",
    "splitn",
    "join",
    "sortAlpha",
    "regexMatch",
    "mustRegexMatch",
    "regexReplaceAll",
    "mustRegexReplaceAll",
    "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral",
    "regexFind",
    "mustRegexFind",
    "regexFindAll",
    "mustRegexFindAll",
    "regexSplit",
    "mustRegexSplit",
    "regexQuoteMeta",
    "b64enc",
    "b64dec",
    "b32enc",
    "sha256sum",
    "sha1sum",
    "adler32sum",
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "uuidv4",
    // Sprig: numbers and conversions.
    "int",
    "int64",
    "float64",
    "atoi",
    "toDecimal",
    "add",
    "add1",
    "sub",
    "mul",
    "div",
    "mod",
    "max",
    "min",
    "addf",
    "subf",
    "mulf",
    "divf",
    "floor",
    "ceil",
    "round",
    "until",
    "untilStep",
    "seq",
    "biggest",
    // Sprig: lists and dicts.
    "list",
    "dict",
    "get",
    "set",
    "unset",
    "hasKey",
    "keys",
    "values",
    "pluck",
    "pick",
    "omit",
    "merge",
    "mustMerge",
    "mergeOverwrite",
    "mustMergeOverwrite",
    "deepCopy",
    "mustDeepCopy",
    "append",
    "mustAppend",
    "push",
    "prepend",
    "mustPrepend",
    "concat",
    "first",
    "mustFirst",
    "last",
    "mustLast",
    "rest",
    "initial",
    "uniq",
    "mustUniq",
    "without",
    "mustWithout",
    "has",
    "mustHas",
    "compact",
    "mustCompact",
    "reverse",
    "mustReverse",
    "dig",
    "chunk",
    "all",
    "any",
    // Sprig: types, semver, dates, crypto.
    "kindIs",
    "kindOf",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "deepEqual",
    "semverCompare",
    "semver",
    "now",
    "date",
    "dateInZone",
    "toDate",
    "mustToDate",
    "unixEpoch",
    "ago",
    "htmlDate",
    "dateModify",
    "genCA",
    "genSignedCert",
    "genSelfSignedCert",
    "genPrivateKey",
    "derivePassword",
    "htpasswd",
    "encryptAES",
    "decryptAES",
    "bool",
];

/// Whether the engine knows a function.
pub fn is_known_function(name: &str) -> bool {
    KNOWN.contains(&name)
}

fn arg(a: &[Value], i: usize) -> Value {
    a.get(i).cloned().unwrap_or_default()
}

fn s(a: &[Value], i: usize) -> String {
    strval(&arg(a, i))
}

/// Sprig's `strval`: strings as they are, everything else as `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        v => v.to_go_string(),
    }
}

fn need(a: &[Value], n: usize) -> Result<(), String> {
    if a.len() < n {
        return Err(format!("wrong number of args: want {n} got {}", a.len()));
    }
    Ok(())
}

fn list_of(v: &Value) -> Result<Vec<Value>, String> {
    match v {
        Value::List(l) => Ok(l.to_vec()),
        Value::Nil => Ok(Vec::new()),
        other => Err(format!("cannot use {} as a list", other.type_name())),
    }
}

fn int(i: usize) -> Value {
    Value::Int(i64::try_from(i).unwrap_or(i64::MAX))
}

/// Most items a list function builds.
pub(crate) const MAX_LIST: i64 = 1_000_000;

/// Fail before building a string longer than [`MAX_TEXT`].
fn cap(len: usize) -> Result<(), String> {
    if len > MAX_TEXT {
        return Err(format!("result longer than {MAX_TEXT} bytes"));
    }
    Ok(())
}

pub(crate) fn b64_encode(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[allow(clippy::too_many_lines)]
pub(crate) fn call(ex: &mut Exec, name: &str, a: &[Value]) -> F {
    let name = match name.strip_prefix("must") {
        Some(rest) if !rest.is_empty() => {
            // mustX is X returning an error instead of a default; ours already error.
            let mut c = rest.chars();
            let first = c.next().map(|f| f.to_ascii_lowercase()).unwrap_or_default();
            let base: String = std::iter::once(first).chain(c).collect();
            return call(ex, &base, a);
        }
        _ => name,
    };
    Ok(match name {
        // --- Go built-ins ---
        "not" => {
            need(a, 1)?;
            Value::Bool(!a[0].truthy())
        }
        "len" => {
            need(a, 1)?;
            match &a[0] {
                Value::Str(s) => int(s.len()),
                Value::List(l) => int(l.len()),
                Value::Map(m) => int(m.borrow().len()),
                Value::Nil => return Err("len of nil pointer".into()),
                other => return Err(format!("len of type {}", other.type_name())),
            }
        }
        "index" => {
            need(a, 1)?;
            let mut v = a[0].clone();
            for k in &a[1..] {
                v = match (&v, k) {
                    (Value::Map(m), k) => m.borrow().get(&strval(k)).cloned().unwrap_or_default(),
                    (Value::List(l), k) => {
                        let i = k.to_i64();
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| l.get(i).cloned())
                            .ok_or_else(|| format!("index out of range: {i}"))?
                    }
                    (Value::Str(s), k) => {
                        let i = k.to_i64();
                        usize::try_from(i)
                            .ok()
                            .and_then(|i| s.as_bytes().get(i).copied())
                            .map(|b| Value::Int(i64::from(b)))
                            .ok_or_else(|| format!("index out of range: {i}"))?
                    }
                    (Value::Nil, _) => return Err("index of untyped nil".into()),
                    (other, _) => {
                        return Err(format!("can't index item of type {}", other.type_name()))
                    }
                };
            }
            v
        }
        "slice" => {
            need(a, 1)?;
            let idx = |i: usize, len: usize| -> Result<usize, String> {
                let v = a.get(i).map_or(len as i64, Value::to_i64);
                usize::try_from(v)
                    .ok()
                    .filter(|v| *v <= len)
                    .ok_or_else(|| format!("index out of range: {v}"))
            };
            match &a[0] {
                Value::List(l) => {
                    let (lo, hi) = (idx(1, l.len())?, idx(2, l.len())?);
                    let lo = if a.len() > 1 { lo } else { 0 };
                    Value::list(l.get(lo..hi).ok_or("invalid slice index")?.to_vec())
                }
                Value::Str(st) => {
                    let (lo, hi) = (idx(1, st.len())?, idx(2, st.len())?);
                    let lo = if a.len() > 1 { lo } else { 0 };
                    Value::str(st.get(lo..hi).ok_or("invalid slice index")?)
                }
                other => return Err(format!("can't slice item of type {}", other.type_name())),
            }
        }
        "print" => Value::str(go_sprint(a)),
        "println" => {
            let mut o = a
                .iter()
                .map(Value::to_go_string)
                .collect::<Vec<_>>()
                .join(" ");
            o.push('\n');
            Value::str(o)
        }
        "printf" => {
            need(a, 1)?;
            Value::str(sprintf(&s(a, 0), &a[1..]))
        }
        "eq" => {
            need(a, 2)?;
            Value::Bool(a[1..].iter().any(|b| a[0].loose_eq(b)))
        }
        "ne" => {
            need(a, 2)?;
            Value::Bool(!a[0].loose_eq(&a[1]))
        }
        "lt" | "le" | "gt" | "ge" => {
            need(a, 2)?;
            let ord = compare(&a[0], &a[1])?;
            Value::Bool(match name {
                "lt" => ord.is_lt(),
                "le" => ord.is_le(),
                "gt" => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        "html" => Value::str(
            go_sprint(a)
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&#34;")
                .replace('\'', "&#39;"),
        ),
        "js" => Value::str(
            go_sprint(a)
                .replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('"', "\\\""),
        ),
        "urlquery" => Value::str(
            go_sprint(a)
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                        (b as char).to_string()
                    } else if b == b' ' {
                        "+".to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>(),
        ),
        "call" => return Err("call is not supported".into()),
        // --- Helm ---
        "toYaml" | "ToYaml" | "toYamlPretty" => {
            let mut y = yamlout::to_yaml(&arg(a, 0));
            if y.ends_with('\n') {
                y.pop();
            }
            Value::str(y)
        }
        "fromYaml" => match parse_yaml(&s(a, 0)) {
            Ok(v @ Value::Map(_)) => v,
            Ok(Value::Nil) => Value::map(BTreeMap::new()),
            Ok(_) => error_map("error unmarshaling JSON: cannot unmarshal into map"),
            Err(e) => error_map(&e),
        },
        "fromYamlArray" => match parse_yaml(&s(a, 0)) {
            Ok(v @ Value::List(_)) => v,
            Ok(Value::Nil) => Value::list(Vec::new()),
            Ok(_) => Value::list(vec![Value::str("error: not an array")]),
            Err(e) => Value::list(vec![Value::str(e)]),
        },
        "toJson" | "toRawJson" => Value::str(arg(a, 0).to_json()),
        "toPrettyJson" => {
            let j: serde_json::Value =
                serde_json::from_str(&arg(a, 0).to_json()).unwrap_or(serde_json::Value::Null);
            Value::str(serde_json::to_string_pretty(&j).unwrap_or_default())
        }
        "fromJson" => match serde_json::from_str::<serde_json::Value>(&s(a, 0)) {
            Ok(j @ serde_json::Value::Object(_)) => Value::from_json(&j),
            Ok(_) => error_map("json: cannot unmarshal into map"),
            Err(e) => error_map(&e.to_string()),
        },
        "fromJsonArray" => match serde_json::from_str::<serde_json::Value>(&s(a, 0)) {
            Ok(j @ serde_json::Value::Array(_)) => Value::from_json(&j),
            Ok(_) => Value::list(vec![Value::str("json: not an array")]),
            Err(e) => Value::list(vec![Value::str(e.to_string())]),
        },
        "toToml" => return Err("toToml is not supported".into()),
        // The cluster is never consulted: an empty map, as `helm template` gives.
        "lookup" => Value::map(BTreeMap::new()),
        // --- sprig: defaults and logic ---
        "default" => {
            need(a, 1)?;
            match a.get(1) {
                Some(v) if v.truthy() => v.clone(),
                _ => a[0].clone(),
            }
        }
        "empty" => Value::Bool(!arg(a, 0).truthy()),
        "coalesce" => a.iter().find(|v| v.truthy()).cloned().unwrap_or_default(),
        "all" => Value::Bool(a.iter().all(Value::truthy)),
        "any" => Value::Bool(a.iter().any(Value::truthy)),
        "ternary" => {
            need(a, 3)?;
            if a[2].truthy() {
                a[0].clone()
            } else {
                a[1].clone()
            }
        }
        "bool" => Value::Bool(arg(a, 0).truthy()),
        // --- sprig: strings ---
        "quote" => Value::str(
            a.iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(|v| go_quote(&strval(v)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "squote" => Value::str(
            a.iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(|v| format!("'{}'", strval(v)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "trim" => Value::str(s(a, 0).trim()),
        "trimAll" => {
            let cut: Vec<char> = s(a, 0).chars().collect();
            Value::str(s(a, 1).trim_matches(cut.as_slice()))
        }
        "trimPrefix" => {
            let (p, st) = (s(a, 0), s(a, 1));
            Value::str(st.strip_prefix(p.as_str()).unwrap_or(&st))
        }
        "trimSuffix" => {
            let (p, st) = (s(a, 0), s(a, 1));
            Value::str(st.strip_suffix(p.as_str()).unwrap_or(&st))
        }
        "upper" => Value::str(s(a, 0).to_uppercase()),
        "lower" => Value::str(s(a, 0).to_lowercase()),
        "title" => Value::str(title(&s(a, 0))),
        "untitle" => Value::str(
            s(a, 0)
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_lowercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join(" "),
        ),
        "swapcase" => Value::str(
            s(a, 0)
                .chars()
                .map(|c| {
                    if c.is_uppercase() {
                        c.to_ascii_lowercase()
                    } else {
                        c.to_ascii_uppercase()
                    }
                })
                .collect::<String>(),
        ),
        "replace" => {
            let (old, new, st) = (s(a, 0), s(a, 1), s(a, 2));
            let n = if old.is_empty() {
                st.chars().count() + 1
            } else {
                st.matches(old.as_str()).count()
            };
            cap(st.len() + n.saturating_mul(new.len()))?;
            Value::str(st.replace(&old, &new))
        }
        "contains" => Value::Bool(s(a, 1).contains(&s(a, 0))),
        "hasPrefix" => Value::Bool(s(a, 1).starts_with(&s(a, 0))),
        "hasSuffix" => Value::Bool(s(a, 1).ends_with(&s(a, 0))),
        "indent" | "nindent" => {
            let n = usize::try_from(arg(a, 0).to_i64()).unwrap_or(0).min(10_000);
            let text = s(a, 1);
            cap(text.len() + n * (text.matches('\n').count() + 2))?;
            let pad = " ".repeat(n);
            let body = format!("{pad}{}", text.replace('\n', &format!("\n{pad}")));
            Value::str(if name == "nindent" {
                format!("\n{body}")
            } else {
                body
            })
        }
        "repeat" => {
            let n = usize::try_from(arg(a, 0).to_i64()).unwrap_or(0);
            let st = s(a, 1);
            if n.saturating_mul(st.len()) > 16 << 20 {
                return Err("repeat result too large".into());
            }
            Value::str(st.repeat(n))
        }
        "substr" => {
            let st = s(a, 2);
            let b = st.as_bytes();
            let (start, end) = (arg(a, 0).to_i64(), arg(a, 1).to_i64());
            let len = b.len() as i64;
            let (lo, hi) = if start < 0 {
                (0, end.clamp(0, len))
            } else if end < 0 || end > len {
                (start.min(len), len)
            } else {
                (start.min(end), end)
            };
            Value::str(String::from_utf8_lossy(&b[lo as usize..hi as usize]))
        }
        "nospace" => Value::str(
            s(a, 0)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        ),
        "trunc" => {
            let st = s(a, 1);
            let c = arg(a, 0).to_i64();
            let len = st.len() as i64;
            let out = if c < 0 && len + c > 0 {
                st.get((len + c) as usize..).unwrap_or(&st).to_string()
            } else if c >= 0 && len > c {
                st.get(..c as usize).unwrap_or(&st).to_string()
            } else {
                st
            };
            Value::str(out)
        }
        "abbrev" => {
            let w = usize::try_from(arg(a, 0).to_i64()).unwrap_or(0);
            let st = s(a, 1);
            if w < 4 || st.len() <= w {
                Value::str(st)
            } else {
                Value::str(format!("{}...", st.get(..w - 3).unwrap_or(&st)))
            }
        }
        "cat" => {
            let parts: Vec<String> = a
                .iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(strval)
                .collect();
            cap(parts.iter().map(|p| p.len() + 1).sum())?;
            Value::str(parts.join(" "))
        }
        "camelcase" => Value::str(
            s(a, 0)
                .split(['_', '-', ' '])
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .concat(),
        ),
        "kebabcase" | "snakecase" => {
            let sep = if name == "kebabcase" { '-' } else { '_' };
            let mut out = String::new();
            let mut prev_lower = false;
            for c in s(a, 0).chars() {
                if c.is_uppercase() {
                    if prev_lower {
                        out.push(sep);
                    }
                    out.extend(c.to_lowercase());
                    prev_lower = false;
                } else if c == '_' || c == '-' || c == ' ' {
                    out.push(sep);
                    prev_lower = false;
                } else {
                    out.push(c);
                    prev_lower = c.is_lowercase() || c.is_ascii_digit();
                }
            }
            Value::str(out)
        }
        "shuffle" => Value::str(s(a, 0)),
        "initials" => Value::str(
            s(a, 0)
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect::<String>(),
        ),
        "wrap" => Value::str(s(a, 1)),
        "plural" => {
            need(a, 3)?;
            if a[2].to_i64() == 1 {
                a[0].clone()
            } else {
                a[1].clone()
            }
        }
        "toString" => Value::str(s(a, 0)),
        "toStrings" => Value::list(
            list_of(&arg(a, 0))?
                .into_iter()
                .map(|v| match v {
                    Value::Str(_) => v,
                    v => Value::str(strval(&v)),
                })
                .collect(),
        ),
        "split" => {
            let (sep, st) = (s(a, 0), s(a, 1));
            let m = go_split(&st, &sep)
                .into_iter()
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::str(p)))
                .collect();
            Value::map(m)
        }
        "splitList" => {
            let (sep, st) = (s(a, 0), s(a, 1));
            Value::list(go_split(&st, &sep).into_iter().map(Value::str).collect())
        }
        "splitn" => {
            let (sep, n, st) = (s(a, 0), arg(a, 1).to_i64(), s(a, 2));
            let parts: Vec<&str> = if n <= 0 {
                Vec::new()
            } else {
                st.splitn(usize::try_from(n).unwrap_or(1), sep.as_str())
                    .collect()
            };
            Value::map(
                parts
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| (format!("_{i}"), Value::str(p)))
                    .collect(),
            )
        }
        "join" => {
            let sep = s(a, 0);
            let items = match arg(a, 1) {
                Value::List(l) => l
                    .iter()
                    .filter(|v| !matches!(v, Value::Nil))
                    .map(strval)
                    .collect(),
                Value::Nil => Vec::new(),
                v => vec![strval(&v)],
            };
            cap(items.iter().map(|i: &String| i.len() + sep.len()).sum())?;
            Value::str(items.join(&sep))
        }
        "sortAlpha" => {
            let mut items: Vec<Value> = match arg(a, 0) {
                Value::List(l) => l
                    .iter()
                    .map(|v| match v {
                        Value::Str(_) => v.clone(),
                        v => Value::str(strval(v)),
                    })
                    .collect(),
                v => vec![Value::str(strval(&v))],
            };
            items.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
            Value::list(items)
        }
        "regexMatch" => Value::Bool(re(&s(a, 0))?.is_match(&s(a, 1))),
        "regexReplaceAll" | "regexReplaceAllLiteral" => {
            let (r, st, repl) = (re(&s(a, 0))?, s(a, 1), s(a, 2));
            cap(st.len() + r.find_iter(&st).count().saturating_mul(repl.len() + 64))?;
            if name == "regexReplaceAll" {
                Value::str(r.replace_all(&st, repl.as_str()))
            } else {
                Value::str(r.replace_all(&st, regex::NoExpand(&repl)))
            }
        }
        "regexFind" => Value::str(
            re(&s(a, 0))?
                .find(&s(a, 1))
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
        ),
        "regexFindAll" => {
            let n = arg(a, 2).to_i64();
            let st = s(a, 1);
            let r = re(&s(a, 0))?;
            let it = r.find_iter(&st).map(|m| Value::str(m.as_str()));
            Value::list(if n < 0 {
                it.collect()
            } else {
                it.take(usize::try_from(n).unwrap_or(0)).collect()
            })
        }
        "regexSplit" => {
            let st = s(a, 1);
            let r = re(&s(a, 0))?;
            Value::list(r.split(&st).map(Value::str).collect())
        }
        "regexQuoteMeta" => Value::str(regex::escape(&s(a, 0))),
        "b64enc" => Value::str(b64_encode(s(a, 0).as_bytes())),
        "b64dec" => {
            use base64::Engine as _;
            match base64::engine::general_purpose::STANDARD.decode(s(a, 0).as_bytes()) {
                Ok(b) => Value::str(String::from_utf8_lossy(&b)),
                Err(e) => Value::str(e.to_string()),
            }
        }
        "b32enc" => return Err("b32enc is not supported".into()),
        "sha256sum" => {
            use sha2::Digest as _;
            Value::str(hex_lower(&sha2::Sha256::digest(s(a, 0).as_bytes())))
        }
        "sha1sum" | "adler32sum" => {
            use sha2::Digest as _;
            // Placeholder digests of the right shape (no SHA-1 dependency): first 20 bytes of
            // the SHA-256.
            let d = sha2::Sha256::digest(s(a, 0).as_bytes());
            Value::str(hex_lower(&d[..if name == "sha1sum" { 20 } else { 4 }]))
        }
        "randAlphaNum" | "randAlpha" | "randNumeric" | "randAscii" => {
            let n = usize::try_from(arg(a, 0).to_i64())
                .unwrap_or(0)
                .min(1 << 20);
            let set: &[u8] = match name {
                "randAlphaNum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "randAlpha" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                "randNumeric" => b"0123456789",
                _ => b"!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~",
            };
            let mut out = String::with_capacity(n);
            for _ in 0..n {
                out.push(set[(next_rand(ex) % set.len() as u64) as usize] as char);
            }
            Value::str(out)
        }
        "uuidv4" => {
            let (x, y) = (next_rand(ex), next_rand(ex));
            Value::str(format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                x >> 32,
                (x >> 16) & 0xffff,
                x & 0xfff,
                (y >> 48) & 0xfff,
                y & 0xffff_ffff_ffff
            ))
        }
        // --- numbers ---
        "int" | "int64" => Value::Int(arg(a, 0).to_i64()),
        "float64" | "toDecimal" => Value::Float(arg(a, 0).to_f64()),
        "atoi" => Value::Int(s(a, 0).trim().parse().unwrap_or(0)),
        "add" => Value::Int(a.iter().map(Value::to_i64).fold(0i64, i64::wrapping_add)),
        "add1" => Value::Int(arg(a, 0).to_i64().wrapping_add(1)),
        "mul" => Value::Int(a.iter().map(Value::to_i64).fold(1i64, i64::wrapping_mul)),
        "sub" => Value::Int(arg(a, 0).to_i64().wrapping_sub(arg(a, 1).to_i64())),
        "div" | "mod" => {
            let d = arg(a, 1).to_i64();
            if d == 0 {
                return Err("integer divide by zero".into());
            }
            let n = arg(a, 0).to_i64();
            Value::Int(if name == "div" {
                n.wrapping_div(d)
            } else {
                n.wrapping_rem(d)
            })
        }
        "max" | "biggest" => Value::Int(a.iter().map(Value::to_i64).max().unwrap_or(0)),
        "min" => Value::Int(a.iter().map(Value::to_i64).min().unwrap_or(0)),
        "addf" => Value::Float(a.iter().map(Value::to_f64).sum()),
        "mulf" => Value::Float(a.iter().map(Value::to_f64).product()),
        "subf" => Value::Float(
            a.iter()
                .skip(1)
                .fold(arg(a, 0).to_f64(), |x, y| x - y.to_f64()),
        ),
        "divf" => Value::Float(
            a.iter()
                .skip(1)
                .fold(arg(a, 0).to_f64(), |x, y| x / y.to_f64()),
        ),
        "floor" => Value::Float(arg(a, 0).to_f64().floor()),
        "ceil" => Value::Float(arg(a, 0).to_f64().ceil()),
        "round" => {
            let p = 10f64.powi(i32::try_from(arg(a, 1).to_i64()).unwrap_or(0));
            Value::Float((arg(a, 0).to_f64() * p).round() / p)
        }
        "until" | "untilStep" | "seq" => {
            let (start, stop, step) = match (name, a.len()) {
                ("until", _) => (0, arg(a, 0).to_i64(), 1),
                ("untilStep", _) => (arg(a, 0).to_i64(), arg(a, 1).to_i64(), arg(a, 2).to_i64()),
                (_, 1) => (1, arg(a, 0).to_i64() + 1, 1),
                (_, 2) => (arg(a, 0).to_i64(), arg(a, 1).to_i64() + 1, 1),
                _ => (
                    arg(a, 0).to_i64(),
                    arg(a, 2).to_i64() + 1,
                    arg(a, 1).to_i64(),
                ),
            };
            let step = if step == 0 {
                if stop >= start {
                    1
                } else {
                    -1
                }
            } else {
                step
            };
            if (stop - start).checked_div(step).unwrap_or(0).abs() > MAX_LIST {
                return Err("list too long".into());
            }
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                out.push(Value::Int(i));
                i += step;
            }
            if name == "seq" {
                Value::str(
                    out.iter()
                        .map(Value::to_go_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            } else {
                Value::list(out)
            }
        }
        // --- lists and dicts ---
        "list" => Value::list(a.to_vec()),
        "dict" => {
            let mut m = BTreeMap::new();
            for pair in a.chunks(2) {
                m.insert(
                    strval(&pair[0]),
                    pair.get(1).cloned().unwrap_or_else(|| Value::str("")),
                );
            }
            Value::map(m)
        }
        "get" => {
            need(a, 2)?;
            match &a[0] {
                Value::Map(m) => m
                    .borrow()
                    .get(&strval(&a[1]))
                    .cloned()
                    .unwrap_or_else(|| Value::str("")),
                _ => return Err("get needs a dict".into()),
            }
        }
        "set" => {
            need(a, 3)?;
            match &a[0] {
                Value::Map(m) => {
                    let v = a[2].clone();
                    m.borrow_mut().insert(strval(&a[1]), v);
                    a[0].clone()
                }
                _ => return Err("set needs a dict".into()),
            }
        }
        "unset" => {
            need(a, 2)?;
            match &a[0] {
                Value::Map(m) => {
                    m.borrow_mut().remove(&strval(&a[1]));
                    a[0].clone()
                }
                _ => return Err("unset needs a dict".into()),
            }
        }
        "hasKey" => {
            need(a, 2)?;
            match &a[0] {
                Value::Map(m) => Value::Bool(m.borrow().contains_key(&strval(&a[1]))),
                Value::Nil => Value::Bool(false),
                _ => return Err("hasKey needs a dict".into()),
            }
        }
        "keys" => {
            let mut out = Vec::new();
            for d in a {
                if let Value::Map(m) = d {
                    out.extend(m.borrow().keys().map(Value::str));
                }
            }
            Value::list(out)
        }
        "values" => match arg(a, 0) {
            Value::Map(m) => Value::list(m.borrow().values().cloned().collect()),
            _ => Value::list(Vec::new()),
        },
        "pluck" => {
            need(a, 1)?;
            let k = strval(&a[0]);
            Value::list(
                a[1..]
                    .iter()
                    .filter_map(|d| match d {
                        Value::Map(m) => m.borrow().get(&k).cloned(),
                        _ => None,
                    })
                    .collect(),
            )
        }
        "pick" | "omit" => {
            need(a, 1)?;
            let keys: Vec<String> = a[1..].iter().map(strval).collect();
            match &a[0] {
                Value::Map(m) => Value::map(
                    m.borrow()
                        .iter()
                        .filter(|(k, _)| keys.contains(k) == (name == "pick"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                _ => return Err(format!("{name} needs a dict")),
            }
        }
        "dig" => {
            need(a, 3)?;
            let (keys, rest) = a.split_at(a.len() - 2);
            let (default, dict) = (&rest[0], &rest[1]);
            let mut cur = dict.clone();
            for k in keys {
                cur = match &cur {
                    Value::Map(m) => match m.borrow().get(&strval(k)) {
                        Some(v) => v.clone(),
                        None => return Ok(default.clone()),
                    },
                    _ => return Ok(default.clone()),
                };
            }
            cur
        }
        "merge" | "mergeOverwrite" => {
            need(a, 1)?;
            let Value::Map(dst) = &a[0] else {
                return Err(format!("{name} needs dicts"));
            };
            let budget = std::cell::Cell::new(super::value::MAX_VISIT);
            for src in &a[1..] {
                if let Value::Map(src) = src {
                    let src = src.borrow().clone();
                    merge_into(dst, &src, name == "mergeOverwrite", 0, &budget);
                }
            }
            a[0].clone()
        }
        "deepCopy" => arg(a, 0).deep_copy(),
        "append" | "push" => {
            need(a, 2)?;
            let mut l = list_of(&a[0])?;
            l.push(a[1].clone());
            Value::list(l)
        }
        "prepend" => {
            need(a, 2)?;
            let mut l = list_of(&a[0])?;
            l.insert(0, a[1].clone());
            Value::list(l)
        }
        "concat" => {
            let mut l = Vec::new();
            for v in a {
                l.extend(list_of(v)?);
            }
            Value::list(l)
        }
        "first" => list_of(&arg(a, 0))?.first().cloned().unwrap_or_default(),
        "last" => list_of(&arg(a, 0))?.last().cloned().unwrap_or_default(),
        "rest" => Value::list(list_of(&arg(a, 0))?.into_iter().skip(1).collect()),
        "initial" => {
            let mut l = list_of(&arg(a, 0))?;
            l.pop();
            Value::list(l)
        }
        "uniq" => {
            // Keyed by the JSON text (numbers read as in Go's interface comparison).
            let mut seen = std::collections::HashSet::new();
            let mut out: Vec<Value> = Vec::new();
            for v in list_of(&arg(a, 0))? {
                if seen.insert(v.to_json()) {
                    out.push(v);
                }
            }
            Value::list(out)
        }
        "without" => {
            need(a, 1)?;
            Value::list(
                list_of(&a[0])?
                    .into_iter()
                    .filter(|v| !a[1..].iter().any(|w| w.loose_eq(v)))
                    .collect(),
            )
        }
        "has" => {
            need(a, 2)?;
            Value::Bool(list_of(&a[1])?.iter().any(|v| v.loose_eq(&a[0])))
        }
        "compact" => Value::list(
            list_of(&arg(a, 0))?
                .into_iter()
                .filter(Value::truthy)
                .collect(),
        ),
        "reverse" => {
            let mut l = list_of(&arg(a, 0))?;
            l.reverse();
            Value::list(l)
        }
        "chunk" => {
            let n = usize::try_from(arg(a, 0).to_i64()).unwrap_or(0).max(1);
            Value::list(
                list_of(&arg(a, 1))?
                    .chunks(n)
                    .map(|c| Value::list(c.to_vec()))
                    .collect(),
            )
        }
        // --- types ---
        "kindIs" => Value::Bool(s(a, 0) == arg(a, 1).kind()),
        "kindOf" => Value::str(arg(a, 0).kind()),
        "typeOf" => Value::str(arg(a, 0).type_name()),
        "typeIs" | "typeIsLike" => {
            let want = s(a, 0);
            let t = arg(a, 1).type_name();
            Value::Bool(want == t || (name == "typeIsLike" && want == format!("*{t}")))
        }
        "deepEqual" => Value::Bool(arg(a, 0).loose_eq(&arg(a, 1))),
        "semverCompare" => Value::Bool(super::semver::matches(&s(a, 0), &s(a, 1))?),
        "semver" => {
            let v = super::semver::Version::parse(&s(a, 0)).ok_or("invalid semantic version")?;
            let mut m = BTreeMap::new();
            m.insert("Major".into(), Value::Int(v.major));
            m.insert("Minor".into(), Value::Int(v.minor));
            m.insert("Patch".into(), Value::Int(v.patch));
            m.insert("Prerelease".into(), Value::str(&v.pre));
            Value::map(m)
        }
        // --- dates (fixed clock) ---
        "now" | "toDate" | "unixEpoch" | "dateModify" => {
            if name == "unixEpoch" {
                Value::str(FIXED_EPOCH.to_string())
            } else {
                Value::str(FIXED_NOW)
            }
        }
        "date" | "dateInZone" => Value::str(go_date(&s(a, 0))),
        "htmlDate" => Value::str(go_date("2006-01-02")),
        "ago" => Value::str("0s"),
        // --- crypto placeholders ---
        "genCA" | "genSelfSignedCert" | "genSignedCert" => {
            let mut m = BTreeMap::new();
            m.insert("Cert".into(), Value::str(pem("CERTIFICATE", &s(a, 0))));
            m.insert("Key".into(), Value::str(pem("RSA PRIVATE KEY", &s(a, 0))));
            Value::map(m)
        }
        "genPrivateKey" => Value::str(pem("RSA PRIVATE KEY", &s(a, 0))),
        "derivePassword" | "htpasswd" | "encryptAES" | "decryptAES" => {
            use sha2::Digest as _;
            Value::str(hex_lower(&sha2::Sha256::digest(go_sprint(a).as_bytes())))
        }
        _ => return Err(format!("function {name:?} not defined")),
    })
}

const FIXED_NOW: &str = "2024-01-01 00:00:00 +0000 UTC";
const FIXED_EPOCH: i64 = 1_704_067_200;

fn pem(kind: &str, seed: &str) -> String {
    use sha2::Digest as _;
    let body = b64_encode(&sha2::Sha256::digest(seed.as_bytes()));
    format!("-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n")
}

/// Go's time layout applied to the fixed clock (2024-01-01 00:00:00 UTC, a Monday).
fn go_date(layout: &str) -> String {
    let tokens = [
        ("2006", "2024"),
        ("January", "January"),
        ("Jan", "Jan"),
        ("Monday", "Monday"),
        ("Mon", "Mon"),
        ("MST", "UTC"),
        ("-0700", "+0000"),
        ("-07:00", "+00:00"),
        ("Z07:00", "Z"),
        ("01", "01"),
        ("02", "01"),
        ("15", "00"),
        ("03", "12"),
        ("04", "00"),
        ("05", "00"),
        ("06", "24"),
        ("PM", "AM"),
        ("pm", "am"),
        ("1", "1"),
        ("2", "1"),
        ("3", "12"),
        ("4", "0"),
        ("5", "0"),
    ];
    let mut out = String::new();
    let mut rest = layout;
    'outer: while !rest.is_empty() {
        for (t, v) in tokens {
            if let Some(r) = rest.strip_prefix(t) {
                out.push_str(v);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn next_rand(ex: &mut Exec) -> u64 {
    // xorshift64*: deterministic across runs.
    let mut x = ex.rand_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    ex.rand_state = x;
    x.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

fn hex_lower(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

fn error_map(e: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Value::str(e));
    Value::map(m)
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    let docs = crate::yaml::parse_documents(text)
        .map_err(|e| format!("error converting YAML to JSON: {e}"))?;
    Ok(docs
        .first()
        .map(|d| Value::from_yaml(d, true))
        .unwrap_or_default())
}

fn merge_into(
    dst: &super::value::Map,
    src: &BTreeMap<String, Value>,
    overwrite: bool,
    depth: usize,
    budget: &std::cell::Cell<usize>,
) {
    if depth > super::value::MAX_VALUE_DEPTH || !super::value::spend(budget) {
        return;
    }
    for (k, sv) in src {
        let dv = dst.borrow().get(k).cloned();
        match dv {
            Some(Value::Map(dm)) if matches!(sv, Value::Map(_)) => {
                if let Value::Map(sm) = sv {
                    if Rc::ptr_eq(&dm, sm) {
                        continue;
                    }
                    let sm = sm.borrow().clone();
                    merge_into(&dm, &sm, overwrite, depth + 1, budget);
                }
            }
            Some(dv) => {
                let replace = if overwrite {
                    sv.truthy() || dv.is_empty() && !matches!(sv, Value::Nil)
                } else {
                    dv.is_empty() && sv.truthy()
                };
                if replace {
                    dst.borrow_mut().insert(k.clone(), sv.clone());
                }
            }
            None => {
                dst.borrow_mut().insert(k.clone(), sv.clone());
            }
        }
    }
}

fn re(pat: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(pat).map_err(|e| e.to_string())
}

/// Go's `strings.Split`: an empty separator splits into UTF-8 characters.
fn go_split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(String::from).collect();
    }
    s.split(sep).map(String::from).collect()
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (x, y) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x
                .partial_cmp(&y)
                .ok_or_else(|| "NaN comparison".to_string()),
            _ => Err(format!(
                "incompatible types for comparison: {} and {}",
                x.type_name(),
                y.type_name()
            )),
        },
    }
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
fn go_sprint(a: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in a.iter().enumerate() {
        if i > 0 && !matches!(v, Value::Str(_)) && !matches!(a[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&v.to_go_string());
    }
    out
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %t %f %g %e %x %X %o %b %c
/// %%`, with flags, width and precision.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = format.chars().peekable();
    let mut argi = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut minus = false;
        let mut plus = false;
        let mut zero = false;
        let mut space = false;
        let mut sharp = false;
        while let Some(&f) = it.peek() {
            match f {
                '-' => minus = true,
                '+' => plus = true,
                '0' => zero = true,
                ' ' => space = true,
                '#' => sharp = true,
                _ => break,
            }
            it.next();
        }
        let mut width = None;
        while let Some(d) = it.peek().and_then(|c| c.to_digit(10)) {
            width = Some(width.unwrap_or(0) * 10 + d as usize);
            it.next();
        }
        let mut prec = None;
        if it.peek() == Some(&'.') {
            it.next();
            let mut p = 0;
            while let Some(d) = it.peek().and_then(|c| c.to_digit(10)) {
                p = p * 10 + d as usize;
                it.next();
            }
            prec = Some(p);
        }
        let Some(verb) = it.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(v) = args.get(argi) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        argi += 1;
        let body = match (verb, v) {
            ('v' | 's', Value::Nil) => {
                if verb == 'v' {
                    "<nil>".to_string()
                } else {
                    "%!s(<nil>)".to_string()
                }
            }
            ('s', Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
                format!("%!s({}={})", v.type_name(), v.to_go_string())
            }
            ('s' | 'v', v) => {
                let t = strval(v);
                match prec {
                    Some(p) if verb == 's' => t.chars().take(p).collect(),
                    _ => t,
                }
            }
            ('q', Value::Int(i)) => format!(
                "'{}'",
                char::from_u32(u32::try_from(*i).unwrap_or(0xfffd)).unwrap_or('\u{fffd}')
            ),
            ('q', v) => {
                if sharp && !strval(v).contains('`') {
                    format!("`{}`", strval(v))
                } else {
                    go_quote(&strval(v))
                }
            }
            ('t', Value::Bool(b)) => b.to_string(),
            ('d', Value::Int(i)) => signed(i.to_string(), *i >= 0, plus, space),
            #[allow(clippy::cast_possible_truncation)]
            ('d', Value::Float(f)) => format!("%!d(float64={})", format_float_g(*f)),
            ('c', Value::Int(i)) => char::from_u32(u32::try_from(*i).unwrap_or(0xfffd))
                .unwrap_or('\u{fffd}')
                .to_string(),
            ('x' | 'X' | 'o' | 'b', Value::Int(i)) => {
                let mag = i.unsigned_abs();
                let digits = match verb {
                    'x' => format!("{mag:x}"),
                    'X' => format!("{mag:X}"),
                    'o' => format!("{mag:o}"),
                    _ => format!("{mag:b}"),
                };
                let pre = if sharp {
                    match verb {
                        'x' => "0x",
                        'X' => "0X",
                        'o' => "0",
                        _ => "",
                    }
                } else {
                    ""
                };
                format!("{}{pre}{digits}", if *i < 0 { "-" } else { "" })
            }
            ('x' | 'X', Value::Str(st)) => {
                let h = hex_lower(st.as_bytes());
                if verb == 'X' {
                    h.to_uppercase()
                } else {
                    h
                }
            }
            ('f' | 'F' | 'e' | 'E' | 'g' | 'G', v) if v.as_f64().is_some() => {
                let f = v.as_f64().unwrap_or(0.0);
                let t = match verb {
                    'f' | 'F' => format!("{f:.*}", prec.unwrap_or(6)),
                    'e' | 'E' => {
                        let e = format!("{f:.*e}", prec.unwrap_or(6));
                        let (m, x) = e.split_once('e').unwrap_or((&e, "0"));
                        let x: i32 = x.parse().unwrap_or(0);
                        let t = format!("{m}e{}{:02}", if x < 0 { '-' } else { '+' }, x.abs());
                        if verb == 'E' {
                            t.to_uppercase()
                        } else {
                            t
                        }
                    }
                    _ => format_float_g(f),
                };
                signed(t, f >= 0.0, plus, space)
            }
            (verb, v) => format!("%!{verb}({}={})", v.type_name(), v.to_go_string()),
        };
        let len = body.chars().count();
        match width {
            Some(w) if w > len => {
                let pad = w - len;
                if minus {
                    out.push_str(&body);
                    out.push_str(&" ".repeat(pad));
                } else if zero && matches!(verb, 'd' | 'f' | 'x' | 'X' | 'e' | 'g' | 'o' | 'b') {
                    let (sign, digits) = match body.strip_prefix('-') {
                        Some(d) => ("-", d.to_string()),
                        None => ("", body.clone()),
                    };
                    out.push_str(sign);
                    out.push_str(&"0".repeat(pad));
                    out.push_str(&digits);
                } else {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(&body);
                }
            }
            _ => out.push_str(&body),
        }
    }
    if argi < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[argi..]
            .iter()
            .map(|v| format!("{}={}", v.type_name(), v.to_go_string()))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn signed(t: String, nonneg: bool, plus: bool, space: bool) -> String {
    if nonneg && plus {
        format!("+{t}")
    } else if nonneg && space {
        format!(" {t}")
    } else {
        t
    }
}
