//! GCP-0053: GKE Control Plane should not be publicly accessible
//!
//! The GKE control plane is exposed to the public internet by default.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0053",
    short_id: "GCP0053",
    avd_id: "AVD-GCP-0053",
    title: "GKE Control Plane should not be publicly accessible",
    description: "The GKE control plane is exposed to the public internet by default.",
    resolution: "Use private nodes and master authorised networks to prevent exposure",
    severity: Severity::High,
    references: &[],
    namespace: "builtin.google.gke.google0053",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        let Some(m) = r.body.block("master_authorized_networks_config") else {
            continue;
        };
        for c in m.body.blocks("cidr_blocks") {
            if let Some(a) = c.body.attr("cidr_block") {
                if a.v.text().is_some_and(|c| is_public_cidr(&c)) {
                    out.push(Cause::new(
                        "Cluster exposes control plane to the public internet.",
                        Some(a.lines),
                    ));
                }
            }
        }
    }
}
