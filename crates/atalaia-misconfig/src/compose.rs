//! Docker Compose files: services with their line ranges.
//!
//! A YAML document is a Compose file when its top-level `services` is a mapping of mappings
//! and it has no `apiVersion`/`kind` (or when the file is named like one, `compose.yaml`,
//! `docker-compose*.yml`, and has `services`).

use crate::yaml::Node;

/// A Compose file's services.
#[derive(Debug, Clone)]
pub struct ComposeFile<'a> {
    /// The services, in document order.
    pub services: Vec<Service<'a>>,
}

/// One service.
#[derive(Debug, Clone, Copy)]
pub struct Service<'a> {
    /// The service name (its key under `services`).
    pub name: &'a str,
    /// The service's mapping.
    pub node: &'a Node,
    /// Key line to end of the service's mapping.
    pub lines: (usize, usize),
}

const SERVICE_KEYS: &[&str] = &[
    "image",
    "build",
    "command",
    "entrypoint",
    "environment",
    "ports",
    "volumes",
    "depends_on",
    "privileged",
    "network_mode",
    "restart",
    "container_name",
];

/// Whether a document is a Compose file.
pub fn looks_like_compose(doc: &Node, compose_name: bool) -> bool {
    if doc.get("apiVersion").is_some() || doc.get("kind").is_some() {
        return false;
    }
    let Some(services) = doc.get("services") else {
        return false;
    };
    let entries = services.entries();
    if entries.is_empty() {
        return compose_name && services.is_empty_map();
    }
    entries.iter().all(|(_, v)| {
        v.is_empty_map()
            || v.entries().iter().any(|(k, _)| {
                k.as_str()
                    .is_some_and(|k| SERVICE_KEYS.contains(&k) || compose_name)
            })
    })
}

impl<'a> ComposeFile<'a> {
    /// The services of a Compose document.
    pub fn from_node(doc: &'a Node) -> ComposeFile<'a> {
        let services = doc
            .get("services")
            .map(|s| {
                s.entries()
                    .iter()
                    .map(|(k, v)| Service {
                        name: k.as_str().unwrap_or(""),
                        node: v,
                        lines: (k.start, v.end.max(k.start)),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ComposeFile { services }
    }
}

impl Service<'_> {
    /// The line range of `key` inside the service, or the service's range.
    pub fn lines_of(&self, key: &str) -> (usize, usize) {
        self.node.entry_lines(key).unwrap_or(self.lines)
    }

    /// A list-valued key (`cap_add`, `volumes`...) as strings; long-syntax mappings give
    /// their `source:target` form.
    pub fn strings(&self, key: &str) -> Vec<String> {
        let Some(n) = self.node.get(key) else {
            return Vec::new();
        };
        n.items()
            .iter()
            .filter_map(|i| {
                i.scalar_text().or_else(|| {
                    let src = i.get("source").and_then(Node::scalar_text)?;
                    let dst = i
                        .get("target")
                        .and_then(Node::scalar_text)
                        .unwrap_or_default();
                    Some(format!("{src}:{dst}"))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    #[test]
    fn detects_and_reads_services() {
        let docs = parse_documents(
            "services:\n  web:\n    image: nginx\n    privileged: true\n  db:\n    build: .\nvolumes:\n  data: {}\n",
        )
        .unwrap();
        assert!(looks_like_compose(&docs[0], false));
        let f = ComposeFile::from_node(&docs[0]);
        assert_eq!(f.services.len(), 2);
        assert_eq!(f.services[0].name, "web");
        assert_eq!(f.services[0].lines, (2, 4));
        assert_eq!(f.services[0].lines_of("privileged"), (4, 4));
    }

    #[test]
    fn not_compose() {
        let docs = parse_documents("apiVersion: v1\nkind: Service\nservices: {}\n").unwrap();
        assert!(!looks_like_compose(&docs[0], true));
        let docs = parse_documents("services:\n  a: 1\n").unwrap();
        assert!(!looks_like_compose(&docs[0], false));
        let docs = parse_documents("- a\n- b\n").unwrap();
        assert!(!looks_like_compose(&docs[0], true));
    }
}
