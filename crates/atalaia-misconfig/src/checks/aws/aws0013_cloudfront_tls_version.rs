//! AWS-0013: CloudFront distribution uses outdated SSL/TLS protocols.
//!
//! You should not use outdated/insecure TLS versions for encryption. You should be using the latest TLS policies available.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0013",
    short_id: "AWS0013",
    avd_id: "AVD-AWS-0013",
    title: "CloudFront distribution uses outdated SSL/TLS protocols.",
    description: "You should not use outdated/insecure TLS versions for encryption. You should be using the latest TLS policies available.\nNote: that setting *minimum_protocol_version = \"TLSv1.X\"* is only possible when *cloudfront_default_certificate* is false (eg. you are not using the cloudfront.net domain name).\nIf *cloudfront_default_certificate* is true then the Cloudfront API will only allow setting *minimum_protocol_version = \"TLSv1\"*, and setting it to any other value will result in a perpetual diff in your *terraform plan*'s.\nThe only option when using the cloudfront.net domain name is to ignore this rule.",
    resolution: "Use the most modern TLS/SSL policies available",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html", "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-values-specify.html#DownloadDistValuesGeneral"],
    namespace: "builtin.aws.cloudfront.aws0013",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for d in &aws.distributions {
        match d.min_protocol_version.as_ref() {
            Some(a) if a.is_unknown() || a.str().as_deref() == Some("TLSv1.2_2021") => {}
            Some(a) => out.push(Cause::new(
                "Distribution uses an insecure minimum TLS protocol version.",
                Some(a.lines),
            )),
            None => out.push(Cause::new(
                "Distribution uses an insecure minimum TLS protocol version.",
                Some(d.range),
            )),
        }
    }
}
