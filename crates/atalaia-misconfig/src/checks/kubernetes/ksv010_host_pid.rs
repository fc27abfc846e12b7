//! KSV-0010 (KSV010): Access to host PID
//!
//! ## What it checks
//! The pod sets `hostPID: true`.
//!
//! ## Why it matters
//! Sharing the host’s PID namespace allows visibility on host processes, potentially leaking information such as environment variables and configuration.

use super::pod_flag;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0010",
    short_id: "KSV010",
    avd_id: "AVD-KSV-0010",
    title: "Access to host PID",
    description: "Sharing the host’s PID namespace allows visibility on host processes, potentially leaking information such as environment variables and configuration.",
    resolution: "Do not set 'spec.template.spec.hostPID' to true.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV010",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    pod_flag(res, "hostPID", out);
}
