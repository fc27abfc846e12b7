//! AWS-0132: S3 encryption should use Customer Managed Keys
//!
//! Encryption using AWS keys provides protection for your S3 buckets. To gain greater control over encryption, such as key rotation, access policies, and auditability, use customer managed keys (CMKs) with SSE-KMS.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0132",
    short_id: "AWS0132",
    avd_id: "AVD-AWS-0132",
    title: "S3 encryption should use Customer Managed Keys",
    description: "Encryption using AWS keys provides protection for your S3 buckets. To gain greater control over encryption, such as key rotation, access policies, and auditability, use customer managed keys (CMKs) with SSE-KMS.\nNote that SSE-KMS is not supported for S3 server access logging destination buckets; in such cases, use SSE-S3 instead.",
    resolution: "Use SSE-KMS with a customer managed key (CMK)",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html"],
    namespace: "builtin.aws.s3.aws0132",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        if cloud::missing_or_empty(b.kms_key.as_ref()) {
            out.push(Cause::new(
                "Bucket does not encrypt data with a customer managed key.",
                Some(b.range),
            ));
        }
    }
}
