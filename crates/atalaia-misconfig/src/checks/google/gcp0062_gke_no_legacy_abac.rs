//! GCP-0062: Legacy ABAC permissions are enabled.
//!
//! You should disable Attribute-Based Access Control (ABAC), and instead use Role-Based Access Control (RBAC) in GKE.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0062",
    short_id: "GCP0062",
    avd_id: "AVD-GCP-0062",
    title: "Legacy ABAC permissions are enabled.",
    description: "You should disable Attribute-Based Access Control (ABAC), and instead use Role-Based Access Control (RBAC) in GKE.\n\nRBAC has significant security advantages and is now stable in Kubernetes, so it’s time to disable ABAC.",
    resolution: "Switch to using RBAC permissions",
    severity: Severity::High,
    references: &["https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled_default_for_110"],
    namespace: "builtin.google.gke.google0062",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        if let Some(a) = r.body.attr("enable_legacy_abac").filter(|a| a.v.is_true()) {
            out.push(Cause::new(
                "Cluster has legacy ABAC enabled.",
                Some(a.lines),
            ));
        }
    }
}
