//! GCP-0071: SSH Access Is Not Restricted
//!
//! Firewall rules should restrict SSH (TCP/22) access to specific IPs. Open SSH can be a security risk.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0071",
    short_id: "GCP0071",
    avd_id: "AVD-GCP-0071",
    title: "SSH Access Is Not Restricted",
    description: "Firewall rules should restrict SSH (TCP/22) access to specific IPs. Open SSH can be a security risk.",
    resolution: "Restrict SSH (TCP port 22) access in firewall rules to known IP addresses or ranges. Avoid open 0.0.0.0/0 access for SSH.",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall"],
    namespace: "builtin.google.compute.google0071",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_firewall") {
        if !is_ingress_allow(r) {
            continue;
        }
        let Some(src) = r.body.attr("source_ranges") else {
            continue;
        };
        let public = match &src.v {
            V::List(l) => l
                .iter()
                .any(|c| c.text().is_some_and(|c| is_public_cidr(&c))),
            _ => false,
        };
        if !public {
            continue;
        }
        if allows_port(r, 22) {
            out.push(Cause::new(
                "Firewall rule allows SSH access from the public internet.",
                Some(src.lines),
            ));
        }
    }
}
