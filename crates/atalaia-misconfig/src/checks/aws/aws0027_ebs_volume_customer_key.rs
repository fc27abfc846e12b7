//! AWS-0027: EBS volume encryption should use Customer Managed Keys
//!
//! Encryption using AWS keys provides protection for your EBS volume. To increase control of the encryption and manage factors like rotation use customer managed keys.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0027",
    short_id: "AWS0027",
    avd_id: "AVD-AWS-0027",
    title: "EBS volume encryption should use Customer Managed Keys",
    description: "Encryption using AWS keys provides protection for your EBS volume. To increase control of the encryption and manage factors like rotation use customer managed keys.",
    resolution: "Enable encryption using customer managed keys",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html"],
    namespace: "builtin.aws.ec2.aws0027",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for v in &aws.volumes {
        cloud::require_key(
            v,
            "EBS volume does not use a customer-managed KMS key.",
            out,
        );
    }
}
