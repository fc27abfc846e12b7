//! GCP-0070: RDP Access Is Not Restricted
//!
//! Firewall rules should restrict RDP (TCP/3389) access to specific IP ranges. Open RDP access can be a security risk.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0070",
    short_id: "GCP0070",
    avd_id: "AVD-GCP-0070",
    title: "RDP Access Is Not Restricted",
    description: "Firewall rules should restrict RDP (TCP/3389) access to specific IP ranges. Open RDP access can be a security risk.",
    resolution: "Restrict RDP (TCP port 3389) ingress in firewall rules. Only allow trusted IP ranges or use Identity-Aware Proxy for RDP access.",
    severity: Severity::High,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall"],
    namespace: "builtin.google.compute.google0070",
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
        if allows_port(r, 3389) {
            out.push(Cause::new(
                "Firewall rule allows unrestricted access to TCP port 3389 from any IP address.",
                Some(src.lines),
            ));
        }
    }
}
