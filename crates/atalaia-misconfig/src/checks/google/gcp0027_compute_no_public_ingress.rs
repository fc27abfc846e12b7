//! GCP-0027: A firewall rule should not allow unrestricted ingress from any IP address.
//!
//! Opening up ports to allow connections from the public internet is generally to be avoided. You should restrict access to IP addresses or ranges that are explicitly required where possible.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0027",
    short_id: "GCP0027",
    avd_id: "AVD-GCP-0027",
    title: "A firewall rule should not allow unrestricted ingress from any IP address.",
    description: "Opening up ports to allow connections from the public internet is generally to be avoided. You should restrict access to IP addresses or ranges that are explicitly required where possible.",
    resolution: "Set a more restrictive cidr range",
    severity: Severity::Critical,
    references: &["https://cloud.google.com/vpc/docs/using-firewalls"],
    namespace: "builtin.google.compute.google0027",
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
        out.push(Cause::new(
            "Firewall rule allows unrestricted ingress from any IP address.",
            Some(src.lines),
        ));
    }
}
