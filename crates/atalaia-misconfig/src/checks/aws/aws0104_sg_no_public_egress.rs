//! AWS-0104: A security group rule should not allow unrestricted egress to any IP address.
//!
//! Opening up ports to connect out to the public internet is generally to be avoided. You should restrict access to IP addresses or ranges that are explicitly required where possible.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0104",
    short_id: "AWS0104",
    avd_id: "AVD-AWS-0104",
    title: "A security group rule should not allow unrestricted egress to any IP address.",
    description: "Opening up ports to connect out to the public internet is generally to be avoided. You should restrict access to IP addresses or ranges that are explicitly required where possible.",
    resolution: "Set a more restrictive cidr range",
    severity: Severity::Critical,
    references: &["https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-egress-to-internet.html"],
    namespace: "builtin.aws.ec2.aws0104",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in aws.sg_rules.iter().filter(|r| r.egress) {
        for c in &r.cidrs {
            if c.str().is_some_and(|s| cloud::is_public_cidr(&s)) {
                out.push(Cause::new(
                    "Security group rule allows unrestricted egress to any IP address.",
                    Some(c.lines),
                ));
            }
        }
    }
}
