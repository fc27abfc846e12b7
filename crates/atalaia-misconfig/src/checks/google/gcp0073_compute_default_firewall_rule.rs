//! GCP-0073: Disable Default Firewall Rules
//!
//! Ensures that Google Cloud's default firewall rules are disabled, as they may be overly permissive and pose security risks.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0073",
    short_id: "GCP0073",
    avd_id: "AVD-GCP-0073",
    title: "Disable Default Firewall Rules",
    description: "Ensures that Google Cloud's default firewall rules are disabled, as they may be overly permissive and pose security risks.\nThe default network comes with pre-populated firewall rules that allow broad access and should be replaced with more restrictive custom rules.",
    resolution: "Replace default firewall rules with custom, more restrictive rules appropriate for your security requirements",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall", "https://cloud.google.com/firewall/docs/firewalls#more_rules_default_vpc"],
    namespace: "builtin.google.compute.google0073",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_firewall") {
        if !is_ingress_allow(r) {
            continue;
        }
        let default_like = r.body.attr("source_ranges").is_some_and(|s| match &s.v {
            V::List(l) => l.iter().any(|c| {
                c.text()
                    .is_some_and(|c| c == "10.128.0.0/9" || is_public_cidr(&c))
            }),
            _ => false,
        });
        if default_like {
            out.push(Cause::new("Default firewall rule should be disabled and replaced with more restrictive rules.", Some(r.lines)));
        }
    }
}
