//! AWS-0094: S3 buckets should each define an aws_s3_bucket_public_access_block
//!
//! The "block public access" settings in S3 override individual policies that apply to a given bucket, meaning that all public access can be controlled in one central types for that bucket. It is therefore good practice to define these settings for each bucket in order to clearly define the public access that can be allowed for it.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0094",
    short_id: "AWS0094",
    avd_id: "AVD-AWS-0094",
    title: "S3 buckets should each define an aws_s3_bucket_public_access_block",
    description: "The \"block public access\" settings in S3 override individual policies that apply to a given bucket, meaning that all public access can be controlled in one central types for that bucket. It is therefore good practice to define these settings for each bucket in order to clearly define the public access that can be allowed for it.",
    resolution: "Define a aws_s3_bucket_public_access_block for the given bucket to control public access policies",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
    namespace: "builtin.aws.s3.aws0094",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in aws
        .buckets
        .iter()
        .filter(|b| b.public_access_block.is_none())
    {
        out.push(Cause::new(
            "Bucket does not have a corresponding public access block.",
            Some(b.range),
        ));
    }
}
