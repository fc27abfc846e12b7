//! AWS-0130: aws_instance should activate session tokens for Instance Metadata Service.
//!
//! IMDS v2 (Instance Metadata Service) introduced session authentication tokens which improve security when talking to IMDS.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0130",
    short_id: "AWS0130",
    avd_id: "AVD-AWS-0130",
    title: "aws_instance should activate session tokens for Instance Metadata Service.",
    description: "IMDS v2 (Instance Metadata Service) introduced session authentication tokens which improve security when talking to IMDS.\n\nBy default <code>aws_instance</code> resource sets IMDS session auth tokens to be optional.\n\nTo fully protect IMDS you need to enable session tokens by using <code>metadata_options</code> block and its <code>http_tokens</code> variable set to <code>required</code>.",
    resolution: "Enable HTTP token requirement for IMDS",
    severity: Severity::High,
    references: &["https://aws.amazon.com/blogs/security/defense-in-depth-open-firewalls-reverse-proxies-ssrf-vulnerabilities-ec2-instance-metadata-service"],
    namespace: "builtin.aws.ec2.aws0130",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for t in &aws.launch_templates {
        if let Some(c) = cloud::imds_cause(
            t.http_tokens.as_ref(),
            t.http_endpoint.as_ref(),
            t.range,
            "Launch template does not require IMDS access to require a token",
        ) {
            out.push(c);
        }
    }
}
