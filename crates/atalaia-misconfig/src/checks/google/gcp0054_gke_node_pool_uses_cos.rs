//! GCP-0054: Ensure Container-Optimized OS (cos) is used for Kubernetes Engine Clusters Node image
//!
//! GKE supports several OS image types but COS is the recommended OS image to use on cluster nodes for enhanced security

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0054",
    short_id: "GCP0054",
    avd_id: "AVD-GCP-0054",
    title: "Ensure Container-Optimized OS (cos) is used for Kubernetes Engine Clusters Node image",
    description: "GKE supports several OS image types but COS is the recommended OS image to use on cluster nodes for enhanced security",
    resolution: "Use the COS image type",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0054",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_node_pool").chain(of(res, "google_container_cluster")) {
        if let Some(n) = r.body.block("node_config") {
            if let Some(a) = n.body.attr("image_type") {
                if a.v
                    .text()
                    .is_some_and(|t| !t.to_ascii_uppercase().starts_with("COS"))
                {
                    out.push(Cause::new("Cluster is not configuring node pools to use the COS containerd image type by default.", Some(a.lines)));
                }
            }
        }
    }
}
