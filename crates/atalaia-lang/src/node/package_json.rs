//! An installed `package.json` (`node-pkg`): one package per file with a `name` and a `version`.
//! A `package.json` outside any `node_modules/` directory is the application itself: it is
//! reported (as Trivy and Syft do) with the `root` relationship.

use atalaia_types::{Application, Relationship};
use serde_json::Value;

use crate::util::{npm_package, rooted};
use crate::LangError;

const KIND: &str = "node-pkg";

/// Parses a `package.json`; one without a name or version (a nested `{"type": "module"}`
/// marker, a workspace root) gives an application with no packages.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let v: Value =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| LangError::new(path, KIND, "the top level is not an object"))?;
    let str_field = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut packages = Vec::new();
    if let (Some(name), Some(version)) = (str_field("name"), str_field("version")) {
        let mut pkg = npm_package(name, version);
        pkg.file_path = rooted(path);
        pkg.licenses = super::licenses(obj.get("license"), obj.get("licenses"));
        let in_node_modules = path.starts_with("node_modules/") || path.contains("/node_modules/");
        if !in_node_modules {
            pkg.relationship = Relationship::Root;
        }
        packages.push(pkg);
    }
    Ok(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_and_root() {
        let app = parse(
            "app/node_modules/@babel/core/package.json",
            br#"{"name": "@babel/core", "version": "7.0.0", "license": {"type": "MIT"}}"#,
        )
        .unwrap();
        let p = &app.packages[0];
        assert_eq!(p.purl.to_string(), "pkg:npm/%40babel/core@7.0.0");
        assert_eq!(p.file_path, "/app/node_modules/@babel/core/package.json");
        assert_eq!(p.licenses, ["MIT"]);
        assert_eq!(p.relationship, Relationship::Unknown);
        let app = parse(
            "app/package.json",
            br#"{"name": "app", "version": "1.0.0", "licenses": [{"type": "ISC"}]}"#,
        )
        .unwrap();
        assert_eq!(app.packages[0].relationship, Relationship::Root);
        assert_eq!(app.packages[0].licenses, ["ISC"]);
        let app = parse(
            "app/node_modules/x/esm/package.json",
            br#"{"type": "module"}"#,
        )
        .unwrap();
        assert!(app.packages.is_empty());
    }

    #[test]
    fn malformed() {
        assert!(parse("package.json", b"{\"name\": ").is_err());
        assert!(parse("package.json", b"[1, 2]").is_err());
        assert!(parse("package.json", b"\xff").is_err());
    }
}
