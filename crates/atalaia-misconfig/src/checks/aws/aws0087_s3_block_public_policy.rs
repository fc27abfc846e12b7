//! AWS-0087: S3 Access block should block public policy
//!
//! S3 bucket policy should have block public policy to prevent users from putting a policy that enable public access.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0087",
    short_id: "AWS0087",
    avd_id: "AVD-AWS-0087",
    title: "S3 Access block should block public policy",
    description: "S3 bucket policy should have block public policy to prevent users from putting a policy that enable public access.",
    resolution: "Prevent policies that allow public access being PUT",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/dev-retired/access-control-block-public-access.html"],
    namespace: "builtin.aws.s3.aws0087",
};
const NO_BLOCK: &str = "No public access block so not blocking public policies";

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        match b.public_access_block.as_ref() {
            None => out.push(Cause::new(NO_BLOCK, Some(b.range))),
            Some(p) => cloud::require_true(
                p.block_public_policy.as_ref(),
                p.range,
                "Public access block does not block public policies",
                out,
            ),
        }
    }
}
