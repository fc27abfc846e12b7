//! AWS-0131: Instance with unencrypted block device.
//!
//! Block devices should be encrypted to ensure sensitive data is held securely at rest.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0131",
    short_id: "AWS0131",
    avd_id: "AVD-AWS-0131",
    title: "Instance with unencrypted block device.",
    description:
        "Block devices should be encrypted to ensure sensitive data is held securely at rest.",
    resolution: "Turn on encryption for all block devices",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/RootDeviceStorage.html"],
    namespace: "builtin.aws.ec2.aws0131",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for i in &aws.instances {
        if i.block_devices.is_empty() {
            // No mapping: the default root device, unencrypted.
            out.push(Cause::new(
                "Root block device is not encrypted.",
                Some(i.range),
            ));
        }
        for (n, d) in i.block_devices.iter().enumerate() {
            if cloud::not_true(d.encrypted.as_ref()) {
                let msg = if n == 0 {
                    "Root block device is not encrypted."
                } else {
                    "EBS block device is not encrypted."
                };
                out.push(Cause::new(msg, Some(d.range)));
            }
        }
    }
}
