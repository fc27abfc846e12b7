//! AWS-0133: Enable Performance Insights to detect potential problems
//!
//! Enabling Performance insights allows for greater depth in monitoring data.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0133",
    short_id: "AWS0133",
    avd_id: "AVD-AWS-0133",
    title: "Enable Performance Insights to detect potential problems",
    description: "Enabling Performance insights allows for greater depth in monitoring data.\nFor example, information about active sessions could help diagose a compromise or assist in the investigation",
    resolution: "Enable performance insights",
    severity: Severity::Low,
    references: &["https://aws.amazon.com/rds/performance-insights/"],
    namespace: "builtin.aws.rds.aws0133",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.db_instances {
        cloud::require_true(
            d.performance_insights.as_ref(),
            d.range,
            "Instance does not have performance insights enabled.",
            out,
        );
    }
}
