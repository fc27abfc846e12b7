//! AWS-0066: Lambda functions should have X-Ray tracing enabled
//!
//! X-Ray tracing enables end-to-end debugging and analysis of all function activity. This will allow for identifying bottlenecks, slow downs and timeouts.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0066",
    short_id: "AWS0066",
    avd_id: "AVD-AWS-0066",
    title: "Lambda functions should have X-Ray tracing enabled",
    description: "X-Ray tracing enables end-to-end debugging and analysis of all function activity. This will allow for identifying bottlenecks, slow downs and timeouts.",
    resolution: "Enable tracing",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html"],
    namespace: "builtin.aws.lambda.aws0066",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for f in &aws.functions {
        cloud::require_value(
            f.tracing_mode.as_ref(),
            "Active",
            f.range,
            "Function does not have tracing enabled.",
            out,
        );
    }
}
