//! KSV-0028 (KSV028): Non-core volume types used.
//!
//! ## What it checks
//! The pod uses a volume type outside the Pod Security Standards restricted list.
//!
//! ## Why it matters
//! According to pod security standard 'Volume types', non-core volume types must not be used.

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0028",
    short_id: "KSV028",
    avd_id: "AVD-KSV-0028",
    title: "Non-core volume types used.",
    description:
        "According to pod security standard 'Volume types', non-core volume types must not be used.",
    resolution: "Do not Set 'spec.volumes[*]' to any of the disallowed volume types.",
    severity: Severity::Low,
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    ],
    namespace: "builtin.kubernetes.KSV028",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    const DISALLOWED: &[&str] = &[
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "gitRepo",
        "nfs",
        "iscsi",
        "glusterfs",
        "rbd",
        "flexVolume",
        "cinder",
        "cephFS",
        "flocker",
        "fc",
        "azureFile",
        "vsphereVolume",
        "quobyte",
        "azureDisk",
        "portworxVolume",
        "scaleIO",
        "storageos",
    ];
    if res
        .volumes()
        .iter()
        .any(|v| DISALLOWED.iter().any(|t| v.get(t).is_some()))
    {
        out.push(spec_cause(
            res,
            format!(
                "{} '{}' should set 'spec.volumes[*]' to an allowed volume type",
                res.kind, res.name
            ),
        ));
    }
}
