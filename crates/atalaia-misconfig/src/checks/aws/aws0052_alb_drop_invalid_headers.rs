//! AWS-0052: Load balancers should drop invalid headers
//!
//! Passing unknown or invalid headers through to the target poses a potential risk of compromise.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0052",
    short_id: "AWS0052",
    avd_id: "AVD-AWS-0052",
    title: "Load balancers should drop invalid headers",
    description: "Passing unknown or invalid headers through to the target poses a potential risk of compromise.\nBy setting drop_invalid_header_fields to true, anything that does not conform to well known, defined headers will be removed by the load balancer.",
    resolution: "Set drop_invalid_header_fields to true",
    severity: Severity::High,
    references: &["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html"],
    namespace: "builtin.aws.elb.aws0052",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for lb in aws
        .load_balancers
        .iter()
        .filter(|lb| cloud::is_application_lb(lb.lb_type.as_ref()))
    {
        cloud::require_true(
            lb.drop_invalid_headers.as_ref(),
            lb.range,
            "Application load balancer is not set to drop invalid headers.",
            out,
        );
    }
}
