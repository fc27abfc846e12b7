//! AWS-0105: Network ACLs should not allow unrestricted ingress to SSH or RDP from any IP address.
//!
//! The Network Access Control List (NACL) function provide stateless filtering of ingress and

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0105",
    short_id: "AWS0105",
    avd_id: "AVD-AWS-0105",
    title: "Network ACLs should not allow unrestricted ingress to SSH or RDP from any IP address.",
    description: "The Network Access Control List (NACL) function provide stateless filtering of ingress and\negress network traffic to AWS resources. It is recommended that no NACL allows\nunrestricted ingress access to remote server administration ports, such as SSH to port 22\nand RDP to port 3389.",
    resolution: "Set a more restrictive CIDR range",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html", "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21"],
    namespace: "builtin.aws.ec2.aws0105",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in &aws.nacl_rules {
        let allow = r
            .action
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|a| a == "allow");
        if !allow {
            continue;
        }
        let rule = cloud::SgRule {
            range: r.range,
            egress: false,
            description: None,
            cidrs: Vec::new(),
            protocol: r.protocol.clone(),
            from_port: r.from_port.clone(),
            to_port: r.to_port.clone(),
        };
        if !cloud::rule_reaches_port(&rule, 22) && !cloud::rule_reaches_port(&rule, 3389) {
            continue;
        }
        for c in &r.cidrs {
            if c.str().is_some_and(|s| cloud::is_public_cidr(&s)) {
                out.push(Cause::new(
                    "Network ACL rule allows unrestricted ingress from any IP address.",
                    Some(c.lines),
                ));
            }
        }
    }
}
