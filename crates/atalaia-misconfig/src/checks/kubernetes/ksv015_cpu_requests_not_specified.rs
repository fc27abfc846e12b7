//! KSV-0015 (KSV015): CPU requests not specified
//!
//! ## What it checks
//! A container sets no `resources.requests.cpu`.
//!
//! ## Why it matters
//! When containers have resource requests specified, the scheduler can make better decisions about which nodes to place pods on, and how to deal with resource contention.

use super::{container_msg, each_container, has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0015",
    short_id: "KSV015",
    avd_id: "AVD-KSV-0015",
    title: "CPU requests not specified",
    description: "When containers have resource requests specified, the scheduler can make better decisions about which nodes to place pods on, and how to deal with resource contention.",
    resolution: "Set 'containers[].resources.requests.cpu'.",
    severity: Severity::Low,
    references: &["https://cloud.google.com/blog/products/containers-kubernetes/kubernetes-best-practices-resource-requests-and-limits"],
    namespace: "builtin.kubernetes.KSV015",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| !has(c.node, &["resources", "requests", "cpu"]),
        |c| container_msg(res, c, "should set 'resources.requests.cpu'"),
    );
}
