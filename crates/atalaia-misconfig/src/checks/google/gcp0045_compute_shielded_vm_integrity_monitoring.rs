//! GCP-0045: Instances should have Shielded VM integrity monitoring enabled
//!
//! Integrity monitoring helps you understand and make decisions about the state of your VM instances.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0045",
    short_id: "GCP0045",
    avd_id: "AVD-GCP-0045",
    title: "Instances should have Shielded VM integrity monitoring enabled",
    description: "Integrity monitoring helps you understand and make decisions about the state of your VM instances.",
    resolution: "Enable Shielded VM Integrity Monitoring",
    severity: Severity::Medium,
    references: &["https://cloud.google.com/security/shielded-cloud/shielded-vm#integrity-monitoring"],
    namespace: "builtin.google.compute.google0045",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        match r.body.block("shielded_instance_config") {
            None => out.push(Cause::new(
                "Instance does not have shielded VM integrity monitoring enabled.",
                Some(r.lines),
            )),
            Some(s) => {
                if let Some(a) = s
                    .body
                    .attr("enable_integrity_monitoring")
                    .filter(|a| a.v.is_false())
                {
                    out.push(Cause::new(
                        "Instance does not have shielded VM integrity monitoring enabled.",
                        Some(a.lines),
                    ));
                }
            }
        }
    }
}
