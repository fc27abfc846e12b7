//! KSV-0106 (KSV106): Container capabilities must only include NET_BIND_SERVICE
//!
//! ## What it checks
//! A container does not drop `ALL` capabilities, or adds one other than `NET_BIND_SERVICE`.
//!
//! ## Why it matters
//! Containers must drop ALL capabilities, and are only permitted to add back the NET_BIND_SERVICE capability.

use super::drops;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0106",
    short_id: "KSV106",
    avd_id: "AVD-KSV-0106",
    title: "Container capabilities must only include NET_BIND_SERVICE",
    description: "Containers must drop ALL capabilities, and are only permitted to add back the NET_BIND_SERVICE capability.",
    resolution: "Set 'spec.containers[*].securityContext.capabilities.drop' to 'ALL' and only add 'NET_BIND_SERVICE' to 'spec.containers[*].securityContext.capabilities.add'.",
    severity: Severity::Low,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
    namespace: "builtin.kubernetes.KSV106",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    for c in res.containers() {
        if !drops(&c, "all") {
            out.push(Cause::new("container should drop all", Some(c.lines())));
        } else if let Some((k, caps)) = c
            .node
            .get("securityContext")
            .and_then(|s| s.entry("capabilities"))
        {
            let adds_other = caps.get("add").is_some_and(|a| {
                a.items()
                    .iter()
                    .any(|x| x.as_str() != Some("NET_BIND_SERVICE"))
            });
            if adds_other {
                out.push(Cause::new(
                    "container should not add stuff",
                    Some((k.start, caps.end)),
                ));
            }
        }
    }
}
