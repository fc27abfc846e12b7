//! KSV-0030 (KSV030): Runtime/Default Seccomp profile not set
//!
//! ## What it checks
//! Neither the pod nor a container sets `seccompProfile.type` (or it is not `RuntimeDefault`/`Localhost`), or the pre-1.19 pod annotation is not `runtime/default`.
//!
//! ## Why it matters
//! According to pod security standard 'Seccomp', the RuntimeDefault seccomp profile must be required, or allow specific additional profiles.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0030",
    short_id: "KSV030",
    avd_id: "AVD-KSV-0030",
    title: "Runtime/Default Seccomp profile not set",
    description: "According to pod security standard 'Seccomp', the RuntimeDefault seccomp profile must be required, or allow specific additional profiles.",
    resolution: "Set 'spec.securityContext.seccompProfile.type', 'spec.containers[*].securityContext.seccompProfile' and 'spec.initContainers[*].securityContext.seccompProfile' to 'RuntimeDefault' or undefined.",
    severity: Severity::Low,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
    namespace: "builtin.kubernetes.KSV030",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
    let seccomp = |n: Option<&Node>| -> String {
        n.and_then(|n| n.path(&["securityContext", "seccompProfile", "type"]))
            .and_then(Node::scalar_text)
            .unwrap_or_default()
    };
    let pods = res.pods();
    let annotations: Vec<&Node> = pods
        .iter()
        .filter_map(|p| p.annotations()?.get(ANNOTATION))
        .collect();
    for a in &annotations {
        if a.as_str() != Some("runtime/default") {
            out.push(Cause::new(
                "seccomp.security.alpha.kubernetes.io/pod should be set to 'runtime/default'",
                Some((a.start, a.end)),
            ));
        }
    }
    let defined_on_pod = pods.iter().any(|p| !seccomp(p.spec).is_empty());
    for c in res.containers() {
        let t = seccomp(Some(c.node));
        if t.is_empty() {
            if annotations.is_empty() && !defined_on_pod {
                out.push(Cause::new("Either Pod or Container should set 'securityContext.seccompProfile.type' to 'RuntimeDefault'", Some(c.lines())));
            }
        } else if t != "RuntimeDefault" && t != "Localhost" {
            out.push(Cause::new(
                "Container should set 'securityContext.seccompProfile.type' to 'RuntimeDefault'",
                Some(c.lines()),
            ));
        }
    }
    for p in &pods {
        let t = seccomp(p.spec);
        if !t.is_empty() && t != "RuntimeDefault" && t != "Localhost" {
            out.push(Cause::new(
                "Pod should set 'securityContext.seccompProfile.type' to 'RuntimeDefault'",
                p.spec_lines(),
            ));
        }
    }
}
