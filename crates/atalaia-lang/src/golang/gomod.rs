//! `go.mod`: `require` lines (single and blocks; `// indirect` marks indirect ones), `replace`
//! directives applied to them (a replacement by a local directory removes the module, as in
//! Trivy), and `toolchain` (which names the stdlib version the module is built with).

use std::collections::HashMap;

use atalaia_types::{Application, Location, Relationship};

use super::stdlib_version;
use crate::util::{application, go_package};
use crate::LangError;

const KIND: &str = "gomod";

/// `replace` directives: (module, optional version) -> Some((new module, new version)), or None
/// for a replacement by a local directory.
type Replaces = HashMap<(String, Option<String>), Option<(String, String)>>;

struct Require {
    path: String,
    version: String,
    indirect: bool,
    line: u32,
}

/// Parses a `go.mod`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let mut requires = Vec::new();
    let mut replaces: Replaces = HashMap::new();
    let mut toolchain = None;
    let mut block: Option<String> = None;
    let mut saw_module = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (code, comment) = match raw.find("//") {
            Some(at) => (&raw[..at], &raw[at + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (verb, rest) = match &block {
            Some(v) if code == ")" => {
                let _ = v;
                block = None;
                continue;
            }
            Some(v) => (v.clone(), code),
            None => {
                let (verb, rest) = code.split_once([' ', '\t']).unwrap_or((code, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(verb.to_owned());
                    continue;
                }
                (verb.to_owned(), rest)
            }
        };
        let fields: Vec<String> = rest
            .split_whitespace()
            .map(|f| f.trim_matches('"').to_owned())
            .collect();
        match verb.as_str() {
            "module" => saw_module = true,
            "require" => {
                let [module, version] = fields.as_slice() else {
                    return Err(LangError::new(
                        path,
                        KIND,
                        format!("line {n}: a require needs a module and a version"),
                    ));
                };
                let indirect = comment.split(';').any(|c| c.trim() == "indirect");
                requires.push(Require {
                    path: module.clone(),
                    version: version.clone(),
                    indirect,
                    line: n,
                });
            }
            "replace" => {
                let Some(arrow) = fields.iter().position(|f| f == "=>") else {
                    return Err(LangError::new(
                        path,
                        KIND,
                        format!("line {n}: a replace needs `=>`"),
                    ));
                };
                let (old, new) = fields.split_at(arrow);
                let new = &new[1..];
                let key = match old {
                    [m] => (m.clone(), None),
                    [m, v] => (m.clone(), Some(v.clone())),
                    _ => return Err(LangError::new(path, KIND, format!("line {n}: bad replace"))),
                };
                let target = match new {
                    [m, v] => Some((m.clone(), v.clone())),
                    [_local] => None,
                    _ => return Err(LangError::new(path, KIND, format!("line {n}: bad replace"))),
                };
                replaces.insert(key, target);
            }
            "toolchain" => toolchain = fields.first().cloned(),
            "go" | "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
            other => {
                return Err(LangError::new(
                    path,
                    KIND,
                    format!("line {n}: unknown directive `{other}`"),
                ))
            }
        }
    }
    if !saw_module && requires.is_empty() {
        return Err(LangError::new(path, KIND, "no `module` directive"));
    }
    let mut packages = Vec::new();
    for r in requires {
        let replaced = replaces
            .get(&(r.path.clone(), Some(r.version.clone())))
            .or_else(|| replaces.get(&(r.path.clone(), None)));
        let (module, version) = match replaced {
            Some(Some((m, v))) => (m.clone(), v.clone()),
            Some(None) => continue,
            None => (r.path, r.version),
        };
        let mut pkg = go_package(&module, &version);
        pkg.relationship = if r.indirect {
            Relationship::Indirect
        } else {
            Relationship::Direct
        };
        pkg.locations.push(Location {
            start_line: r.line,
            end_line: r.line,
        });
        packages.push(pkg);
    }
    if let Some(v) = toolchain.as_deref().and_then(stdlib_version) {
        let mut pkg = go_package("stdlib", &v);
        pkg.relationship = Relationship::Direct;
        packages.push(pkg);
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOMOD: &str = "module example.com/app

go 1.22

toolchain go1.22.4

require github.com/single/dep v1.0.0

require (
\tgithub.com/davecgh/go-spew v1.1.1 // indirect
\tgithub.com/stretchr/testify v1.7.0
\tgolang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8
\texample.com/local v0.1.0
)

replace (
\tgithub.com/stretchr/testify => github.com/fork/testify v1.7.1
\texample.com/local => ../local
)
";

    #[test]
    fn requires_replaces_toolchain() {
        let app = parse("go.mod", GOMOD.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.relationship,
                    p.locations.first().map(|l| l.start_line),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "github.com/davecgh/go-spew@v1.1.1",
                    Relationship::Indirect,
                    Some(10)
                ),
                (
                    "github.com/fork/testify@v1.7.1",
                    Relationship::Direct,
                    Some(11)
                ),
                (
                    "github.com/single/dep@v1.0.0",
                    Relationship::Direct,
                    Some(7)
                ),
                (
                    "golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8",
                    Relationship::Direct,
                    Some(12)
                ),
                ("stdlib@v1.22.4", Relationship::Direct, None),
            ]
        );
        assert_eq!(
            app.packages[2].purl.to_string(),
            "pkg:golang/github.com/single/dep@v1.0.0"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("go.mod", b"module x\nrequire a\n").is_err());
        assert!(parse("go.mod", b"module x\nfrobnicate y\n").is_err());
        assert!(parse("go.mod", b"\x7fELF\x02\x01").is_err());
        assert!(parse("go.mod", b"\xff\xfe").is_err());
    }
}
