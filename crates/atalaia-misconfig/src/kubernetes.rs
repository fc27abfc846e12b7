//! Kubernetes manifests: documents to resources, detection by `apiVersion`/`kind`, `List`
//! kinds unwrapped, and the pod templates and containers of workload kinds located (with
//! their line ranges) the way Trivy's `lib.kubernetes` finds them.

use crate::yaml::{self, Node, YamlError};

/// Most resources taken from one file.
pub const MAX_RESOURCES: usize = 10_000;

/// One Kubernetes object.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The object's node (a mapping with `apiVersion` and `kind`).
    pub node: Node,
    /// `kind` as written.
    pub kind: String,
    /// `apiVersion`.
    pub api_version: String,
    /// `metadata.name` (empty when missing).
    pub name: String,
    /// `metadata.namespace`, `default` when missing (as Trivy assumes).
    pub namespace: String,
}

/// A pod template or pod of a workload.
#[derive(Debug, Clone, Copy)]
pub struct Pod<'a> {
    /// The pod object (a Pod, or `spec.template` of a controller).
    pub node: &'a Node,
    /// `spec` of the pod, when present.
    pub spec: Option<&'a Node>,
}

/// A container with the pod it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    /// The container's node (an item of `containers` or `initContainers`).
    pub node: &'a Node,
    /// Its `name`.
    pub name: &'a str,
    /// The pod.
    pub pod: Pod<'a>,
}

const CONTROLLERS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
];

impl Resource {
    /// Build a resource from a document node, if it has string `apiVersion` and `kind`.
    pub fn from_node(node: Node) -> Option<Resource> {
        let kind = node.get("kind")?.as_str()?.to_string();
        let api_version = node.get("apiVersion")?.scalar_text()?;
        if kind.is_empty() {
            return None;
        }
        let name = node
            .path(&["metadata", "name"])
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let namespace = node
            .path(&["metadata", "namespace"])
            .and_then(Node::scalar_text)
            .unwrap_or_else(|| "default".to_string());
        Some(Resource {
            node,
            kind,
            api_version,
            name,
            namespace,
        })
    }

    /// `kind` in lower case.
    pub fn kind_lower(&self) -> String {
        self.kind.to_ascii_lowercase()
    }

    /// Whether this is a Pod.
    pub fn is_pod(&self) -> bool {
        self.kind == "Pod"
    }

    /// Whether this is a workload controller (Deployment, StatefulSet, ...).
    pub fn is_controller(&self) -> bool {
        CONTROLLERS.contains(&self.kind.as_str())
            || (self.kind == "DeploymentConfig" && self.api_version == "apps.openshift.io/v1")
    }

    /// The pods: the object itself for a Pod, `spec.template` for controllers,
    /// `spec.jobTemplate.spec.template` for CronJobs.
    pub fn pods(&self) -> Vec<Pod<'_>> {
        let pod = if self.is_pod() {
            Some(&self.node)
        } else if self.is_controller() {
            self.node.path(&["spec", "template"])
        } else if self.kind == "CronJob" {
            self.node.path(&["spec", "jobTemplate", "spec", "template"])
        } else {
            None
        };
        pod.map(|node| Pod {
            node,
            spec: node.get("spec"),
        })
        .into_iter()
        .collect()
    }

    /// Every container (`containers` then `initContainers`) of every pod.
    pub fn containers(&self) -> Vec<Container<'_>> {
        let mut out = Vec::new();
        for pod in self.pods() {
            let Some(spec) = pod.spec else { continue };
            for key in ["containers", "initContainers"] {
                if let Some(list) = spec.get(key) {
                    for c in list.items() {
                        out.push(Container {
                            node: c,
                            name: c.get("name").and_then(Node::as_str).unwrap_or(""),
                            pod,
                        });
                    }
                }
            }
        }
        out
    }

    /// The `volumes` of every pod.
    pub fn volumes(&self) -> Vec<&Node> {
        self.pods()
            .iter()
            .filter_map(|p| p.spec.and_then(|s| s.get("volumes")))
            .flat_map(Node::items)
            .collect()
    }

    /// The line range of the object's top-level `spec` entry (key line to end of value),
    /// where Trivy places pod-level findings.
    pub fn spec_lines(&self) -> Option<(usize, usize)> {
        self.node.entry_lines("spec")
    }

    /// The line range of the top-level `metadata` entry.
    pub fn metadata_lines(&self) -> Option<(usize, usize)> {
        self.node.entry_lines("metadata")
    }
}

impl Container<'_> {
    /// The container's line range.
    pub fn lines(&self) -> (usize, usize) {
        (self.node.start, self.node.end)
    }

    /// `securityContext.<path>` of the container.
    pub fn sc(&self, path: &[&str]) -> Option<&Node> {
        self.node.get("securityContext").and_then(|s| s.path(path))
    }
}

impl Pod<'_> {
    /// `spec.securityContext.<path>` of the pod.
    pub fn sc(&self, path: &[&str]) -> Option<&Node> {
        self.spec
            .and_then(|s| s.get("securityContext"))
            .and_then(|s| s.path(path))
    }

    /// The line range of the pod's `spec` entry.
    pub fn spec_lines(&self) -> Option<(usize, usize)> {
        self.node.entry_lines("spec")
    }

    /// The pod's `metadata.annotations`.
    pub fn annotations(&self) -> Option<&Node> {
        self.node.path(&["metadata", "annotations"])
    }
}

/// Why a YAML or JSON file holds no Kubernetes resource.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The YAML or JSON could not be read.
    #[error("invalid YAML or JSON")]
    Syntax(#[source] YamlError),
    /// More than [`MAX_RESOURCES`] objects.
    #[error("more than {MAX_RESOURCES} resources")]
    TooLarge,
}

/// Read every resource of a YAML stream (or a JSON document); `List` kinds give their items.
pub fn parse_resources(text: &str) -> Result<Vec<Resource>, ManifestError> {
    let docs = yaml::parse_documents(text).map_err(ManifestError::Syntax)?;
    let mut out = Vec::new();
    for doc in docs {
        collect(doc, &mut out, 0)?;
    }
    Ok(out)
}

fn collect(doc: Node, out: &mut Vec<Resource>, depth: usize) -> Result<(), ManifestError> {
    // Trivy detects a Kubernetes document by `apiVersion`, `kind` and `metadata` together.
    if depth == 0 && doc.get("metadata").is_none() {
        return Ok(());
    }
    let is_list = doc
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k == "List" || (k.ends_with("List") && doc.get("items").is_some()));
    if is_list && depth < 4 {
        if let Some(items) = doc.get("items") {
            for item in items.items() {
                collect(item.clone(), out, depth + 1)?;
            }
        }
        return Ok(());
    }
    if let Some(r) = Resource::from_node(doc) {
        if out.len() >= MAX_RESOURCES {
            return Err(ManifestError::TooLarge);
        }
        out.push(r);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_kind_and_workloads() {
        let text = "apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d\n    namespace: web\n  spec:\n    template:\n      spec:\n        containers:\n        - name: c\n          image: nginx\n        initContainers:\n        - name: i\n          image: busybox\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: s\n";
        let rs = parse_resources(text).unwrap();
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].namespace, "web");
        let cs = rs[0].containers();
        assert_eq!(cs.iter().map(|c| c.name).collect::<Vec<_>>(), ["c", "i"]);
        assert_eq!(cs[0].lines(), (14, 15));
        assert!(rs[1].containers().is_empty());
        assert_eq!(rs[1].namespace, "default");
    }

    #[test]
    fn cronjob_pods() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: x, image: a}]\n";
        let rs = parse_resources(text).unwrap();
        assert_eq!(rs[0].containers().len(), 1);
    }

    #[test]
    fn malformed_inputs() {
        assert!(parse_resources("kind: [").is_err());
        assert!(parse_resources("just a string").unwrap().is_empty());
        assert!(parse_resources("kind: Pod\n").unwrap().is_empty());
        assert!(
            parse_resources("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n")
                .unwrap()
                .is_empty()
        );
        assert!(parse_resources("apiVersion: v1\nkind: List\nitems: 3\n")
            .unwrap()
            .is_empty());
    }
}
