//! `deno.lock`, versions 2 (`npm.packages`), 3 (`packages.npm`) and 4+ (`npm`): the npm packages
//! (`name@version` keys, peer suffixes after `_` removed). JSR and remote modules have no
//! ecosystem to match against and are not listed.

use atalaia_types::Application;
use serde_json::{Map, Value};

use crate::util::{application, npm_package};
use crate::LangError;

const KIND: &str = "deno";

fn split(key: &str) -> Option<(&str, &str)> {
    let at = key.get(1..)?.find('@')? + 1;
    let version = key[at + 1..].split('_').next().unwrap_or("");
    (!version.is_empty()).then(|| (&key[..at], version))
}

/// Parses a `deno.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let v: Value =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let version = v
        .get("version")
        .and_then(Value::as_str)
        .ok_or_else(|| LangError::new(path, KIND, "no `version`"))?;
    let empty = Map::new();
    let npm: &Map<String, Value> = match version {
        "2" => v.pointer("/npm/packages").and_then(Value::as_object),
        "3" => v.pointer("/packages/npm").and_then(Value::as_object),
        _ => v.get("npm").and_then(Value::as_object),
    }
    .unwrap_or(&empty);
    let mut packages = Vec::new();
    for (key, entry) in npm {
        let Some((name, ver)) = split(key) else {
            continue;
        };
        let mut pkg = npm_package(name, ver);
        let deps: Vec<String> = match entry.get("dependencies") {
            // v2/v3: {"alias": "name@version"}; v4+: ["name@version" or "name"].
            Some(Value::Object(m)) => m
                .values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        for d in deps {
            let id = match split(&d) {
                Some((n, v)) => Some(format!("{n}@{v}")),
                // A bare name: the only locked version of it.
                None => npm
                    .keys()
                    .filter_map(|k| split(k))
                    .find(|(n, _)| *n == d)
                    .map(|(n, v)| format!("{n}@{v}")),
            };
            pkg.depends_on.extend(id);
        }
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let v3 = r#"{"version": "3", "packages": {"specifiers": {"npm:a@1": "npm:a@1.0.0"}, "npm": {"a@1.0.0": {"integrity": "x", "dependencies": {"b": "b@2.0.0"}}, "b@2.0.0": {"integrity": "y", "dependencies": {}}}}}"#;
        let app = parse("deno.lock", v3.as_bytes()).unwrap();
        assert_eq!(
            app.packages
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["a@1.0.0", "b@2.0.0"]
        );
        assert_eq!(app.packages[0].depends_on, ["b@2.0.0"]);
        let v4 = r#"{"version": "4", "specifiers": {"npm:@s/a@1": "1.0.0"}, "jsr": {"@std/path@1.0.0": {"integrity": "z"}}, "npm": {"@s/a@1.0.0_b@2.0.0": {"integrity": "x", "dependencies": ["b"]}, "b@2.0.0": {"integrity": "y"}}}"#;
        let app = parse("deno.lock", v4.as_bytes()).unwrap();
        assert_eq!(
            app.packages
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["@s/a@1.0.0", "b@2.0.0"]
        );
        assert_eq!(app.packages[0].depends_on, ["b@2.0.0"]);
        let v2 = r#"{"version": "2", "npm": {"specifiers": {}, "packages": {"c@3.0.0": {"integrity": "x", "dependencies": {}}}}}"#;
        assert_eq!(
            parse("deno.lock", v2.as_bytes()).unwrap().packages[0].id,
            "c@3.0.0"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("deno.lock", b"{}").is_err());
        assert!(parse("deno.lock", b"{\"version\": ").is_err());
    }
}
