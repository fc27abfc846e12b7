//! GCP-0074: Google Compute Network Using Firewall Rule that Allows Large Port Range
//!
//! Firewall rules allowing broad port ranges can be risky. Ensure rules are as specific as possible.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0074",
    short_id: "GCP0074",
    avd_id: "AVD-GCP-0074",
    title: "Google Compute Network Using Firewall Rule that Allows Large Port Range",
    description: "Firewall rules allowing broad port ranges can be risky. Ensure rules are as specific as possible.",
    resolution: "Limit firewall rules to necessary port ranges only. If a wide range is specified, consider splitting into smaller ranges or specific ports needed for your application.",
    severity: Severity::Low,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall#allow"],
    namespace: "builtin.google.compute.google0074",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_firewall") {
        for a in r.body.blocks("allow") {
            for (s, e) in port_ranges(a) {
                if e - s > 30 {
                    let lines = a.body.attr("ports").map_or(a.lines, |p| p.lines);
                    out.push(Cause::new(
                        format!(
                            "Firewall rule allows a large port range ({} ports, max allowed: 30).",
                            e - s
                        ),
                        Some(lines),
                    ));
                }
            }
        }
    }
}
