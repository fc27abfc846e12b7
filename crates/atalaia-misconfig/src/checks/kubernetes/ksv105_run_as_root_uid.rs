//! KSV-0105 (KSV105): Containers must not set runAsUser to 0
//!
//! ## What it checks
//! A container or pod sets `securityContext.runAsUser: 0`.
//!
//! ## Why it matters
//! Containers should be forbidden from running with a root UID.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0105",
    short_id: "KSV105",
    avd_id: "AVD-KSV-0105",
    title: "Containers must not set runAsUser to 0",
    description: "Containers should be forbidden from running with a root UID.",
    resolution: "Set 'securityContext.runAsUser' to a non-zero integer or leave undefined.",
    severity: Severity::Low,
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    ],
    namespace: "builtin.kubernetes.KSV105",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    fn root(n: Option<&Node>) -> Option<&Node> {
        let sc = n?.get("securityContext")?;
        (sc.get("runAsUser")?.as_f64() == Some(0.0)).then_some(sc)
    }
    for c in res.containers() {
        // A container inherits the pod's `runAsUser: 0` unless it sets its own; Trivy points
        // at the container's `securityContext` then too.
        let inherits = root(c.pod.spec).is_some()
            && c.node
                .get("securityContext")
                .is_some_and(|sc| sc.get("runAsUser").is_none());
        if inherits {
            if let Some(lines) = c.node.entry_lines("securityContext") {
                out.push(Cause::new(
                    "securityContext.runAsUser should be set to a value greater than 0",
                    Some(lines),
                ));
            }
        }
        if let Some(sc) = root(Some(c.node)) {
            let lines = c
                .node
                .entry_lines("securityContext")
                .unwrap_or((sc.start, sc.end));
            out.push(Cause::new(
                "securityContext.runAsUser should be set to a value greater than 0",
                Some(lines),
            ));
        }
    }
    for p in res.pods() {
        if let Some(sc) = root(p.spec) {
            let lines = p
                .spec
                .and_then(|s| s.entry_lines("securityContext"))
                .unwrap_or((sc.start, sc.end));
            out.push(Cause::new(
                "securityContext.runAsUser should be set to a value greater than 0",
                Some(lines),
            ));
        }
    }
}
