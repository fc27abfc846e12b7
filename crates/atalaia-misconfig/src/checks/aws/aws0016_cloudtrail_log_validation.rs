//! AWS-0016: Cloudtrail log validation should be enabled to prevent tampering of log data
//!
//! Illicit activity could be removed from the logs. Log validation should be activated on Cloudtrail logs to prevent the tampering of the underlying data in the S3 bucket. It is feasible that a rogue actor compromising an AWS account might want to modify the log data to remove trace of their actions.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0016",
    short_id: "AWS0016",
    avd_id: "AVD-AWS-0016",
    title: "Cloudtrail log validation should be enabled to prevent tampering of log data",
    description: "Illicit activity could be removed from the logs. Log validation should be activated on Cloudtrail logs to prevent the tampering of the underlying data in the S3 bucket. It is feasible that a rogue actor compromising an AWS account might want to modify the log data to remove trace of their actions.",
    resolution: "Turn on log validation for Cloudtrail",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"],
    namespace: "builtin.aws.cloudtrail.aws0016",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for t in &aws.trails {
        cloud::require_true(
            t.log_validation.as_ref(),
            t.range,
            "Trail does not have log validation enabled.",
            out,
        );
    }
}
