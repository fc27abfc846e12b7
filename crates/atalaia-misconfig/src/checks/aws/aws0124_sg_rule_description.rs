//! AWS-0124: Missing description for security group rule.
//!
//! Security group rules should include a description for auditing purposes.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0124",
    short_id: "AWS0124",
    avd_id: "AVD-AWS-0124",
    title: "Missing description for security group rule.",
    description: "Security group rules should include a description for auditing purposes.\n\nSimplifies auditing, debugging, and managing security groups.",
    resolution: "Add descriptions for all security groups rules",
    severity: Severity::Low,
    references: &["https://www.cloudconformity.com/knowledge-base/aws/EC2/security-group-rules-description.html"],
    namespace: "builtin.aws.ec2.aws0124",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in &aws.sg_rules {
        if r.description
            .as_ref()
            .is_none_or(|d| d.str().is_some_and(|s| s.is_empty()))
        {
            out.push(Cause::new(
                "Security group rule does not have a description.",
                Some(r.range),
            ));
        }
    }
}
