//! AWS-0164: Instances in a subnet should not receive a public IP address by default.
//!
//! You should limit the provision of public IP addresses for resources. Resources should not be exposed on the public internet, but should have access limited to consumers required for the function of your application.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0164",
    short_id: "AWS0164",
    avd_id: "AVD-AWS-0164",
    title: "Instances in a subnet should not receive a public IP address by default.",
    description: "You should limit the provision of public IP addresses for resources. Resources should not be exposed on the public internet, but should have access limited to consumers required for the function of your application.",
    resolution: "Set the instance to not be publicly accessible",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses"],
    namespace: "builtin.aws.ec2.aws0164",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for s in &aws.subnets {
        if let Some(a) = s.map_public_ip.as_ref().filter(|a| a.is_true()) {
            out.push(Cause::new(
                "Subnet associates public IP address.",
                Some(a.lines),
            ));
        }
    }
}
