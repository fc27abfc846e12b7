//! AWS-0091: S3 Access Block should Ignore Public ACL
//!
//! S3 buckets should ignore public ACLs on buckets and any objects they contain. By ignoring rather than blocking, PUT calls with public ACLs will still be applied but the ACL will be ignored.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0091",
    short_id: "AWS0091",
    avd_id: "AVD-AWS-0091",
    title: "S3 Access Block should Ignore Public ACL",
    description: "S3 buckets should ignore public ACLs on buckets and any objects they contain. By ignoring rather than blocking, PUT calls with public ACLs will still be applied but the ACL will be ignored.",
    resolution: "Enable ignoring the application of public ACLs in PUT calls",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
    namespace: "builtin.aws.s3.aws0091",
};
const NO_BLOCK: &str = "No public access block so not blocking public acls";

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        match b.public_access_block.as_ref() {
            None => out.push(Cause::new(NO_BLOCK, Some(b.range))),
            Some(p) => cloud::require_true(
                p.ignore_public_acls.as_ref(),
                p.range,
                "Public access block does not ignore public ACLs",
                out,
            ),
        }
    }
}
