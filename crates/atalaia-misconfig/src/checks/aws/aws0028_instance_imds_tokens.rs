//! AWS-0028: aws_instance should activate session tokens for Instance Metadata Service.
//!
//! IMDS v2 (Instance Metadata Service) introduced session authentication tokens which improve security when talking to IMDS.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0028",
    short_id: "AWS0028",
    avd_id: "AVD-AWS-0028",
    title: "aws_instance should activate session tokens for Instance Metadata Service.",
    description: "IMDS v2 (Instance Metadata Service) introduced session authentication tokens which improve security when talking to IMDS.\n\nBy default <code>aws_instance</code> resource sets IMDS session auth tokens to be optional.\n\nTo fully protect IMDS you need to enable session tokens by using <code>metadata_options</code> block and its <code>http_tokens</code> variable set to <code>required</code>.",
    resolution: "Enable HTTP token requirement for IMDS",
    severity: Severity::High,
    references: &["https://aws.amazon.com/blogs/security/defense-in-depth-open-firewalls-reverse-proxies-ssrf-vulnerabilities-ec2-instance-metadata-service"],
    namespace: "builtin.aws.ec2.aws0028",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for i in &aws.instances {
        if let Some(c) = cloud::imds_cause(
            i.http_tokens.as_ref(),
            i.http_endpoint.as_ref(),
            i.range,
            "Instance does not require IMDS access to require a token.",
        ) {
            out.push(c);
        }
    }
}
