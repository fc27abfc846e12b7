//! AWS-0079: There is no encryption specified or encryption is disabled on the RDS Cluster.
//!
//! Encryption should be enabled for an RDS Aurora cluster.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0079",
    short_id: "AWS0079",
    avd_id: "AVD-AWS-0079",
    title: "There is no encryption specified or encryption is disabled on the RDS Cluster.",
    description: "Encryption should be enabled for an RDS Aurora cluster.\nWhen enabling encryption by setting the kms_key_id, the storage_encrypted must also be set to true.",
    resolution: "Enable encryption for RDS clusters",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"],
    namespace: "builtin.aws.rds.aws0079",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.db_clusters {
        if cloud::not_true(d.storage_encrypted.as_ref()) {
            let lines = d.storage_encrypted.as_ref().map_or(d.range, |a| a.lines);
            out.push(Cause::new(
                "Cluster does not have storage encryption enabled.",
                Some(lines),
            ));
        } else if cloud::missing_or_empty(d.kms_key.as_ref()) {
            out.push(Cause::new(
                "Cluster does not specify a customer managed key for storage encryption.",
                Some(d.range),
            ));
        }
    }
}
