//! AWS-0101: AWS best practice to not use the default VPC for workflows
//!
//! Default VPC does not have a lot of the critical security features that standard VPC comes with, new resources should not be created in the default VPC and it should not be present in the Terraform.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0101",
    short_id: "AWS0101",
    avd_id: "AVD-AWS-0101",
    title: "AWS best practice to not use the default VPC for workflows",
    description: "Default VPC does not have a lot of the critical security features that standard VPC comes with, new resources should not be created in the default VPC and it should not be present in the Terraform.",
    resolution: "Create a non-default vpc for resources to be created in",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html"],
    namespace: "builtin.aws.ec2.aws0101",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for r in &aws.default_vpcs {
        out.push(Cause::new("Default VPC is used.", Some(*r)));
    }
}
