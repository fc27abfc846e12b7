//! GCP-0043: Instances should not have IP forwarding enabled
//!
//! Disabling IP forwarding ensures the instance can only receive packets addressed to the instance and can only send packets with a source address of the instance.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0043",
    short_id: "GCP0043",
    avd_id: "AVD-GCP-0043",
    title: "Instances should not have IP forwarding enabled",
    description: "Disabling IP forwarding ensures the instance can only receive packets addressed to the instance and can only send packets with a source address of the instance.",
    resolution: "Disable IP forwarding",
    severity: Severity::High,
    references: &[],
    namespace: "builtin.google.compute.google0043",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        if let Some(a) = r.body.attr("can_ip_forward").filter(|a| a.v.is_true()) {
            out.push(Cause::new(
                "Instance has IP forwarding allowed",
                Some(a.lines),
            ));
        }
    }
}
