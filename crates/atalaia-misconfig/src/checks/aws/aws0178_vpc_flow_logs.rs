//! AWS-0178: VPC Flow Logs is a feature that enables you to capture information about the IP traffic going to and from network interfaces in your VPC. After you've created a flow log, you can view and retrieve its data in Amazon CloudWatch Logs. It is recommended that VPC Flow Logs be enabled for packet "Rejects" for VPCs.
//!
//! VPC Flow Logs provide visibility into network traffic that traverses the VPC and can be used to detect anomalous traffic or insight during security workflows.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0178",
    short_id: "AWS0178",
    avd_id: "AVD-AWS-0178",
    title: "VPC Flow Logs is a feature that enables you to capture information about the IP traffic going to and from network interfaces in your VPC. After you've created a flow log, you can view and retrieve its data in Amazon CloudWatch Logs. It is recommended that VPC Flow Logs be enabled for packet \"Rejects\" for VPCs.",
    description: "VPC Flow Logs provide visibility into network traffic that traverses the VPC and can be used to detect anomalous traffic or insight during security workflows.",
    resolution: "Enable flow logs for VPC",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/RootDeviceStorage.html"],
    namespace: "builtin.aws.ec2.aws0178",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for v in aws.vpcs.iter().filter(|v| !v.flow_logs) {
        out.push(Cause::new(
            "VPC does not have VPC Flow Logs enabled.",
            Some(v.range),
        ));
    }
}
