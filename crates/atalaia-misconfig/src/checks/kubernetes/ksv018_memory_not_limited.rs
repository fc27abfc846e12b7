//! KSV-0018 (KSV018): Memory not limited
//!
//! ## What it checks
//! A container sets no `resources.limits.memory`.
//!
//! ## Why it matters
//! Enforcing memory limits prevents DoS via resource exhaustion.

use super::{container_msg, each_container, has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0018",
    short_id: "KSV018",
    avd_id: "AVD-KSV-0018",
    title: "Memory not limited",
    description: "Enforcing memory limits prevents DoS via resource exhaustion.",
    resolution: "Set a limit value under 'containers[].resources.limits.memory'.",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-resources-limits-memory/"],
    namespace: "builtin.kubernetes.KSV018",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| !has(c.node, &["resources", "limits", "memory"]),
        |c| container_msg(res, c, "should set 'resources.limits.memory'"),
    );
}
