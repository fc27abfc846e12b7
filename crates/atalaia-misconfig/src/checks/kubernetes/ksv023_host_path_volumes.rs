//! KSV-0023 (KSV023): hostPath volumes mounted
//!
//! ## What it checks
//! The pod has a `hostPath` volume.
//!
//! ## Why it matters
//! According to pod security standard 'HostPath Volumes', HostPath volumes must be forbidden.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0023",
    short_id: "KSV023",
    avd_id: "AVD-KSV-0023",
    title: "hostPath volumes mounted",
    description:
        "According to pod security standard 'HostPath Volumes', HostPath volumes must be forbidden.",
    resolution: "Do not set 'spec.volumes[*].hostPath'.",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
    namespace: "builtin.kubernetes.KSV023",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if res.volumes().iter().any(|v| v.get("hostPath").is_some()) {
        out.push(spec_cause(
            res,
            format!(
                "{} '{}' should not set 'spec.template.volumes.hostPath'",
                res.kind, res.name
            ),
        ));
    }
}
