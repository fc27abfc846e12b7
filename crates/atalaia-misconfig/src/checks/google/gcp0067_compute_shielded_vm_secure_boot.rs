//! GCP-0067: Instances should have Shielded VM secure boot enabled
//!
//! Secure boot helps ensure that the system only runs authentic software.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0067",
    short_id: "GCP0067",
    avd_id: "AVD-GCP-0067",
    title: "Instances should have Shielded VM secure boot enabled",
    description: "Secure boot helps ensure that the system only runs authentic software.",
    resolution: "Enable Shielded VM secure boot",
    severity: Severity::Medium,
    references: &["https://cloud.google.com/security/shielded-cloud/shielded-vm#secure-boot"],
    namespace: "builtin.google.compute.google0067",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        let shielded = r.body.block("shielded_instance_config");
        match shielded.and_then(|s| s.body.attr("enable_secure_boot")) {
            Some(a) if a.v.is_true() || a.v == V::Unknown => {}
            Some(a) => out.push(Cause::new(
                "Instance does not have shielded VM secure boot enabled.",
                Some(a.lines),
            )),
            None => out.push(Cause::new(
                "Instance does not have shielded VM secure boot enabled.",
                Some(shielded.map_or(r.lines, |s| s.lines)),
            )),
        }
    }
}
