//! AWS-0065: A KMS key is not configured to auto-rotate.
//!
//! You should configure your KMS keys to auto rotate to maintain security and defend against compromise.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0065",
    short_id: "AWS0065",
    avd_id: "AVD-AWS-0065",
    title: "A KMS key is not configured to auto-rotate.",
    description: "You should configure your KMS keys to auto rotate to maintain security and defend against compromise.",
    resolution: "Configure KMS key to auto rotate",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"],
    namespace: "builtin.aws.kms.aws0065",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for k in &aws.kms_keys {
        let signing = k
            .usage
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|u| u == "SIGN_VERIFY");
        if !signing {
            cloud::require_true(
                k.rotation.as_ref(),
                k.range,
                "Key does not have rotation enabled.",
                out,
            );
        }
    }
}
