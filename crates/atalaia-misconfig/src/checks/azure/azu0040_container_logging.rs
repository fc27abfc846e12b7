//! AZU-0040: Ensure AKS logging to Azure Monitoring is Configured
//!
//! Ensure AKS logging to Azure Monitoring is configured for containers to monitor the performance of workloads.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AZU-0040",
    short_id: "AZU0040",
    avd_id: "AVD-AZU-0040",
    title: "Ensure AKS logging to Azure Monitoring is Configured",
    description: "Ensure AKS logging to Azure Monitoring is configured for containers to monitor the performance of workloads.",
    resolution: "Enable logging for AKS",
    severity: Severity::Medium,
    references: &["https://docs.microsoft.com/en-us/azure/azure-monitor/insights/container-insights-onboard"],
    namespace: "builtin.azure.container.azure0040",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "azurerm_kubernetes_cluster") {
        let workspace = r
            .body
            .block("oms_agent")
            .and_then(|o| o.body.attr("log_analytics_workspace_id"));
        if workspace.is_none_or(|w| w.v.text().is_some_and(|t| t.is_empty())) {
            out.push(Cause::new(
                "Cluster does not have logging enabled via OMS Agent.",
                Some(r.lines),
            ));
        }
    }
}
