//! AWS-0034: ECS clusters should have container insights enabled
//!
//! Cloudwatch Container Insights provide more metrics and logs for container based applications and micro services.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0034",
    short_id: "AWS0034",
    avd_id: "AVD-AWS-0034",
    title: "ECS clusters should have container insights enabled",
    description: "Cloudwatch Container Insights provide more metrics and logs for container based applications and micro services.",
    resolution: "Enable Container Insights",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html"],
    namespace: "builtin.aws.ecs.aws0034",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for c in &aws.ecs_clusters {
        cloud::require_value(
            c.container_insights.as_ref(),
            "enabled",
            c.range,
            "Cluster does not have container insights enabled.",
            out,
        );
    }
}
