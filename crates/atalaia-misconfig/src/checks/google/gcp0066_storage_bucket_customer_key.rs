//! GCP-0066: Cloud Storage buckets should be encrypted with a customer-managed key.
//!
//! Using unmanaged keys makes rotation and general management difficult.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0066",
    short_id: "GCP0066",
    avd_id: "AVD-GCP-0066",
    title: "Cloud Storage buckets should be encrypted with a customer-managed key.",
    description: "Using unmanaged keys makes rotation and general management difficult.",
    resolution: "Encrypt Cloud Storage buckets using customer-managed keys.",
    severity: Severity::Low,
    references: &["https://cloud.google.com/storage/docs/encryption/customer-managed-keys"],
    namespace: "builtin.google.storage.google0066",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_storage_bucket") {
        let key = r
            .body
            .block("encryption")
            .and_then(|e| e.body.attr("default_kms_key_name"));
        if key.is_none_or(|k| k.v.text().is_some_and(|t| t.is_empty())) {
            out.push(Cause::new(
                "Storage bucket encryption does not use a customer-managed key.",
                Some(r.lines),
            ));
        }
    }
}
