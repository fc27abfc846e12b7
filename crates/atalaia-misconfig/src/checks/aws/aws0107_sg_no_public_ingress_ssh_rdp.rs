//! AWS-0107: Security groups should not allow unrestricted ingress to SSH or RDP from any IP address.
//!
//! Security groups provide stateful filtering of ingress and egress network traffic to AWS

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0107",
    short_id: "AWS0107",
    avd_id: "AVD-AWS-0107",
    title: "Security groups should not allow unrestricted ingress to SSH or RDP from any IP address.",
    description: "Security groups provide stateful filtering of ingress and egress network traffic to AWS\nresources. It is recommended that no security group allows unrestricted ingress access to\nremote server administration ports, such as SSH to port 22 and RDP to port 3389.",
    resolution: "Set a more restrictive CIDR range",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-rules-reference.html", "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13", "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-14"],
    namespace: "builtin.aws.ec2.aws0107",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in aws.sg_rules.iter().filter(|r| !r.egress) {
        if !cloud::rule_reaches_port(r, 22) && !cloud::rule_reaches_port(r, 3389) {
            continue;
        }
        for c in &r.cidrs {
            if c.str().is_some_and(|s| cloud::is_public_cidr(&s)) {
                out.push(Cause::new(
                    "Security group rule allows unrestricted ingress from any IP address.",
                    Some(c.lines),
                ));
            }
        }
    }
}
