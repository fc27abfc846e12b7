//! AZU-0065: Ensure AKS cluster has private cluster enabled
//!
//! A public AKS API server endpoint increases exposure to unauthorized access or attack. Enable private cluster to ensure the API server endpoint is only accessible from within the virtual network.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AZU-0065",
    short_id: "AZU0065",
    avd_id: "AVD-AZU-0065",
    title: "Ensure AKS cluster has private cluster enabled",
    description: "A public AKS API server endpoint increases exposure to unauthorized access or attack. Enable private cluster to ensure the API server endpoint is only accessible from within the virtual network.",
    resolution: "Provision the AKS cluster with `private_cluster_enabled = true` and use private endpoints.",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/kubernetes_cluster#private_cluster_enabled"],
    namespace: "builtin.azure.container.azure0065",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "azurerm_kubernetes_cluster") {
        match r.body.attr("private_cluster_enabled") {
            Some(a) if a.v.is_false() => out.push(Cause::new(
                "Cluster does not have private cluster enabled.",
                Some(a.lines),
            )),
            None => out.push(Cause::new(
                "Cluster does not have private cluster enabled.",
                Some(r.lines),
            )),
            Some(_) => {}
        }
    }
}
