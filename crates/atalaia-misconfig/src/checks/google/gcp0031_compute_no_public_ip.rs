//! GCP-0031: Instances should not have public IP addresses
//!
//! Instances should not be publicly exposed to the internet

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0031",
    short_id: "GCP0031",
    avd_id: "AVD-GCP-0031",
    title: "Instances should not have public IP addresses",
    description: "Instances should not be publicly exposed to the internet",
    resolution: "Remove public IP",
    severity: Severity::High,
    references: &["https://cloud.google.com/compute/docs/ip-addresses#externaladdresses"],
    namespace: "builtin.google.compute.google0031",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        for n in r.body.blocks("network_interface") {
            for a in n.body.blocks("access_config") {
                out.push(Cause::new(
                    "Instance has a public IP allocated.",
                    Some(a.lines),
                ));
            }
        }
    }
}
