//! KSV-0117 (KSV117): Prevent binding to privileged ports
//!
//! ## What it checks
//! A container declares a `containerPort` below 1024 (a whole-resource finding, without lines, as in Trivy).
//!
//! ## Why it matters
//! The ports which are lower than 1024 receive and transmit various sensitive and privileged data. Allowing containers to use them can bring serious implications.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0117",
    short_id: "KSV117",
    avd_id: "AVD-KSV-0117",
    title: "Prevent binding to privileged ports",
    description: "The ports which are lower than 1024 receive and transmit various sensitive and privileged data. Allowing containers to use them can bring serious implications.",
    resolution: "Do not map the container ports to privileged host ports when starting a container.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/", "https://www.stigviewer.com/stig/kubernetes/2022-12-02/finding/V-242414"],
    namespace: "builtin.kubernetes.KSV117",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let low = res.containers().iter().any(|c| {
        c.node.get("ports").is_some_and(|p| {
            p.items().iter().any(|p| {
                p.get("containerPort")
                    .and_then(Node::as_f64)
                    .is_some_and(|n| n < 1024.0)
            })
        })
    });
    if low {
        out.push(Cause::new(
            format!("{} {} in {} namespace should not set spec.template.spec.containers.ports.containerPort to less than 1024", res.kind_lower(), res.name, res.namespace),
            None,
        ));
    }
}
