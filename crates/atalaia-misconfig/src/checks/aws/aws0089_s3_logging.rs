//! AWS-0089: S3 Bucket Logging
//!
//! Ensures S3 bucket logging is enabled for S3 buckets

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0089",
    short_id: "AWS0089",
    avd_id: "AVD-AWS-0089",
    title: "S3 Bucket Logging",
    description: "Ensures S3 bucket logging is enabled for S3 buckets",
    resolution: "Add a logging block to the resource to enable access logging",
    severity: Severity::Low,
    references: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    ],
    namespace: "builtin.aws.s3.aws0089",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for b in &aws.buckets {
        let log_target = b
            .acl
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|a| a == "log-delivery-write");
        if b.logging.is_none() && !log_target {
            out.push(Cause::new("Bucket has logging disabled", Some(b.range)));
        }
    }
}
