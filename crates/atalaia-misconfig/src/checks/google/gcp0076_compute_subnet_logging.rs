//! GCP-0076: Google Compute Subnetwork Logging Disabled
//!
//! Flow logs for subnets should be enabled to capture network traffic details for security analysis.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0076",
    short_id: "GCP0076",
    avd_id: "AVD-GCP-0076",
    title: "Google Compute Subnetwork Logging Disabled",
    description: "Flow logs for subnets should be enabled to capture network traffic details for security analysis.",
    resolution: "Enable VPC Flow Logs for subnets.",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork", "https://cloud.google.com/architecture/best-practices-vpc-design#tailor-logging"],
    namespace: "builtin.google.compute.google0076",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_subnetwork") {
        if is_proxy_subnet(r) {
            continue;
        }
        if r.body.block("log_config").is_none() {
            out.push(Cause::new(
                "Subnetwork does not have flow logs enabled.",
                Some(r.lines),
            ));
        }
    }
}
