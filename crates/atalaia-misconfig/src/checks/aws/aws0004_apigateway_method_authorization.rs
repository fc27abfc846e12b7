//! AWS-0004: No unauthorized access to API Gateway methods
//!
//! API Gateway methods should generally be protected by authorization or api key. OPTION verb calls can be used without authorization

use crate::checks::{Cause, Meta};
use crate::cloud::{self, Aws};
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0004",
    short_id: "AWS0004",
    avd_id: "AVD-AWS-0004",
    title: "No unauthorized access to API Gateway methods",
    description: "API Gateway methods should generally be protected by authorization or api key. OPTION verb calls can be used without authorization",
    resolution: "Use and authorization method or require API Key",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.aws.apigateway.aws0004",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    // Trivy exempts `OPTION` methods (sic: `OPTIONS` is not exempted), and so does this.
    for m in &aws.api_methods {
        let options = m
            .http_method
            .as_ref()
            .and_then(cloud::Attr::str)
            .is_some_and(|h| h == "OPTION");
        let key = m
            .api_key_required
            .as_ref()
            .is_some_and(cloud::Attr::is_true);
        if let Some(a) = m.authorization.as_ref() {
            if !options && !key && a.str().as_deref() == Some("NONE") {
                out.push(Cause::new(
                    "Authorization is not enabled for this method.",
                    Some(a.lines),
                ));
            }
        }
    }
}
