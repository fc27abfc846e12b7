//! AWS-0026: EBS volumes must be encrypted
//!
//! By enabling encryption on EBS volumes you protect the volume, the disk I/O and any derived snapshots from compromise if intercepted.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0026",
    short_id: "AWS0026",
    avd_id: "AVD-AWS-0026",
    title: "EBS volumes must be encrypted",
    description: "By enabling encryption on EBS volumes you protect the volume, the disk I/O and any derived snapshots from compromise if intercepted.",
    resolution: "Enable encryption of EBS volumes",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html"],
    namespace: "builtin.aws.ec2.aws0026",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for v in &aws.volumes {
        cloud::require_true(
            v.enabled.as_ref(),
            v.range,
            "EBS volume is not encrypted.",
            out,
        );
    }
}
