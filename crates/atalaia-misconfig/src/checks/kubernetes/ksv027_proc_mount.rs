//! KSV-0027 (KSV027): Non-default /proc masks set
//!
//! ## What it checks
//! A container sets `securityContext.procMount`.
//!
//! ## Why it matters
//! According to pod security standard '/proc Mount Type', the default /proc masks are set up to reduce attack surface, and should be required.

use super::each_container;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0027",
    short_id: "KSV027",
    avd_id: "AVD-KSV-0027",
    title: "Non-default /proc masks set",
    description: "According to pod security standard '/proc Mount Type', the default /proc masks are set up to reduce attack surface, and should be required.",
    resolution: "Do not set spec.containers[*].securityContext.procMount and spec.initContainers[*].securityContext.procMount.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV027",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| c.sc(&["procMount"]).is_some(),
        |_| {
            format!("{} '{}' should not set 'spec.containers[*].securityContext.procMount' or 'spec.initContainers[*].securityContext.procMount'", res.kind, res.name)
        },
    );
}
