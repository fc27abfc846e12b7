//! AWS-0025: DynamoDB tables should use at rest encryption with a Customer Managed Key
//!
//! Using AWS managed keys does not allow for fine grained control. DynamoDB tables are encrypted by default using AWS managed encryption keys. To increase control of the encryption and control the management of factors like key rotation, use a Customer Managed Key.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0025",
    short_id: "AWS0025",
    avd_id: "AVD-AWS-0025",
    title: "DynamoDB tables should use at rest encryption with a Customer Managed Key",
    description: "Using AWS managed keys does not allow for fine grained control. DynamoDB tables are encrypted by default using AWS managed encryption keys. To increase control of the encryption and control the management of factors like key rotation, use a Customer Managed Key.",
    resolution: "Enable server side encryption with a customer managed key",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html"],
    namespace: "builtin.aws.dynamodb.aws0025",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for t in &aws.tables {
        if cloud::missing_or_empty(t.kms_key.as_ref()) {
            out.push(Cause::new(
                "Table encryption does not use a customer-managed KMS key.",
                Some(t.range),
            ));
        }
    }
}
