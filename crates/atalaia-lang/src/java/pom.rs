//! Maven `pom.xml`, read on its own (no network, no other files): the project (root; group and
//! version inherited from `<parent>` when absent), its `<properties>`, and each
//! `<dependencies>/<dependency>` with `${…}` placeholders resolved from the properties, the
//! project and parent coordinates, and versions missing from a dependency taken from the pom's
//! own `<dependencyManagement>`. `test`-scoped dependencies are dev. A dependency whose version
//! cannot be resolved from this file alone (a parent's dependency management, a BOM import) is
//! a warning, not a package.

use std::collections::HashMap;

use atalaia_types::{Application, Location, Relationship};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::jar::maven;
use crate::util::{application, LineIndex};
use crate::LangError;

const KIND: &str = "pom";

#[derive(Default, Clone)]
struct Dep {
    group: String,
    artifact: String,
    version: String,
    scope: String,
    start: usize,
    end: usize,
}

/// Parses a `pom.xml`.
pub(crate) fn parse(
    path: &str,
    bytes: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut props: HashMap<String, String> = HashMap::new();
    let mut deps: Vec<Dep> = Vec::new();
    let mut managed: Vec<Dep> = Vec::new();
    let mut current: Option<Dep> = None;
    let mut saw_project = false;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| {
            LangError::new(
                path,
                KIND,
                format!("invalid XML at byte {}: {e}", reader.buffer_position()),
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if stack.is_empty() {
                    if name != "project" {
                        return Err(LangError::new(
                            path,
                            KIND,
                            format!("the root element is `{name}`, not `project`"),
                        ));
                    }
                    saw_project = true;
                }
                stack.push(name);
                if is_dep_path(&stack).is_some() {
                    current = Some(Dep {
                        start: before,
                        ..Dep::default()
                    });
                }
            }
            Event::End(_) => {
                if let Some(managed_dep) = is_dep_path(&stack) {
                    if let Some(mut d) = current.take() {
                        d.end = usize::try_from(reader.buffer_position()).unwrap_or(before);
                        if managed_dep {
                            managed.push(d)
                        } else {
                            deps.push(d)
                        }
                    }
                }
                stack.pop();
            }
            Event::Text(t) => {
                let value = t
                    .unescape()
                    .map(|c| c.trim().to_owned())
                    .unwrap_or_default();
                if value.is_empty() {
                    continue;
                }
                let path_str: Vec<&str> = stack.iter().map(String::as_str).collect();
                match path_str.as_slice() {
                    ["project", "properties", key] => {
                        props.insert((*key).to_owned(), value);
                    }
                    ["project", field @ ("groupId" | "artifactId" | "version")] => {
                        props.insert(format!("project.{field}"), value);
                    }
                    ["project", "parent", field @ ("groupId" | "artifactId" | "version")] => {
                        props.insert(format!("project.parent.{field}"), value);
                    }
                    [.., "dependency", field] => {
                        if let Some(d) = current.as_mut() {
                            match *field {
                                "groupId" => d.group = value,
                                "artifactId" => d.artifact = value,
                                "version" => d.version = value,
                                "scope" => d.scope = value,
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_project {
        return Err(LangError::new(path, KIND, "no `<project>` element"));
    }
    // Inherited coordinates.
    for f in ["groupId", "version"] {
        if !props.contains_key(&format!("project.{f}")) {
            if let Some(v) = props.get(&format!("project.parent.{f}")).cloned() {
                props.insert(format!("project.{f}"), v);
            }
        }
    }
    let resolve = |s: &str| resolve_props(s, &props);
    let lines = LineIndex::new(text);
    let mut packages = Vec::new();
    let (group, artifact, version) = (
        props.get("project.groupId").map(|s| resolve(s)),
        props.get("project.artifactId").map(|s| resolve(s)),
        props.get("project.version").map(|s| resolve(s)),
    );
    if let (Some(g), Some(a), Some(v)) = (&group, &artifact, &version) {
        let mut root = maven(g, a, v);
        root.relationship = Relationship::Root;
        packages.push(root);
    }
    let managed: Vec<Dep> = managed
        .into_iter()
        .map(|d| Dep {
            group: resolve(&d.group),
            artifact: resolve(&d.artifact),
            version: resolve(&d.version),
            ..d
        })
        .collect();
    let mut direct_ids = Vec::new();
    for d in deps {
        let (g, a) = (resolve(&d.group), resolve(&d.artifact));
        let mut v = resolve(&d.version);
        if v.is_empty() {
            if let Some(m) = managed.iter().find(|m| m.group == g && m.artifact == a) {
                v.clone_from(&m.version);
            }
        }
        if g.is_empty() || a.is_empty() || v.is_empty() || v.contains("${") {
            warnings.push(format!(
                "`{path}`: the version of `{g}:{a}` is not resolvable from this file alone"
            ));
            continue;
        }
        let mut pkg = maven(&g, &a, &v);
        pkg.relationship = Relationship::Direct;
        pkg.dev = d.scope == "test";
        pkg.locations.push(Location {
            start_line: lines.line(d.start),
            end_line: lines.line(d.end.saturating_sub(1)),
        });
        direct_ids.push(pkg.id.clone());
        packages.push(pkg);
    }
    if let Some(root) = packages
        .first_mut()
        .filter(|p| p.relationship == Relationship::Root)
    {
        direct_ids.sort();
        direct_ids.dedup();
        root.depends_on = direct_ids;
    }
    Ok(application(KIND, path, packages))
}

/// `Some(true)` inside `dependencyManagement/dependencies/dependency`, `Some(false)` inside the
/// project's own `dependencies/dependency` (profiles and plugins are not read).
fn is_dep_path(stack: &[String]) -> Option<bool> {
    let s: Vec<&str> = stack.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["project", "dependencies", "dependency"] => Some(false),
        ["project", "dependencyManagement", "dependencies", "dependency"] => Some(true),
        _ => None,
    }
}

/// Replaces `${name}` placeholders (recursively, a few levels deep) from `props`; `${version}`
/// and `${pom.version}` are old spellings of `${project.version}`.
fn resolve_props(s: &str, props: &HashMap<String, String>) -> String {
    let mut out = s.to_owned();
    for _ in 0..5 {
        let Some(start) = out.find("${") else { break };
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let key = &out[start + 2..start + len];
        let lookup = match key {
            "version" | "pom.version" => "project.version",
            "groupId" | "pom.groupId" => "project.groupId",
            other => other,
        };
        let Some(value) = props.get(lookup) else {
            break;
        };
        out = format!("{}{}{}", &out[..start], value, &out[start + len + 1..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.example</groupId>
    <artifactId>parent</artifactId>
    <version>1.2.0</version>
  </parent>
  <artifactId>app</artifactId>
  <properties>
    <jackson.version>2.14.0</jackson.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.yaml</groupId>
        <artifactId>snakeyaml</artifactId>
        <version>1.33</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.yaml</groupId>
      <artifactId>snakeyaml</artifactId>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>sibling</artifactId>
      <version>${project.version}</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.unknown</groupId>
      <artifactId>from-parent</artifactId>
    </dependency>
  </dependencies>
</project>
"#;

    #[test]
    fn pom() {
        let mut w = Vec::new();
        let app = parse("pom.xml", POM.as_bytes(), &mut w).unwrap();
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.relationship,
                    p.dev,
                    p.locations.first().map(|l| (l.start_line, l.end_line)),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("com.example:app@1.2.0", Relationship::Root, false, None),
                (
                    "com.example:sibling@1.2.0",
                    Relationship::Direct,
                    false,
                    Some((32, 36))
                ),
                (
                    "com.fasterxml.jackson.core:jackson-databind@2.14.0",
                    Relationship::Direct,
                    false,
                    Some((23, 27))
                ),
                (
                    "junit:junit@4.13.2",
                    Relationship::Direct,
                    true,
                    Some((37, 42))
                ),
                (
                    "org.yaml:snakeyaml@1.33",
                    Relationship::Direct,
                    false,
                    Some((28, 31))
                ),
            ]
        );
        assert_eq!(app.packages[0].depends_on.len(), 4);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("org.unknown:from-parent"));
    }

    #[test]
    fn malformed() {
        let mut w = Vec::new();
        assert!(parse("pom.xml", b"<project><dependencies></project>", &mut w).is_err());
        assert!(parse("pom.xml", b"<settings/>", &mut w).is_err());
        assert!(parse("pom.xml", b"plain text", &mut w).is_err());
    }
}
