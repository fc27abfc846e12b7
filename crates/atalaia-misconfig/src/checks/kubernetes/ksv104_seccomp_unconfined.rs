//! KSV-0104 (KSV104): Seccomp policies disabled
//!
//! ## What it checks
//! A container's effective seccomp profile (container, pod template or annotation) is unset or `Unconfined`.
//!
//! ## Why it matters
//! A program inside the container can bypass Seccomp protection policies.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0104",
    short_id: "KSV104",
    avd_id: "AVD-KSV-0104",
    title: "Seccomp policies disabled",
    description: "A program inside the container can bypass Seccomp protection policies.",
    resolution: "Specify seccomp either by annotation or by seccomp profile type having allowed values as per pod security standards",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV104",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io";
    for c in res.containers() {
        let from_annotation = c
            .pod
            .annotations()
            .and_then(|a| a.get(&format!("{PREFIX}/{}", c.name)))
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let pod_level = if res.is_pod() {
            from_annotation
        } else {
            c.pod
                .sc(&["seccompProfile", "type"])
                .and_then(Node::scalar_text)
                .unwrap_or(from_annotation)
        };
        let t = c
            .sc(&["seccompProfile", "type"])
            .and_then(Node::scalar_text)
            .unwrap_or(pod_level);
        if t.is_empty() || t.eq_ignore_ascii_case("unconfined") {
            out.push(Cause::new(
                format!(
                    "container {:?} of {} {:?} in {:?} namespace should specify a seccomp profile",
                    c.name,
                    res.kind_lower(),
                    res.name,
                    res.namespace
                ),
                Some(c.lines()),
            ));
        }
    }
}
