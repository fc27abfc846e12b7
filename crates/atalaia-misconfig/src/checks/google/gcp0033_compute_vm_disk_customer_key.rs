//! GCP-0033: VM disks should be encrypted with Customer Supplied Encryption Keys
//!
//! Using unmanaged keys makes rotation and general management difficult.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0033",
    short_id: "GCP0033",
    avd_id: "AVD-GCP-0033",
    title: "VM disks should be encrypted with Customer Supplied Encryption Keys",
    description: "Using unmanaged keys makes rotation and general management difficult.",
    resolution: "Use managed keys",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.compute.google0033",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        for d in r
            .body
            .blocks("boot_disk")
            .chain(r.body.blocks("attached_disk"))
        {
            let keyed = [
                "disk_encryption_key_raw",
                "kms_key_self_link",
                "disk_encryption_key_rsa",
            ]
            .iter()
            .any(|k| {
                d.body
                    .attr(k)
                    .is_some_and(|a| a.v.text().is_none_or(|t| !t.is_empty()))
            });
            if !keyed {
                out.push(Cause::new(
                    "Instance disk encryption does not use a customer managed key.",
                    Some(d.lines),
                ));
            }
        }
    }
}
