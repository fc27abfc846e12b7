//! AWS-0135: SQS queue should be encrypted with a CMK.
//!
//! Queues should be encrypted with customer managed KMS keys and not default AWS managed keys, in order to allow granular control over access to specific queues.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0135",
    short_id: "AWS0135",
    avd_id: "AVD-AWS-0135",
    title: "SQS queue should be encrypted with a CMK.",
    description: "Queues should be encrypted with customer managed KMS keys and not default AWS managed keys, in order to allow granular control over access to specific queues.",
    resolution: "Encrypt SQS Queue with a customer-managed key",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html"],
    namespace: "builtin.aws.sqs.aws0135",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for q in &aws.queues {
        cloud::require_key(
            q,
            "Queue is not encrypted with a customer managed key.",
            out,
        );
    }
}
