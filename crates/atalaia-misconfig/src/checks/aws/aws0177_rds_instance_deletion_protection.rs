//! AWS-0177: RDS Deletion Protection Disabled
//!
//! Ensure deletion protection is enabled for RDS database instances.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0177",
    short_id: "AWS0177",
    avd_id: "AVD-AWS-0177",
    title: "RDS Deletion Protection Disabled",
    description: "Ensure deletion protection is enabled for RDS database instances.",
    resolution: "Modify the RDS instances to enable deletion protection.",
    severity: Severity::Medium,
    references: &["https://aws.amazon.com/about-aws/whats-new/2018/09/amazon-rds-now-provides-database-deletion-protection/"],
    namespace: "builtin.aws.rds.aws0177",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.db_instances {
        cloud::require_true(
            d.deletion_protection.as_ref(),
            d.range,
            "Instance does not have Deletion Protection enabled",
            out,
        );
    }
}
