//! GCP-0049: Clusters should have IP aliasing enabled
//!
//! IP aliasing allows the reuse of public IPs internally, removing the need for a NAT gateway.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0049",
    short_id: "GCP0049",
    avd_id: "AVD-GCP-0049",
    title: "Clusters should have IP aliasing enabled",
    description: "IP aliasing allows the reuse of public IPs internally, removing the need for a NAT gateway.",
    resolution: "Enable IP aliasing",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0049",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        if r.body.block("ip_allocation_policy").is_none() {
            out.push(Cause::new(
                "Cluster has IP aliasing disabled.",
                Some(r.lines),
            ));
        }
    }
}
