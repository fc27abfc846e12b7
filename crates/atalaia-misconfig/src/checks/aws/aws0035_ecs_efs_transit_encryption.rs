//! AWS-0035: ECS Task Definitions with EFS volumes should use in-transit encryption
//!
//! ECS task definitions that have volumes using EFS configuration should explicitly enable in transit encryption to prevent the risk of data loss due to interception.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0035",
    short_id: "AWS0035",
    avd_id: "AVD-AWS-0035",
    title: "ECS Task Definitions with EFS volumes should use in-transit encryption",
    description: "ECS task definitions that have volumes using EFS configuration should explicitly enable in transit encryption to prevent the risk of data loss due to interception.",
    resolution: "Enable in transit encryption when using efs",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonECS/latest/userguide/efs-volumes.html", "https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html"],
    namespace: "builtin.aws.ecs.aws0035",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for v in &aws.efs_volumes {
        cloud::require_value(
            v.transit_encryption.as_ref(),
            "ENABLED",
            v.range,
            "Task definition includes a volume which does not have in-transit-encryption enabled.",
            out,
        );
    }
}
