//! AWS-0003: API Gateway must have X-Ray tracing enabled
//!
//! X-Ray tracing enables end-to-end debugging and analysis of all API Gateway HTTP requests.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0003",
    short_id: "AWS0003",
    avd_id: "AVD-AWS-0003",
    title: "API Gateway must have X-Ray tracing enabled",
    description:
        "X-Ray tracing enables end-to-end debugging and analysis of all API Gateway HTTP requests.",
    resolution: "Enable tracing",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.aws.apigateway.aws0003",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for s in aws.api_stages.iter().filter(|s| s.v1) {
        cloud::require_true(
            s.tracing.as_ref(),
            s.range,
            "X-Ray tracing is not enabled.",
            out,
        );
    }
}
