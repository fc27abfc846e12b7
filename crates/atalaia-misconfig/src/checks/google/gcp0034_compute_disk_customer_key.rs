//! GCP-0034: Disks should be encrypted with customer managed encryption keys
//!
//! Using unmanaged keys makes rotation and general management difficult.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0034",
    short_id: "GCP0034",
    avd_id: "AVD-GCP-0034",
    title: "Disks should be encrypted with customer managed encryption keys",
    description: "Using unmanaged keys makes rotation and general management difficult.",
    resolution: "Use managed keys to encrypt disks.",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.compute.google0034",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_disk") {
        let key = r.body.block("disk_encryption_key");
        let keyed = key.is_some_and(|k| {
            ["kms_key_self_link", "raw_key", "rsa_encrypted_key"]
                .iter()
                .any(|n| k.body.attr(n).is_some())
        });
        if !keyed {
            out.push(Cause::new(
                "Disk is not encrypted with a customer managed key.",
                Some(key.map_or(r.lines, |k| k.lines)),
            ));
        }
    }
}
