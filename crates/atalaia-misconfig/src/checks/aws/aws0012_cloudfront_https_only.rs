//! AWS-0012: CloudFront distribution allows unencrypted (HTTP) communications.
//!
//! Plain HTTP is unencrypted and human-readable. This means that if a malicious actor was to eavesdrop on your connection, they would be able to see all of your data flowing back and forth.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0012",
    short_id: "AWS0012",
    avd_id: "AVD-AWS-0012",
    title: "CloudFront distribution allows unencrypted (HTTP) communications.",
    description: "Plain HTTP is unencrypted and human-readable. This means that if a malicious actor was to eavesdrop on your connection, they would be able to see all of your data flowing back and forth.\nYou should use HTTPS, which is HTTP over an encrypted (TLS) connection, meaning eavesdroppers cannot read your traffic.",
    resolution: "Only allow HTTPS for CloudFront distribution communication",
    severity: Severity::Critical,
    references: &["https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-s3-origin.html"],
    namespace: "builtin.aws.cloudfront.aws0012",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.distributions {
        for p in &d.viewer_protocol_policies {
            if p.str().as_deref() == Some("allow-all") {
                out.push(Cause::new(
                    "Distribution allows unencrypted communications.",
                    Some(p.lines),
                ));
            }
        }
    }
}
