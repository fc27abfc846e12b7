//! AZU-0066: Ensure AKS cluster has Azure Policy add-on enabled
//!
//! Azure Kubernetes Service should enable Azure Policy Add-On to enforce compliance and governance policies on the cluster. The add-on extends Gatekeeper v3, an admission controller webhook for Open Policy Agent (OPA).

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AZU-0066",
    short_id: "AZU0066",
    avd_id: "AVD-AZU-0066",
    title: "Ensure AKS cluster has Azure Policy add-on enabled",
    description: "Azure Kubernetes Service should enable Azure Policy Add-On to enforce compliance and governance policies on the cluster. The add-on extends Gatekeeper v3, an admission controller webhook for Open Policy Agent (OPA).",
    resolution: "Enable Azure Policy add-on on the AKS cluster to enforce governance policies.",
    severity: Severity::Low,
    references: &["https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/kubernetes_cluster#azure_policy_enabled"],
    namespace: "builtin.azure.container.azure0066",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "azurerm_kubernetes_cluster") {
        match r.body.attr("azure_policy_enabled") {
            Some(a) if a.v.is_false() => out.push(Cause::new(
                "Cluster does not have Azure Policy add-on enabled.",
                Some(a.lines),
            )),
            None => out.push(Cause::new(
                "Cluster does not have Azure Policy add-on enabled.",
                Some(r.lines),
            )),
            Some(_) => {}
        }
    }
}
