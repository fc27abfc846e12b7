//! AWS-0098: Secrets Manager should use customer managed keys
//!
//! Secrets Manager encrypts secrets by default using a default key created by AWS. To ensure control and granularity of secret encryption, CMK's should be used explicitly.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0098",
    short_id: "AWS0098",
    avd_id: "AVD-AWS-0098",
    title: "Secrets Manager should use customer managed keys",
    description: "Secrets Manager encrypts secrets by default using a default key created by AWS. To ensure control and granularity of secret encryption, CMK's should be used explicitly.",
    resolution: "Use customer managed keys",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/kms/latest/developerguide/services-secrets-manager.html#asm-encrypt"],
    namespace: "builtin.aws.ssm.aws0098",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for s in &aws.secrets {
        cloud::require_key(
            s,
            "Secret is not encrypted with a customer managed key.",
            out,
        );
    }
}
