//! GCP-0029: VPC flow logs should be enabled for all subnetworks
//!
//! VPC flow logs record information about all traffic, which is a vital tool in reviewing anomalous traffic.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0029",
    short_id: "GCP0029",
    avd_id: "AVD-GCP-0029",
    title: "VPC flow logs should be enabled for all subnetworks",
    description: "VPC flow logs record information about all traffic, which is a vital tool in reviewing anomalous traffic.",
    resolution: "Enable VPC flow logs",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.compute.google0029",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_subnetwork") {
        if is_proxy_subnet(r) {
            continue;
        }
        if r.body.block("log_config").is_none() {
            out.push(Cause::new(
                "Subnetwork does not have VPC flow logs enabled.",
                Some(r.lines),
            ));
        }
    }
}
