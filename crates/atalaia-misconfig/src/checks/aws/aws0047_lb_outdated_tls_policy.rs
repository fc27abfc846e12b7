//! AWS-0047: An outdated SSL policy is in use by a load balancer.
//!
//! You should not use outdated/insecure TLS versions for encryption. You should be using TLS v1.2+.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0047",
    short_id: "AWS0047",
    avd_id: "AVD-AWS-0047",
    title: "An outdated SSL policy is in use by a load balancer.",
    description: "You should not use outdated/insecure TLS versions for encryption. You should be using TLS v1.2+.",
    resolution: "Use a more recent TLS/SSL policy for the load balancer",
    severity: Severity::Critical,
    references: &[],
    namespace: "builtin.aws.elb.aws0047",
};
/// Policies that still accept TLS 1.0 or 1.1.
const OUTDATED: &[&str] = &[
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
];

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for l in &aws.listeners {
        if let Some(a) = l.ssl_policy.as_ref() {
            if a.str().is_some_and(|p| OUTDATED.contains(&p.as_str())) {
                out.push(Cause::new(
                    "Listener uses an outdated TLS policy.",
                    Some(a.lines),
                ));
            }
        }
    }
}
