//! KSV-0011 (KSV011): CPU not limited
//!
//! ## What it checks
//! A container sets no `resources.limits.cpu`.
//!
//! ## Why it matters
//! Enforcing CPU limits prevents DoS via resource exhaustion.

use super::{container_msg, each_container, has};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0011",
    short_id: "KSV011",
    avd_id: "AVD-KSV-0011",
    title: "CPU not limited",
    description: "Enforcing CPU limits prevents DoS via resource exhaustion.",
    resolution: "Set a limit value under 'containers[].resources.limits.cpu'.",
    severity: Severity::Low,
    references: &["https://cloud.google.com/blog/products/containers-kubernetes/kubernetes-best-practices-resource-requests-and-limits"],
    namespace: "builtin.kubernetes.KSV011",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| !has(c.node, &["resources", "limits", "cpu"]),
        |c| container_msg(res, c, "should set 'resources.limits.cpu'"),
    );
}
