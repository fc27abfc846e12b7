//! GCP-0057: Node metadata value disables metadata concealment.
//!
//! In provider versions prior to 4:

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0057",
    short_id: "GCP0057",
    avd_id: "AVD-GCP-0057",
    title: "Node metadata value disables metadata concealment.",
    description: "In provider versions prior to 4:\nThe attribute <code>workload_metadata_config.node_metadata</code> configures how node metadata is exposed to workloads. It should be set to <code>SECURE</code> to limit metadata exposure, or <code>GKE_METADATA_SERVER</code> if Workload Identity is enabled.\n\nStarting with provider version 4:\nThe attribute <code>node_metadata</code> has been removed. Instead, <code>workload_metadata_configuration.mode</code> controls node metadata exposure. When Workload Identity is enabled, it should be set to <code>GKE_METADATA</code> to prevent unnecessary exposure of the metadata API to workloads.",
    resolution: "Set mode to GKE_METADATA",
    severity: Severity::High,
    references: &["https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata#create-concealed"],
    namespace: "builtin.google.gke.google0057",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_node_pool") {
        if let Some(n) = r.body.block("node_config") {
            let mode = n
                .body
                .block("workload_metadata_config")
                .and_then(|w| w.body.attr("mode").or_else(|| w.body.attr("node_metadata")));
            match mode {
                None => out.push(Cause::new(
                    "Cluster exposes node metadata of pools by default.",
                    Some(n.lines),
                )),
                Some(a) => {
                    if a.v
                        .text()
                        .is_some_and(|m| m == "GCE_METADATA" || m == "UNSPECIFIED" || m == "EXPOSE")
                    {
                        out.push(Cause::new(
                            "Cluster exposes node metadata of pools by default.",
                            Some(a.lines),
                        ));
                    }
                }
            }
        }
    }
}
