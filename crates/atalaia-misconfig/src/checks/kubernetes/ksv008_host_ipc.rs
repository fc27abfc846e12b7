//! KSV-0008 (KSV008): Access to host IPC namespace
//!
//! ## What it checks
//! The pod sets `hostIPC: true`.
//!
//! ## Why it matters
//! Sharing the host’s IPC namespace allows container processes to communicate with processes on the host.

use super::pod_flag;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0008",
    short_id: "KSV008",
    avd_id: "AVD-KSV-0008",
    title: "Access to host IPC namespace",
    description: "Sharing the host’s IPC namespace allows container processes to communicate with processes on the host.",
    resolution: "Do not set 'spec.template.spec.hostIPC' to true.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV008",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    pod_flag(res, "hostIPC", out);
}
