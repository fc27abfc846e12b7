//! AWS-0343: RDS Cluster Deletion Protection Disabled
//!
//! Ensure deletion protection is enabled for RDS clusters.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0343",
    short_id: "AWS0343",
    avd_id: "AVD-AWS-0343",
    title: "RDS Cluster Deletion Protection Disabled",
    description: "Ensure deletion protection is enabled for RDS clusters.",
    resolution: "Modify the RDS clusters to enable deletion protection.",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/config/latest/developerguide/rds-cluster-deletion-protection-enabled.html"],
    namespace: "builtin.aws.rds.aws0343",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.db_clusters {
        cloud::require_true(
            d.deletion_protection.as_ref(),
            d.range,
            "Cluster does not have Deletion Protection enabled",
            out,
        );
    }
}
