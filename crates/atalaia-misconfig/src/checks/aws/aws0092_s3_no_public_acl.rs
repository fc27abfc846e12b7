//! AWS-0092: S3 Buckets not publicly accessible through ACL.
//!
//! Buckets should not have ACLs that allow public access

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0092",
    short_id: "AWS0092",
    avd_id: "AVD-AWS-0092",
    title: "S3 Buckets not publicly accessible through ACL.",
    description: "Buckets should not have ACLs that allow public access",
    resolution: "Don't use canned ACLs or switch to private acl",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html"],
    namespace: "builtin.aws.s3.aws0092",
};

/// Canned ACLs that expose a bucket.
const PUBLIC: &[&str] = &[
    "public-read",
    "public-read-write",
    "website",
    "authenticated-read",
];

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        let Some(acl) = b.acl.as_ref() else { continue };
        let Some(v) = acl.str() else { continue };
        if !PUBLIC.contains(&v.as_str()) {
            continue;
        }
        let blocked = b.public_access_block.as_ref().is_some_and(|p| {
            p.block_public_acls
                .as_ref()
                .is_some_and(cloud::Attr::is_true)
                && p.ignore_public_acls
                    .as_ref()
                    .is_some_and(cloud::Attr::is_true)
        });
        if blocked {
            continue;
        }
        let msg = if v == "authenticated-read" {
            "Bucket is exposed to all AWS accounts via ACL.".to_string()
        } else {
            format!("Bucket has a public ACL: {v:?}")
        };
        out.push(Cause::new(msg, Some(acl.lines)));
    }
}
