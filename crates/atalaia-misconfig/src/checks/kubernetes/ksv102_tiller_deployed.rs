//! KSV-0102 (KSV102): Tiller Is Deployed
//!
//! ## What it checks
//! A Helm v2 Tiller is deployed (a `tiller` name, image or label).
//!
//! ## Why it matters
//! Check if Helm Tiller component is deployed.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0102",
    short_id: "KSV102",
    avd_id: "AVD-KSV-0102",
    title: "Tiller Is Deployed",
    description: "Check if Helm Tiller component is deployed.",
    resolution: "Migrate to Helm v3 which no longer has Tiller component",
    severity: Severity::Critical,
    references: &[],
    namespace: "builtin.kubernetes.KSV102",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let tiller_meta = |m: Option<&Node>| {
        m.is_some_and(|m| {
            m.get("name")
                .and_then(Node::as_str)
                .is_some_and(|n| n.contains("tiller"))
                || m.path(&["labels", "app"]).and_then(Node::as_str) == Some("helm")
                || m.path(&["labels", "name"]).and_then(Node::as_str) == Some("tiller")
        })
    };
    let msg = |name: &str| {
        format!(
            "container '{name}' of {} '{}' in '{}' namespace shouldn't have tiller deployed",
            res.kind_lower(),
            res.name,
            res.namespace
        )
    };
    let object_is_tiller = tiller_meta(res.node.get("metadata"));
    for c in res.containers() {
        let image = c.node.get("image").and_then(Node::as_str).unwrap_or("");
        if object_is_tiller || image.contains("tiller") {
            out.push(Cause::new(msg(c.name), Some(c.lines())));
        }
    }
    for p in res.pods() {
        if tiller_meta(p.node.get("metadata")) {
            let name = p
                .node
                .path(&["metadata", "name"])
                .and_then(Node::as_str)
                .unwrap_or("");
            out.push(Cause::new(msg(name), Some((p.node.start, p.node.end))));
        }
    }
}
