//! GCP-0002: Ensure that Cloud Storage buckets have uniform bucket-level access enabled
//!
//! When you enable uniform bucket-level access on a bucket, Access Control Lists (ACLs) are disabled, and only bucket-level Identity and Access Management (IAM) permissions grant access to that bucket and the objects it contains. You revoke all access granted by object ACLs and the ability to administrate permissions using bucket ACLs.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0002",
    short_id: "GCP0002",
    avd_id: "AVD-GCP-0002",
    title: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled",
    description: "When you enable uniform bucket-level access on a bucket, Access Control Lists (ACLs) are disabled, and only bucket-level Identity and Access Management (IAM) permissions grant access to that bucket and the objects it contains. You revoke all access granted by object ACLs and the ability to administrate permissions using bucket ACLs.",
    resolution: "Enable uniform bucket level access to provide a uniform permissioning system.",
    severity: Severity::Medium,
    references: &["https://cloud.google.com/storage/docs/uniform-bucket-level-access", "https://jbrojbrojbro.medium.com/you-make-the-rules-with-authentication-controls-for-cloud-storage-53c32543747b"],
    namespace: "builtin.google.storage.google0002",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_storage_bucket") {
        require_true(
            &r.body,
            "uniform_bucket_level_access",
            r.lines,
            "Bucket has uniform bucket level access disabled.",
            out,
        );
    }
}
