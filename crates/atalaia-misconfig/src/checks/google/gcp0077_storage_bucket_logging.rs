//! GCP-0077: Cloud Storage Bucket Logging Not Enabled
//!
//! Cloud Storage bucket access logs should be enabled for audit purposes.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0077",
    short_id: "GCP0077",
    avd_id: "AVD-GCP-0077",
    title: "Cloud Storage Bucket Logging Not Enabled",
    description: "Cloud Storage bucket access logs should be enabled for audit purposes.",
    resolution: "Enable Access and Storage logs for Cloud Storage buckets by configuring a log sink or specifying a `log_bucket` in Terraform.",
    severity: Severity::Medium,
    references: &["https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#log_bucket"],
    namespace: "builtin.google.storage.google0077",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_storage_bucket") {
        let target = r
            .body
            .block("logging")
            .and_then(|l| l.body.attr("log_bucket"));
        if target.is_none_or(|k| k.v.text().is_some_and(|t| t.is_empty())) {
            out.push(Cause::new(
                "Storage bucket logging is not configured with a target log bucket.",
                Some(r.lines),
            ));
        }
    }
}
