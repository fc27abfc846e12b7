//! AZU-0042: Ensure RBAC is enabled on AKS clusters
//!
//! Using Kubernetes role-based access control (RBAC), you can grant users, groups, and service accounts access to only the resources they need.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AZU-0042",
    short_id: "AZU0042",
    avd_id: "AVD-AZU-0042",
    title: "Ensure RBAC is enabled on AKS clusters",
    description: "Using Kubernetes role-based access control (RBAC), you can grant users, groups, and service accounts access to only the resources they need.",
    resolution: "Enable RBAC",
    severity: Severity::High,
    references: &["https://docs.microsoft.com/en-us/azure/aks/concepts-identity"],
    namespace: "builtin.azure.container.azure0042",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "azurerm_kubernetes_cluster") {
        if let Some(a) = r.body.attr("role_based_access_control_enabled") {
            if a.v.is_false() {
                out.push(Cause::new("RBAC is not enabled on cluster", Some(a.lines)));
            }
        } else if let Some(b) = r.body.block("role_based_access_control") {
            if let Some(a) = b.body.attr("enabled").filter(|a| a.v.is_false()) {
                out.push(Cause::new("RBAC is not enabled on cluster", Some(a.lines)));
            }
        }
    }
}
