//! KSV-0120 (KSV120): SYS_MODULE capability added
//!
//! ## What it checks
//! A container adds the `SYS_MODULE` capability.
//!
//! ## Why it matters
//! The SYS_MODULE capability grants attackers the ability to install and remove kernel modules, posing serious security risks.

use super::adds;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0120",
    short_id: "KSV120",
    avd_id: "AVD-KSV-0120",
    title: "SYS_MODULE capability added",
    description: "The SYS_MODULE capability grants attackers the ability to install and remove kernel modules, posing serious security risks.",
    resolution: "To mitigate potential security risks, it is strongly recommended to remove the SYS_MODULE capability from 'containers[].securityContext.capabilities.add'. It is advisable to follow the practice of dropping all capabilities and only adding the necessary ones.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"],
    namespace: "builtin.kubernetes.KSV120",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for c in res.containers().iter().filter(|c| adds(c, "SYS_MODULE")) {
        out.push(Cause::new(
            format!("container {} of {} {} in {} namespace should not include 'SYS_MODULE' in securityContext.capabilities.add", c.name, res.kind_lower(), res.name, res.namespace),
            Some(c.lines()),
        ));
    }
}
