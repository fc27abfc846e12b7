//! AWS-0053: Load balancer is exposed to the internet.
//!
//! There are many scenarios in which you would want to expose a load balancer to the wider internet, but this check exists as a warning to prevent accidental exposure of internal assets. You should ensure that this resource should be exposed publicly.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0053",
    short_id: "AWS0053",
    avd_id: "AVD-AWS-0053",
    title: "Load balancer is exposed to the internet.",
    description: "There are many scenarios in which you would want to expose a load balancer to the wider internet, but this check exists as a warning to prevent accidental exposure of internal assets. You should ensure that this resource should be exposed publicly.",
    resolution: "Switch to an internal load balancer or add a tfsec ignore",
    severity: Severity::High,
    references: &[],
    namespace: "builtin.aws.elb.aws0053",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for lb in aws.load_balancers.iter().filter(|lb| {
        lb.lb_type
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_none_or(|t| t != "gateway")
    }) {
        cloud::require_true(
            lb.internal.as_ref(),
            lb.range,
            "Load balancer is exposed publicly.",
            out,
        );
    }
}
