//! Maven `pom.xml`, no network: the project (root; group and version inherited from
//! `<parent>` when absent), its `<properties>`, and each `<dependencies>/<dependency>` with
//! `${…}` placeholders resolved from the properties, the project and parent coordinates, and
//! versions missing from a dependency taken from `<dependencyManagement>`. `test`-scoped
//! dependencies are dev.
//!
//! Reading is split in two so that local parents can be used: [`read_pom`] turns one file into a
//! [`PomModel`] (serialisable, so a layer cache can keep it), and [`resolve_pom`] builds the
//! application of a model with the models of its local parents (`<relativePath>`, by default
//! `../pom.xml`, found by the caller in the same tree), nearest first. A parent contributes its
//! properties, its dependency management and its dependencies, and the child's own settings win,
//! as in Maven. A dependency whose version still cannot be resolved (a remote parent, a BOM
//! import) is a warning, not a package.

use std::collections::HashMap;

use atalaia_types::{Application, Location, Relationship};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::{Deserialize, Serialize};

use super::jar::maven;
use crate::util::{application, LineIndex};
use crate::LangError;

const KIND: &str = "pom";

/// One `<dependency>` as written (placeholders unresolved), with its lines.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PomDependency {
    /// `groupId`.
    pub group: String,
    /// `artifactId`.
    pub artifact: String,
    /// `version` (may be empty or hold `${…}`).
    pub version: String,
    /// `scope` (`test` makes it dev).
    pub scope: String,
    /// First and last line of the element, 1-based.
    pub lines: (u32, u32),
}

/// The `<parent>` element.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PomParent {
    /// `groupId`.
    pub group: String,
    /// `artifactId`.
    pub artifact: String,
    /// `version`.
    pub version: String,
    /// `relativePath` as written; `None` when absent (Maven's default is `../pom.xml`); an
    /// empty `<relativePath/>` means the parent is not local.
    pub relative_path: Option<String>,
}

/// What one `pom.xml` says, before inheritance.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PomModel {
    /// The file (relative, no leading `/`).
    pub path: String,
    /// `<properties>`, plus `project.groupId`/`artifactId`/`version` and
    /// `project.parent.*` from the coordinates the file writes.
    pub props: HashMap<String, String>,
    /// `<parent>`, if any.
    pub parent: Option<PomParent>,
    /// `<dependencyManagement>` entries.
    pub managed: Vec<PomDependency>,
    /// `<dependencies>` entries.
    pub deps: Vec<PomDependency>,
}

impl PomModel {
    /// The path of the local parent pom this model names, relative to the tree root, if it
    /// names one: `relativePath` (a directory gets `pom.xml` appended), else `../pom.xml`.
    /// `None` for no parent, an empty `relativePath`, or a path leaving the tree.
    pub fn parent_path(&self) -> Option<String> {
        let parent = self.parent.as_ref()?;
        let rel = match parent.relative_path.as_deref() {
            None => "../pom.xml",
            Some(r) if r.trim().is_empty() => return None,
            Some(r) => r.trim(),
        };
        let rel = if rel.ends_with(".xml") {
            rel.to_owned()
        } else {
            format!("{}/pom.xml", rel.trim_end_matches('/'))
        };
        let mut parts: Vec<&str> = self.path.split('/').collect();
        parts.pop();
        for seg in rel.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        Some(parts.join("/"))
    }

    /// Whether this model is the project `parent` names (same groupId and artifactId).
    pub fn is(&self, parent: &PomParent) -> bool {
        let own = |f: &str| {
            self.props
                .get(&format!("project.{f}"))
                .or_else(|| self.props.get(&format!("project.parent.{f}")))
                .cloned()
                .unwrap_or_default()
        };
        self.props.get("project.artifactId").map(String::as_str) == Some(parent.artifact.as_str())
            && own("groupId") == parent.group
    }
}

/// Parses a `pom.xml` on its own (no parents).
pub(crate) fn parse(
    path: &str,
    bytes: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Application, LangError> {
    let model = read_pom(path, bytes)?;
    let (app, w) = resolve_pom(&model, &[]);
    warnings.extend(w);
    Ok(app)
}

/// Reads one `pom.xml` into its model.
pub fn read_pom(path: &str, bytes: &[u8]) -> Result<PomModel, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let lines = LineIndex::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut model = PomModel {
        path: path.to_owned(),
        ..PomModel::default()
    };
    let mut current: Option<(PomDependency, usize)> = None;
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
                    current = Some((PomDependency::default(), before));
                }
                if stack.len() == 2 && stack[1] == "parent" {
                    model.parent.get_or_insert_with(PomParent::default);
                }
            }
            Event::Empty(e) => {
                // `<relativePath/>`: the parent is not looked up locally.
                let name = e.local_name();
                if name.as_ref() == b"relativePath" && stack.len() == 2 && stack[1] == "parent" {
                    if let Some(p) = model.parent.as_mut() {
                        p.relative_path = Some(String::new());
                    }
                }
            }
            Event::End(_) => {
                if let Some(managed_dep) = is_dep_path(&stack) {
                    if let Some((mut d, start)) = current.take() {
                        let end = usize::try_from(reader.buffer_position()).unwrap_or(before);
                        d.lines = (lines.line(start), lines.line(end.saturating_sub(1)));
                        if managed_dep {
                            model.managed.push(d);
                        } else {
                            model.deps.push(d);
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
                        model.props.insert((*key).to_owned(), value);
                    }
                    ["project", field @ ("groupId" | "artifactId" | "version")] => {
                        model.props.insert(format!("project.{field}"), value);
                    }
                    ["project", "parent", field] => {
                        if matches!(*field, "groupId" | "artifactId" | "version") {
                            model
                                .props
                                .insert(format!("project.parent.{field}"), value.clone());
                        }
                        if let Some(p) = model.parent.as_mut() {
                            match *field {
                                "groupId" => p.group = value,
                                "artifactId" => p.artifact = value,
                                "version" => p.version = value,
                                "relativePath" => p.relative_path = Some(value),
                                _ => {}
                            }
                        }
                    }
                    [.., "dependency", field] => {
                        if let Some((d, _)) = current.as_mut() {
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
    Ok(model)
}

/// Builds the application of `model` with its local parents' models (nearest first), and the
/// warnings for dependencies whose version is still unknown. Dependencies a parent declares
/// are the child's too (Maven inheritance), listed at the parent's lines only when the child
/// does not declare them itself.
pub fn resolve_pom(model: &PomModel, parents: &[&PomModel]) -> (Application, Vec<String>) {
    let path = model.path.as_str();
    let mut warnings = Vec::new();
    // Properties: the farthest parent first, so nearer files override.
    let mut props: HashMap<String, String> = HashMap::new();
    for m in parents.iter().rev() {
        for (k, v) in &m.props {
            // A parent's own coordinates are not the child's.
            if !k.starts_with("project.") {
                props.insert(k.clone(), v.clone());
            }
        }
    }
    props.extend(model.props.iter().map(|(k, v)| (k.clone(), v.clone())));
    // Inherited coordinates.
    for f in ["groupId", "version"] {
        if !props.contains_key(&format!("project.{f}")) {
            if let Some(v) = props.get(&format!("project.parent.{f}")).cloned() {
                props.insert(format!("project.{f}"), v);
            }
        }
    }
    let resolve = |s: &str| resolve_props(s, &props);
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
    let managed: Vec<PomDependency> = std::iter::once(model)
        .chain(parents.iter().copied())
        .flat_map(|m| &m.managed)
        .map(|d| PomDependency {
            group: resolve(&d.group),
            artifact: resolve(&d.artifact),
            version: resolve(&d.version),
            ..d.clone()
        })
        .collect();
    let mut direct_ids = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (m, d) in std::iter::once(model)
        .chain(parents.iter().copied())
        .flat_map(|m| m.deps.iter().map(move |d| (m, d)))
    {
        let (g, a) = (resolve(&d.group), resolve(&d.artifact));
        if seen.iter().any(|(sg, sa)| *sg == g && *sa == a) {
            continue;
        }
        seen.push((g.clone(), a.clone()));
        let mut v = resolve(&d.version);
        if v.is_empty() {
            if let Some(m) = managed.iter().find(|m| m.group == g && m.artifact == a) {
                v.clone_from(&m.version);
            }
        }
        if g.is_empty() || a.is_empty() || v.is_empty() || v.contains("${") {
            warnings.push(format!(
                "`{path}`: the version of `{g}:{a}` is not resolvable from this file and its local parents"
            ));
            continue;
        }
        let mut pkg = maven(&g, &a, &v);
        pkg.relationship = Relationship::Direct;
        pkg.dev = d.scope == "test";
        if std::ptr::eq(m, model) {
            pkg.locations.push(Location {
                start_line: d.lines.0,
                end_line: d.lines.1,
            });
        } else {
            pkg.file_path = crate::util::rooted(&m.path);
        }
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
    (application(KIND, path, packages), warnings)
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

    const PARENT: &str = r#"<project>
  <groupId>com.example</groupId>
  <artifactId>parent</artifactId>
  <version>1.2.0</version>
  <packaging>pom</packaging>
  <properties>
    <jackson.version>2.13.0</jackson.version>
    <guava.version>32.1.2-jre</guava.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.unknown</groupId>
        <artifactId>from-parent</artifactId>
        <version>${guava.version}</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>2.0.9</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.12</version>
    </dependency>
  </dependencies>
</project>
"#;

    #[test]
    fn local_parent_gives_properties_management_and_dependencies() {
        let child = read_pom("app/module/pom.xml", POM.as_bytes()).unwrap();
        assert_eq!(child.parent_path().as_deref(), Some("app/pom.xml"));
        let parent = read_pom("app/pom.xml", PARENT.as_bytes()).unwrap();
        assert!(child.parent.as_ref().is_some_and(|p| parent.is(p)));
        let (app, w) = resolve_pom(&child, &[&parent]);
        assert!(w.is_empty(), "{w:?}");
        let got: Vec<(&str, bool, &str)> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.dev, p.file_path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("com.example:app@1.2.0", false, ""),
                ("com.example:sibling@1.2.0", false, ""),
                // The child's own property wins over the parent's 2.13.0.
                (
                    "com.fasterxml.jackson.core:jackson-databind@2.14.0",
                    false,
                    ""
                ),
                // The child's test-scoped junit wins over the parent's.
                ("junit:junit@4.13.2", true, ""),
                // Inherited from the parent's dependencies.
                ("org.slf4j:slf4j-api@2.0.9", false, "/app/pom.xml"),
                // Version from the parent's dependencyManagement and property.
                ("org.unknown:from-parent@32.1.2-jre", false, ""),
                ("org.yaml:snakeyaml@1.33", false, ""),
            ]
        );
        assert_eq!(app.packages[0].depends_on.len(), 6);
    }

    #[test]
    fn parent_paths() {
        let with = |rel: Option<&str>| PomModel {
            path: "a/b/pom.xml".into(),
            parent: Some(PomParent {
                relative_path: rel.map(str::to_owned),
                ..PomParent::default()
            }),
            ..PomModel::default()
        };
        assert_eq!(with(None).parent_path().as_deref(), Some("a/pom.xml"));
        assert_eq!(
            with(Some("../parent")).parent_path().as_deref(),
            Some("a/parent/pom.xml")
        );
        assert_eq!(
            with(Some("../../x/pom.xml")).parent_path().as_deref(),
            Some("x/pom.xml")
        );
        assert_eq!(with(Some("")).parent_path(), None);
        assert_eq!(with(Some("../../../pom.xml")).parent_path(), None);
        let mut top = with(None);
        top.path = "pom.xml".into();
        assert_eq!(top.parent_path(), None);
        let m = read_pom(
            "x/pom.xml",
            b"<project><parent><groupId>g</groupId><artifactId>p</artifactId><relativePath/></parent><artifactId>a</artifactId></project>",
        )
        .unwrap();
        assert_eq!(m.parent_path(), None);
    }

    #[test]
    fn malformed() {
        let mut w = Vec::new();
        assert!(parse("pom.xml", b"<project><dependencies></project>", &mut w).is_err());
        assert!(parse("pom.xml", b"<settings/>", &mut w).is_err());
        assert!(parse("pom.xml", b"plain text", &mut w).is_err());
    }
}
