//! KSV-0002 (KSV002): Runtime/Default AppArmor profile not set
//!
//! ## What it checks
//! A container's AppArmor annotation (`container.apparmor.security.beta.kubernetes.io/<name>`) is set to something other than `runtime/default`.
//!
//! ## Why it matters
//! According to pod security standard 'AppArmor', the AppArmor key must be set to the runtime/default profile or to be undefined.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0002",
    short_id: "KSV002",
    avd_id: "AVD-KSV-0002",
    title: "Runtime/Default AppArmor profile not set",
    description: "According to pod security standard 'AppArmor', the AppArmor key must be set to the runtime/default profile or to be undefined.",
    resolution: "set the 'runtime/default' value from 'container.apparmor.security.beta.kubernetes.io'.",
    severity: Severity::Low,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV002",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const PREFIX: &str = "container.apparmor.security.beta.kubernetes.io";
    each_container(
        res,
        out,
        |c| {
            c.pod
                .annotations()
                .and_then(|a| a.get(&format!("{PREFIX}/{}", c.name)))
                .is_some_and(|v| v.as_str() != Some("runtime/default"))
        },
        |c| container_msg(res, c, "should specify an AppArmor profile"),
    );
}
