//! AWS-0090: S3 Data should be versioned
//!
//! Versioning in Amazon S3 is a means of keeping multiple variants of an object in the same bucket.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0090",
    short_id: "AWS0090",
    avd_id: "AVD-AWS-0090",
    title: "S3 Data should be versioned",
    description: "Versioning in Amazon S3 is a means of keeping multiple variants of an object in the same bucket.\n\nYou can use the S3 Versioning feature to preserve, retrieve, and restore every version of every object stored in your buckets.\n\nWith versioning you can recover more easily from both unintended user actions and application failures.\n\nWhen you enable versioning, also keep in mind the potential costs of storing noncurrent versions of objects. To help manage those costs, consider setting up an S3 Lifecycle configuration.",
    resolution: "Enable versioning to protect against accidental/malicious removal or modification",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html", "https://aws.amazon.com/blogs/storage/reduce-storage-costs-with-fewer-noncurrent-versions-using-amazon-s3-lifecycle/"],
    namespace: "builtin.aws.s3.aws0090",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        cloud::require_value(
            b.versioning.as_ref(),
            "Enabled",
            b.range,
            "Bucket does not have versioning enabled",
            out,
        );
    }
}
