//! GCP-0050: Checks for service account defined for GKE nodes
//!
//! You should create and use a minimally privileged service account to run your GKE cluster instead of using the Compute Engine default service account.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0050",
    short_id: "GCP0050",
    avd_id: "AVD-GCP-0050",
    title: "Checks for service account defined for GKE nodes",
    description: "You should create and use a minimally privileged service account to run your GKE cluster instead of using the Compute Engine default service account.",
    resolution: "Use limited permissions for service accounts to be effective",
    severity: Severity::Medium,
    references: &["https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa"],
    namespace: "builtin.google.gke.google0050",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_node_pool") {
        if let Some(n) = r.body.block("node_config") {
            if n.body
                .attr("service_account")
                .is_none_or(|a| a.v.text().is_some_and(|t| t.is_empty()))
            {
                out.push(Cause::new(
                    "Node pool does not override the default service account.",
                    Some(n.lines),
                ));
            }
        }
    }
}
