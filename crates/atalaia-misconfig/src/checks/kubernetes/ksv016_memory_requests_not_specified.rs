//! KSV-0016 (KSV016): Memory requests not specified
//!
//! ## What it checks
//! A container sets no `resources.requests.memory`.
//!
//! ## Why it matters
//! When containers have memory requests specified, the scheduler can make better decisions about which nodes to place pods on, and how to deal with resource contention.

use super::{container_msg, each_container, has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0016",
    short_id: "KSV016",
    avd_id: "AVD-KSV-0016",
    title: "Memory requests not specified",
    description: "When containers have memory requests specified, the scheduler can make better decisions about which nodes to place pods on, and how to deal with resource contention.",
    resolution: "Set 'containers[].resources.requests.memory'.",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-resources-limits-memory/"],
    namespace: "builtin.kubernetes.KSV016",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| !has(c.node, &["resources", "requests", "memory"]),
        |c| container_msg(res, c, "should set 'resources.requests.memory'"),
    );
}
