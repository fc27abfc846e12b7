//! AWS-0125: SAM Function must have X-Ray tracing enabled
//!
//! X-Ray tracing enables end-to-end debugging and analysis of the function.

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0125",
    short_id: "AWS0125",
    avd_id: "AVD-AWS-0125",
    title: "SAM Function must have X-Ray tracing enabled",
    description: "X-Ray tracing enables end-to-end debugging and analysis of the function.",
    resolution: "Enable tracing",
    severity: Severity::Low,
    references: &["https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-tracing"],
    namespace: "builtin.aws.sam.aws0125",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for f in &aws.sam_functions {
        cloud::require_value(
            f.tracing_mode.as_ref(),
            "Active",
            f.range,
            "X-Ray tracing is not enabled",
            out,
        );
    }
}
