//! KSV-0110 (KSV110): Workloads in the default namespace
//!
//! ## What it checks
//! A workload is in the `default` namespace (or sets none).
//!
//! ## Why it matters
//! Checks whether a workload is running in the default namespace.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0110",
    short_id: "KSV110",
    avd_id: "AVD-KSV-0110",
    title: "Workloads in the default namespace",
    description: "Checks whether a workload is running in the default namespace.",
    resolution: "Set 'metadata.namespace' to a non-default namespace.",
    severity: Severity::Low,
    references: &["https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"],
    namespace: "builtin.kubernetes.KSV110",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if res.namespace == "default" && res.kind_lower() != "deploymentconfig" {
        out.push(Cause::new(
            format!(
                "{} {} in {} namespace should set metadata.namespace to a non-default namespace",
                res.kind_lower(),
                res.name,
                res.namespace
            ),
            res.metadata_lines(),
        ));
    }
}
