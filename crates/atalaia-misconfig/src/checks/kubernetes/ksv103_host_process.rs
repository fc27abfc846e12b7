//! KSV-0103 (KSV103): Access to host process
//!
//! ## What it checks
//! The pod or a container enables Windows `hostProcess`.
//!
//! ## Why it matters
//! Windows pods offer the ability to run HostProcess containers which enable privileged access to the Windows node.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0103",
    short_id: "KSV103",
    avd_id: "AVD-KSV-0103",
    title: "Access to host process",
    description: "Windows pods offer the ability to run HostProcess containers which enable privileged access to the Windows node.",
    resolution: "Do not enable 'hostProcess' on any securityContext",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV103",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let on = |sc: Option<&Node>| {
        sc.and_then(|s| s.path(&["windowsOptions", "hostProcess"]))
            .and_then(Node::as_bool)
            == Some(true)
    };
    if on(res.node.path(&["spec", "securityContext"])) {
        out.push(spec_cause(
            res,
            "You should not enable hostProcess.".to_string(),
        ));
    }
    for c in res.containers() {
        let sc = c.node.get("securityContext");
        if on(sc) {
            let lines = sc
                .and_then(|s| s.entry_lines("windowsOptions"))
                .unwrap_or(c.lines());
            out.push(Cause::new(
                "You should not enable hostProcess.",
                Some(lines),
            ));
        }
    }
}
