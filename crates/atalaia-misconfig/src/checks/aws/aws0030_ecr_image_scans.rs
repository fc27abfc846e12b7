//! AWS-0030: ECR repository has image scans disabled.
//!
//! Repository image scans should be enabled to ensure vulnerable software can be discovered and remediated as soon as possible.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0030",
    short_id: "AWS0030",
    avd_id: "AVD-AWS-0030",
    title: "ECR repository has image scans disabled.",
    description: "Repository image scans should be enabled to ensure vulnerable software can be discovered and remediated as soon as possible.",
    resolution: "Enable ECR image scanning",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html"],
    namespace: "builtin.aws.ecr.aws0030",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in &aws.ecr_repositories {
        cloud::require_true(
            r.scan_on_push.as_ref(),
            r.range,
            "Image scanning is not enabled",
            out,
        );
    }
}
