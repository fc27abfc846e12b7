//! AWS-0054: Use of plain HTTP.
//!
//! Plain HTTP is unencrypted and human-readable. This means that if a malicious actor was to eavesdrop on your connection, they would be able to see all of your data flowing back and forth.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0054",
    short_id: "AWS0054",
    avd_id: "AVD-AWS-0054",
    title: "Use of plain HTTP.",
    description: "Plain HTTP is unencrypted and human-readable. This means that if a malicious actor was to eavesdrop on your connection, they would be able to see all of your data flowing back and forth.\nYou should use HTTPS, which is HTTP over an encrypted (TLS) connection, meaning eavesdroppers cannot read your traffic.",
    resolution: "Switch to HTTPS to benefit from TLS security features",
    severity: Severity::Critical,
    references: &["https://www.cloudflare.com/en-gb/learning/ssl/why-is-http-not-secure/"],
    namespace: "builtin.aws.elb.aws0054",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for l in &aws.listeners {
        let application = l.lb_type.as_deref().is_none_or(|t| t == "application");
        let http = l
            .protocol
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|p| p == "HTTP");
        if application && http && !l.redirects_to_https {
            out.push(Cause::new(
                "Listener for application load balancer does not use HTTPS.",
                Some(l.range),
            ));
        }
    }
}
