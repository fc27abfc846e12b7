//! KSV-0038 (KSV038): Selector usage in network policies
//!
//! ## What it checks
//! A NetworkPolicy selects no pods or namespaces (no `podSelector`, `namespaceSelector`, or selectors in its `ingress.from`/`egress.to`).
//!
//! ## Why it matters
//! ensure that network policies selectors are applied to pods or namespaces to restricted ingress and egress traffic within the pod network

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0038",
    short_id: "KSV038",
    avd_id: "AVD-KSV-0038",
    title: "Selector usage in network policies",
    description: "ensure that network policies selectors are applied to pods or namespaces to restricted ingress and egress traffic within the pod network",
    resolution: "create network policies and ensure that pods are selected using the podSelector and/or the namespaceSelector options",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/tasks/administer-cluster/declare-network-policy/"],
    namespace: "builtin.kubernetes.KSV038",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let Some(spec) = res.node.get("spec") else {
        return;
    };
    let peers = |dir: &str, key: &str, sel: &str| {
        spec.get(dir).is_some_and(|d| {
            d.items().iter().any(|r| {
                r.get(key).is_some_and(|p| {
                    p.items()
                        .iter()
                        .any(|p| p.get(sel).is_some_and(Node::truthy))
                })
            })
        })
    };
    let has = spec.get("podSelector").is_some_and(Node::truthy)
        || spec.get("namespaceSelector").is_some_and(Node::truthy)
        || peers("ingress", "from", "namespaceSelector")
        || peers("ingress", "from", "podSelector")
        || peers("egress", "to", "podSelector")
        || peers("egress", "to", "namespaceSelector");
    if !has {
        out.push(spec_cause(res, "Network policy should uses podSelector and/or the namespaceSelector to restrict ingress and egress traffic within the Pod network".to_string()));
    }
}
