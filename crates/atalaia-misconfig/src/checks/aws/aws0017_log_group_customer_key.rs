//! AWS-0017: CloudWatch log groups should be encrypted using CMK
//!
//! CloudWatch log groups are encrypted by default, however, to get the full benefit of controlling key rotation and other KMS aspects a KMS CMK should be used.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0017",
    short_id: "AWS0017",
    avd_id: "AVD-AWS-0017",
    title: "CloudWatch log groups should be encrypted using CMK",
    description: "CloudWatch log groups are encrypted by default, however, to get the full benefit of controlling key rotation and other KMS aspects a KMS CMK should be used.",
    resolution: "Enable CMK encryption of CloudWatch Log Groups",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"],
    namespace: "builtin.aws.cloudwatch.aws0017",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for g in &aws.log_groups {
        cloud::require_key(g, "Log group is not encrypted.", out);
    }
}
