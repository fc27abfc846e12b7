//! AWS-0024: Point in time recovery should be enabled to protect DynamoDB table
//!
//! DynamoDB tables should be protected against accidentally or malicious write/delete actions by ensuring that there is adequate protection.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0024",
    short_id: "AWS0024",
    avd_id: "AVD-AWS-0024",
    title: "Point in time recovery should be enabled to protect DynamoDB table",
    description: "DynamoDB tables should be protected against accidentally or malicious write/delete actions by ensuring that there is adequate protection.\nBy enabling point-in-time-recovery you can restore to a known point in the event of loss of data.",
    resolution: "Enable point in time recovery",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"],
    namespace: "builtin.aws.dynamodb.aws0024",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for t in &aws.tables {
        cloud::require_true(
            t.point_in_time_recovery.as_ref(),
            t.range,
            "Point-in-time recovery is not enabled.",
            out,
        );
    }
}
