//! AZU-0041: Ensure AKS has an API Server Authorized IP Ranges enabled
//!
//! The API server is the central way to interact with and manage a cluster. To improve cluster security and minimize attacks, the API server should only be accessible from a limited set of IP address ranges.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AZU-0041",
    short_id: "AZU0041",
    avd_id: "AVD-AZU-0041",
    title: "Ensure AKS has an API Server Authorized IP Ranges enabled",
    description: "The API server is the central way to interact with and manage a cluster. To improve cluster security and minimize attacks, the API server should only be accessible from a limited set of IP address ranges.",
    resolution: "Limit the access to the API server to a limited IP range",
    severity: Severity::Critical,
    references: &["https://docs.microsoft.com/en-us/azure/aks/api-server-authorized-ip-ranges"],
    namespace: "builtin.azure.container.azure0041",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "azurerm_kubernetes_cluster") {
        if r.body
            .attr("private_cluster_enabled")
            .is_some_and(|p| p.v.is_true() || p.v == V::Unknown)
        {
            continue;
        }
        let mut ranges = r
            .body
            .block("api_server_access_profile")
            .and_then(|p| p.body.attr("authorized_ip_ranges"));
        if ranges.is_none() {
            ranges = r.body.attr("api_server_authorized_ip_ranges");
        }
        let none =
            ranges.is_none_or(|a| matches!(&a.v, V::List(l) if l.is_empty()) || a.v == V::Null);
        if none {
            out.push(Cause::new(
                "Cluster does not limit API access to specific IP addresses.",
                Some(r.lines),
            ));
        }
    }
}
