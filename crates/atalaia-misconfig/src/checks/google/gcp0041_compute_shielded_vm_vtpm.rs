//! GCP-0041: Instances should have Shielded VM VTPM enabled
//!
//! The virtual TPM provides numerous security measures to your VM.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0041",
    short_id: "GCP0041",
    avd_id: "AVD-GCP-0041",
    title: "Instances should have Shielded VM VTPM enabled",
    description: "The virtual TPM provides numerous security measures to your VM.",
    resolution: "Enable Shielded VM VTPM",
    severity: Severity::Medium,
    references: &["https://cloud.google.com/blog/products/identity-security/virtual-trusted-platform-module-for-shielded-vms-security-in-plaintext"],
    namespace: "builtin.google.compute.google0041",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        match r.body.block("shielded_instance_config") {
            None => out.push(Cause::new(
                "Instance does not have VTPM for shielded VMs enabled.",
                Some(r.lines),
            )),
            Some(s) => {
                if let Some(a) = s.body.attr("enable_vtpm").filter(|a| a.v.is_false()) {
                    out.push(Cause::new(
                        "Instance does not have VTPM for shielded VMs enabled.",
                        Some(a.lines),
                    ));
                }
            }
        }
    }
}
