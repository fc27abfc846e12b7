//! AWS-0093: S3 Access block should restrict public bucket to limit access
//!
//! S3 buckets should restrict public policies for the bucket. By enabling, the restrict_public_buckets, only the bucket owner and AWS Services can access if it has a public policy.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0093",
    short_id: "AWS0093",
    avd_id: "AVD-AWS-0093",
    title: "S3 Access block should restrict public bucket to limit access",
    description: "S3 buckets should restrict public policies for the bucket. By enabling, the restrict_public_buckets, only the bucket owner and AWS Services can access if it has a public policy.",
    resolution: "Limit the access to public buckets to only the owner or AWS Services (eg; CloudFront)",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/dev-retired/access-control-block-public-access.html"],
    namespace: "builtin.aws.s3.aws0093",
};
const NO_BLOCK: &str = "No public access block so not restricting public buckets";

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        match b.public_access_block.as_ref() {
            None => out.push(Cause::new(NO_BLOCK, Some(b.range))),
            Some(p) => cloud::require_true(
                p.restrict_public_buckets.as_ref(),
                p.range,
                "Public access block does not limit access to public buckets",
                out,
            ),
        }
    }
}
