//! AWS-0102: An Network ACL rule allows ALL ports.
//!
//! Ensure access to specific required ports is allowed, and nothing else.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0102",
    short_id: "AWS0102",
    avd_id: "AVD-AWS-0102",
    title: "An Network ACL rule allows ALL ports.",
    description: "Ensure access to specific required ports is allowed, and nothing else.",
    resolution: "Set specific allowed ports",
    severity: Severity::Critical,
    references: &["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"],
    namespace: "builtin.aws.ec2.aws0102",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in &aws.nacl_rules {
        let allow = r
            .action
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|a| a == "allow");
        if let Some(p) = r.protocol.as_ref() {
            if allow && p.str().is_some_and(|p| p == "-1" || p == "all") {
                out.push(Cause::new(
                    "Network ACL rule allows access using ALL ports.",
                    Some(p.lines),
                ));
            }
        }
    }
}
