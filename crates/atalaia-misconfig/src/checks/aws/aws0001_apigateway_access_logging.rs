//! AWS-0001: API Gateway stages for V1 and V2 should have access logging enabled
//!
//! API Gateway stages should have access log settings block configured to track all access to a particular stage. This should be applied to both v1 and v2 gateway stages.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0001",
    short_id: "AWS0001",
    avd_id: "AVD-AWS-0001",
    title: "API Gateway stages for V1 and V2 should have access logging enabled",
    description: "API Gateway stages should have access log settings block configured to track all access to a particular stage. This should be applied to both v1 and v2 gateway stages.",
    resolution: "Enable logging for API Gateway stages",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html"],
    namespace: "builtin.aws.apigateway.aws0001",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    for s in aws.api_stages.iter().filter(|s| s.access_logging.is_none()) {
        out.push(Cause::new(
            "Access logging is not configured.",
            Some(s.range),
        ));
    }
}
