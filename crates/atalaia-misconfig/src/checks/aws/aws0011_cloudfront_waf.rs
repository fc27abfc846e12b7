//! AWS-0011: CloudFront distribution does not have a WAF in front.
//!
//! You should configure a Web Application Firewall in front of your CloudFront distribution. This will mitigate many types of attacks on your web application.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0011",
    short_id: "AWS0011",
    avd_id: "AVD-AWS-0011",
    title: "CloudFront distribution does not have a WAF in front.",
    description: "You should configure a Web Application Firewall in front of your CloudFront distribution. This will mitigate many types of attacks on your web application.",
    resolution: "Enable WAF for the CloudFront distribution",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html"],
    namespace: "builtin.aws.cloudfront.aws0011",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.distributions {
        if cloud::missing_or_empty(d.waf.as_ref()) {
            out.push(Cause::new(
                "Distribution does not utilize a WAF.",
                Some(d.range),
            ));
        }
    }
}
