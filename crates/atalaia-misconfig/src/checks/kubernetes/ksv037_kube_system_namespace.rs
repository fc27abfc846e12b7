//! KSV-0037 (KSV037): User Pods should not be placed in kube-system namespace
//!
//! ## What it checks
//! An object is placed in `kube-system` and is not a labelled control-plane component.
//!
//! ## Why it matters
//! ensure that User pods are not placed in kube-system namespace

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0037",
    short_id: "KSV037",
    avd_id: "AVD-KSV-0037",
    title: "User Pods should not be placed in kube-system namespace",
    description: "ensure that User pods are not placed in kube-system namespace",
    resolution: "Deploy the use pods into a designated namespace which is not kube-system.",
    severity: Severity::Medium,
    references: &[
        "https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/",
    ],
    namespace: "builtin.kubernetes.KSV037",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    // Trivy points at `spec`; an object without one (a RoleBinding) is not reported.
    if res.namespace != "kube-system" || res.node.get("spec").is_none() {
        return;
    }
    let label = |k: &str| {
        res.node
            .path(&["metadata", "labels", k])
            .and_then(Node::as_str)
    };
    let core = label("tier") == Some("control-plane")
        && res
            .node
            .path(&["spec", "priorityClassName"])
            .and_then(Node::as_str)
            == Some("system-node-critical")
        && label("component").is_some_and(|c| {
            [
                "kube-apiserver",
                "etcd",
                "kube-controller-manager",
                "kube-scheduler",
            ]
            .contains(&c)
        });
    if !core {
        out.push(spec_cause(
            res,
            format!(
                "{} '{}' should not be set with 'kube-system' namespace",
                res.kind, res.name
            ),
        ));
    }
}
