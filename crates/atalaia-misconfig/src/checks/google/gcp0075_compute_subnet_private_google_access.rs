//! GCP-0075: Google Compute Subnetwork with Private Google Access Disabled
//!
//! Private Google Access allows instances in a subnet to reach Google APIs and services via internal IP, which should be enabled for private networks.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0075",
    short_id: "GCP0075",
    avd_id: "AVD-GCP-0075",
    title: "Google Compute Subnetwork with Private Google Access Disabled",
    description: "Private Google Access allows instances in a subnet to reach Google APIs and services via internal IP, which should be enabled for private networks.",
    resolution: "Enable Private Google Access on subnets. In Terraform, set `private_ip_google_access = true` in the `google_compute_subnetwork` resource.",
    severity: Severity::Low,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork#private_ip_google_access", "https://cloud.google.com/architecture/best-practices-vpc-design#limit-access"],
    namespace: "builtin.google.compute.google0075",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_subnetwork") {
        require_true(
            &r.body,
            "private_ip_google_access",
            r.lines,
            "Subnetwork does not have Private Google Access configured.",
            out,
        );
    }
}
