//! KSV-0121 (KSV121): Kubernetes resource with disallowed volumes mounted
//!
//! ## What it checks
//! A `hostPath` volume mounts a critical host directory (`/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr`, `/var/lib/docker`).
//!
//! ## Why it matters
//! HostPath present many security risks and as a security practice it is better to avoid critical host paths mounts.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0121",
    short_id: "KSV121",
    avd_id: "AVD-KSV-0121",
    title: "Kubernetes resource with disallowed volumes mounted",
    description: "HostPath present many security risks and as a security practice it is better to avoid critical host paths mounts.",
    resolution: "Do not Set 'spec.volumes[*].hostPath.path' to any of the disallowed volumes.",
    severity: Severity::High,
    references: &["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
    namespace: "builtin.kubernetes.KSV121",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const DISALLOWED: &[&str] = &[
        "/",
        "/boot",
        "/dev",
        "/etc",
        "/lib",
        "/proc",
        "/sys",
        "/usr",
        "/var/lib/docker",
    ];
    let mut found: Vec<String> = res
        .volumes()
        .iter()
        .filter_map(|v| v.path(&["hostPath", "path"]).and_then(Node::as_str))
        .filter(|p| DISALLOWED.contains(p))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    if !found.is_empty() {
        let set = found
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(spec_cause(
            res,
            format!(
                "{} {} in {} namespace shouldn't have volumes set to {{{set}}}",
                res.kind_lower(),
                res.name,
                res.namespace
            ),
        ));
    }
}
