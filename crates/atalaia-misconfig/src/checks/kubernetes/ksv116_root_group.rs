//! KSV-0116 (KSV116): Runs with a root primary or supplementary GID
//!
//! ## What it checks
//! The pod runs with group 0: `runAsGroup`, `supplementalGroups` or `fsGroup` is 0 (a whole-resource finding, without lines, as in Trivy).
//!
//! ## Why it matters
//! According to pod security standard 'Non-root groups', containers should be forbidden from running with a root primary or supplementary GID.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0116",
    short_id: "KSV116",
    avd_id: "AVD-KSV-0116",
    title: "Runs with a root primary or supplementary GID",
    description: "According to pod security standard 'Non-root groups', containers should be forbidden from running with a root primary or supplementary GID.",
    resolution: "Set 'containers[].securityContext.runAsGroup' to a non-zero integer or leave undefined.",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-securitycontext-runasuser/"],
    namespace: "builtin.kubernetes.KSV116",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let zero = |n: Option<&Node>| n.and_then(Node::as_f64) == Some(0.0);
    let root = res.pods().iter().any(|p| {
        zero(p.sc(&["runAsGroup"]))
            || zero(p.sc(&["fsGroup"]))
            || p.sc(&["supplementalGroups"])
                .is_some_and(|g| g.items().iter().any(|x| zero(Some(x))))
    });
    if root {
        out.push(Cause::new(
            format!("{} {} in {} namespace should set spec.securityContext.runAsGroup, spec.securityContext.supplementalGroups[*] and spec.securityContext.fsGroup to integer greater than 0", res.kind_lower(), res.name, res.namespace),
            None,
        ));
    }
}
