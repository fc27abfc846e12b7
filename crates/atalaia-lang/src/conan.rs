//! Conan `conan.lock`: version 0.4 (Conan 1, `graph_lock.nodes` with `ref` and `requires`; node
//! `0` is the consumer, its requires are direct) and version 0.5 (Conan 2: `requires`,
//! `build_requires` as dev, `python_requires` as dev). References are
//! `name/version[@user/channel][#revision]`.

use std::collections::BTreeMap;

use atalaia_types::{Application, Ecosystem, Package, Relationship};
use serde::Deserialize;

use crate::util::{application, simple_package};
use crate::LangError;

const KIND: &str = "conan";

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    graph_lock: Option<GraphLock>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    build_requires: Vec<String>,
    #[serde(default)]
    python_requires: Vec<String>,
}

#[derive(Deserialize)]
struct GraphLock {
    nodes: BTreeMap<String, Node>,
}

#[derive(Deserialize)]
struct Node {
    #[serde(default)]
    r#ref: Option<String>,
    #[serde(default)]
    requires: Vec<String>,
}

/// `zlib/1.2.13@user/channel#rev%123` -> (`zlib`, `1.2.13`).
fn split_ref(r: &str) -> Option<(&str, &str)> {
    let r = r.split(['#', '@']).next()?;
    let (name, version) = r.split_once('/')?;
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

/// Parses a `conan.lock`.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lock: Lock =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let mut packages: Vec<Package> = Vec::new();
    if let Some(graph) = &lock.graph_lock {
        let id_of = |n: &str| {
            graph
                .nodes
                .get(n)
                .and_then(|node| node.r#ref.as_deref())
                .and_then(split_ref)
                .map(|(a, b)| format!("{a}@{b}"))
        };
        let direct: Vec<String> = graph
            .nodes
            .get("0")
            .map(|n| n.requires.iter().filter_map(|r| id_of(r)).collect())
            .unwrap_or_default();
        for node in graph.nodes.values() {
            let Some((name, version)) = node.r#ref.as_deref().and_then(split_ref) else {
                continue;
            };
            let mut pkg = simple_package(Ecosystem::ConanCenter, name, version);
            pkg.relationship = if direct.contains(&pkg.id) {
                Relationship::Direct
            } else {
                Relationship::Indirect
            };
            pkg.depends_on = node.requires.iter().filter_map(|r| id_of(r)).collect();
            pkg.depends_on.sort();
            packages.push(pkg);
        }
    } else {
        for (refs, dev) in [
            (&lock.requires, false),
            (&lock.build_requires, true),
            (&lock.python_requires, true),
        ] {
            for r in refs {
                let Some((name, version)) = split_ref(r) else {
                    return Err(LangError::new(
                        path,
                        KIND,
                        format!("`{r}` is not a `name/version` reference"),
                    ));
                };
                let mut pkg = simple_package(Ecosystem::ConanCenter, name, version);
                pkg.dev = dev;
                packages.push(pkg);
            }
        }
    }
    Ok(application(KIND, path, packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_and_v2() {
        let v1 = r#"{"graph_lock": {"nodes": {"0": {"ref": "conanfile.txt", "requires": ["1"]}, "1": {"ref": "openssl/3.0.5", "requires": ["2"]}, "2": {"ref": "zlib/1.2.12#abc"}}}, "version": "0.4"}"#;
        let app = parse("conan.lock", v1.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship, p.depends_on.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "openssl@3.0.5",
                    Relationship::Direct,
                    vec!["zlib@1.2.12".to_owned()]
                ),
                ("zlib@1.2.12", Relationship::Indirect, vec![])
            ]
        );
        let v2 = r#"{"version": "0.5", "requires": ["zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.049"], "build_requires": ["cmake/3.27.0#x%1"], "python_requires": []}"#;
        let app = parse("conan.lock", v2.as_bytes()).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev))
            .collect();
        assert_eq!(got, [("cmake@3.27.0", true), ("zlib@1.2.13", false)]);
        assert_eq!(app.packages[1].purl.to_string(), "pkg:conan/zlib@1.2.13");
    }

    #[test]
    fn malformed() {
        assert!(parse("conan.lock", b"{\"requires\": [\"noversion\"]}").is_err());
        assert!(parse("conan.lock", b"{\"graph_lock\": 1}").is_err());
    }
}
