//! AWS-0095: Unencrypted SNS topic.
//!
//! Topics should be encrypted to protect their contents.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0095",
    short_id: "AWS0095",
    avd_id: "AVD-AWS-0095",
    title: "Unencrypted SNS topic.",
    description: "Topics should be encrypted to protect their contents.",
    resolution: "Turn on SNS Topic encryption",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html"],
    namespace: "builtin.aws.sns.aws0095",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for t in &aws.topics {
        cloud::require_key(t, "Topic does not have encryption enabled.", out);
    }
}
