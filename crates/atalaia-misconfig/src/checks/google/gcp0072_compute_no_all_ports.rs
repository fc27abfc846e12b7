//! GCP-0072: Google Compute Network Using Firewall Rule that Allows All Ports
//!
//! Firewall rules should not be wide open to all ports. Lock down rules to only required ports.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0072",
    short_id: "GCP0072",
    avd_id: "AVD-GCP-0072",
    title: "Google Compute Network Using Firewall Rule that Allows All Ports",
    description: "Firewall rules should not be wide open to all ports. Lock down rules to only required ports.",
    resolution: "Modify firewall rules that allow all ports to restrict to only required ports. Use separate rules for specific port ranges as needed, instead of a single overly broad rule.",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall#allow"],
    namespace: "builtin.google.compute.google0072",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_firewall") {
        if !is_ingress_allow(r) {
            continue;
        }
        let all = r.body.blocks("allow").any(|a| {
            a.body.attr("protocol").and_then(|p| p.v.text()).as_deref() == Some("all")
                || port_ranges(a).iter().any(|(s, e)| *s <= 0 && *e >= 65535)
        });
        if all {
            out.push(Cause::new(
                "Firewall rule allows access to all ports.",
                Some(r.lines),
            ));
        }
    }
}
