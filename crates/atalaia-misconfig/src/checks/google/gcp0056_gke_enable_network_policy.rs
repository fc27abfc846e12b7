//! GCP-0056: Network Policy should be enabled on GKE clusters
//!
//! Enabling a network policy allows the segregation of network traffic by namespace

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0056",
    short_id: "GCP0056",
    avd_id: "AVD-GCP-0056",
    title: "Network Policy should be enabled on GKE clusters",
    description: "Enabling a network policy allows the segregation of network traffic by namespace",
    resolution: "Enable network policy",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.google.gke.google0056",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        // Dataplane V2 enforces network policies by itself.
        if r.body
            .attr("datapath_provider")
            .and_then(|d| d.v.text())
            .as_deref()
            == Some("ADVANCED_DATAPATH")
        {
            continue;
        }
        match r.body.block("network_policy") {
            None => out.push(Cause::new(
                "Cluster does not have a network policy enabled.",
                Some(r.lines),
            )),
            Some(p) => require_true(
                &p.body,
                "enabled",
                p.lines,
                "Cluster does not have a network policy enabled.",
                out,
            ),
        }
    }
}
