//! Node.js: installed `package.json` files and lockfiles (`package-lock.json`, `yarn.lock`).

pub(crate) mod bun_lock;
pub(crate) mod deno_lock;
pub(crate) mod npm_lock;
pub(crate) mod package_json;
pub(crate) mod pnpm_lock;
pub(crate) mod yarn_lock;

/// The license of a `package.json` or lock entry: `"MIT"`, `{"type": "MIT"}` or the legacy
/// `licenses: [{"type": ...}]`.
pub(crate) fn licenses(
    license: Option<&serde_json::Value>,
    legacy: Option<&serde_json::Value>,
) -> Vec<String> {
    use serde_json::Value;
    let one = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Object(o) => o.get("type").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    if let Some(l) = license.and_then(one) {
        return vec![l];
    }
    match legacy {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}
