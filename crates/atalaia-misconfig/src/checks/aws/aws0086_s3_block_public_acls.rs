//! AWS-0086: S3 Access block should block public ACL
//!
//! S3 buckets should block public ACLs on buckets and any objects they contain. By blocking, PUTs with fail if the object has any public ACL a.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0086",
    short_id: "AWS0086",
    avd_id: "AVD-AWS-0086",
    title: "S3 Access block should block public ACL",
    description: "S3 buckets should block public ACLs on buckets and any objects they contain. By blocking, PUTs with fail if the object has any public ACL a.",
    resolution: "Enable blocking any PUT calls with a public ACL specified",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
    namespace: "builtin.aws.s3.aws0086",
};
const NO_BLOCK: &str = "No public access block so not blocking public acls";

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        match b.public_access_block.as_ref() {
            None => out.push(Cause::new(NO_BLOCK, Some(b.range))),
            Some(p) => cloud::require_true(
                p.block_public_acls.as_ref(),
                p.range,
                "Public access block does not block public ACLs",
                out,
            ),
        }
    }
}
