//! AWS-0099: Missing description for security group.
//!
//! Security groups should include a description for auditing purposes. Simplifies auditing, debugging, and managing security groups.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0099",
    short_id: "AWS0099",
    avd_id: "AVD-AWS-0099",
    title: "Missing description for security group.",
    description: "Security groups should include a description for auditing purposes. Simplifies auditing, debugging, and managing security groups.",
    resolution: "Add descriptions for all security groups",
    severity: Severity::Low,
    references: &["https://www.cloudconformity.com/knowledge-base/aws/EC2/security-group-rules-description.html"],
    namespace: "builtin.aws.ec2.aws0099",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for g in &aws.security_groups {
        match g.description.as_ref() {
            None => out.push(Cause::new(
                "Security group does not have a description.",
                Some(g.range),
            )),
            Some(d) if d.str().is_some_and(|s| s.is_empty()) => {
                out.push(Cause::new(
                    "Security group does not have a description.",
                    Some(d.lines),
                ));
            }
            Some(d) if d.str().as_deref() == Some("Managed by Terraform") => out.push(Cause::new(
                "Security group explicitly uses the default description.",
                Some(d.lines),
            )),
            Some(_) => {}
        }
    }
}
