//! KSV-0009 (KSV009): Access to host network
//!
//! ## What it checks
//! The pod sets `hostNetwork: true`.
//!
//! ## Why it matters
//! Sharing the host’s network namespace permits processes in the pod to communicate with processes bound to the host’s loopback adapter.

use super::pod_flag;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0009",
    short_id: "KSV009",
    avd_id: "AVD-KSV-0009",
    title: "Access to host network",
    description: "Sharing the host’s network namespace permits processes in the pod to communicate with processes bound to the host’s loopback adapter.",
    resolution: "Do not set 'spec.template.spec.hostNetwork' to true.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV009",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    pod_flag(res, "hostNetwork", out);
}
