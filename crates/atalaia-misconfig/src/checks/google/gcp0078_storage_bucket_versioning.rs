//! GCP-0078: Cloud Storage Bucket Versioning Disabled
//!
//! Object versioning in Cloud Storage is recommended to protect against accidental or malicious deletions.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0078",
    short_id: "GCP0078",
    avd_id: "AVD-GCP-0078",
    title: "Cloud Storage Bucket Versioning Disabled",
    description: "Object versioning in Cloud Storage is recommended to protect against accidental or malicious deletions.",
    resolution: "Enable object versioning on Cloud Storage buckets to preserve older versions of objects. In Terraform, set `versioning { enabled = true }` for the bucket resource.",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#enabled"],
    namespace: "builtin.google.storage.google0078",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_storage_bucket") {
        match r.body.block("versioning") {
            None => out.push(Cause::new(
                "Storage bucket versioning is not enabled.",
                Some(r.lines),
            )),
            Some(v) => require_true(
                &v.body,
                "enabled",
                v.lines,
                "Storage bucket versioning is not enabled.",
                out,
            ),
        }
    }
}
