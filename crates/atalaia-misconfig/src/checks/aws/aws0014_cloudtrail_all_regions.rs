//! AWS-0014: Cloudtrail should be enabled in all regions regardless of where your AWS resources are generally homed
//!
//! Activity could be happening in your account in a different region. When creating Cloudtrail in the AWS Management Console the trail is configured by default to be multi-region, this isn't the case with the Terraform resource. Cloudtrail should cover the full AWS account to ensure you can track changes in regions you are not actively operting in.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0014",
    short_id: "AWS0014",
    avd_id: "AVD-AWS-0014",
    title: "Cloudtrail should be enabled in all regions regardless of where your AWS resources are generally homed",
    description: "Activity could be happening in your account in a different region. When creating Cloudtrail in the AWS Management Console the trail is configured by default to be multi-region, this isn't the case with the Terraform resource. Cloudtrail should cover the full AWS account to ensure you can track changes in regions you are not actively operting in.",
    resolution: "Enable Cloudtrail in all regions",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html"],
    namespace: "builtin.aws.cloudtrail.aws0014",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for t in &aws.trails {
        cloud::require_true(
            t.multi_region.as_ref(),
            t.range,
            "Trail is not enabled across all regions.",
            out,
        );
    }
}
