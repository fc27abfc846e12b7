//! AWS-0010: Cloudfront distribution should have Access Logging configured
//!
//! You should configure CloudFront Access Logging to create log files that contain detailed information about every user request that CloudFront receives

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0010",
    short_id: "AWS0010",
    avd_id: "AVD-AWS-0010",
    title: "Cloudfront distribution should have Access Logging configured",
    description: "You should configure CloudFront Access Logging to create log files that contain detailed information about every user request that CloudFront receives",
    resolution: "Enable logging for CloudFront distributions",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html"],
    namespace: "builtin.aws.cloudfront.aws0010",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in aws.distributions.iter().filter(|d| d.logging.is_none()) {
        out.push(Cause::new(
            "Distribution does not have logging enabled",
            Some(d.range),
        ));
    }
}
